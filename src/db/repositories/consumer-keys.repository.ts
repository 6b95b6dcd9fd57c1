import type { Executor } from '../database.js';
import type { ConsumerKeyRow, NewConsumerKeyRow } from '../tables/consumer-keys.table.js';

export function insertConsumerKey(db: Executor, row: NewConsumerKeyRow): Promise<ConsumerKeyRow> {
  return db.insertInto('consumer_keys').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The key with its brand owner, looked up by the key's hash. */
export function findConsumerKeyByHash(db: Executor, keyHash: string) {
  return db
    .selectFrom('consumer_keys as k')
    .innerJoin('companies as c', 'c.id', 'k.company_id')
    .select(['k.id', 'k.company_id', 'k.revoked_at', 'c.company_type'])
    .where('k.key_hash', '=', keyHash)
    .executeTakeFirst();
}

/** Every key (or one brand owner's), oldest first, without its hash. */
export function listConsumerKeys(db: Executor, companyId?: number) {
  let query = db
    .selectFrom('consumer_keys')
    .select(['id', 'company_id', 'key_prefix', 'creation_date', 'revoked_at'])
    .orderBy('id');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.execute();
}

/** Revokes a key not revoked yet; false when there is no such key. */
export async function revokeConsumerKey(db: Executor, id: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('consumer_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
