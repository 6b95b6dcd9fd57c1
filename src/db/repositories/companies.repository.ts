import { CompiledQuery, type Updateable } from 'kysely';
import { compiledSql } from '../compiled-sql.js';
import type { Executor } from '../database.js';
import type { CompaniesTable, CompanyRow, NewApiTokenRow, NewCompanyRow, NewUserRow, UserRow } from '../tables/companies.table.js';

export function findCompanyById(db: Executor, id: number): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Compiled once per number of ids (it runs on every work-order list and detail). */
export function findCompanyBySlug(db: Executor, slug: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertCompany(db: Executor, row: NewCompanyRow): Promise<CompanyRow> {
  return db.insertInto('companies').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Reserves `count` consecutive serial numbers for a company; returns the first one. */
export function updateCompany(db: Executor, id: number, set: Updateable<CompaniesTable>): Promise<CompanyRow> {
  return db.updateTable('companies').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function reserveSerialNumbers(db: Executor, companyId: number, count: number): Promise<number> {
  const row = await db
    .updateTable('companies')
    .set((eb) => ({ next_serial_number: eb('next_serial_number', '+', count) }))
    .where('id', '=', companyId)
    .returning('next_serial_number')
    .executeTakeFirstOrThrow();
  return row.next_serial_number - count;
}

export function findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Login accepts the username or the e-mail address. */
export function findUserByLogin(db: Executor, login: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('username', '=', login), eb.and([eb('email', '=', login), eb('email', '!=', '')])]))
    .orderBy('id')
    .executeTakeFirst();
}

export function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function insertUser(db: Executor, row: NewUserRow): Promise<UserRow> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertApiToken(db: Executor, row: NewApiTokenRow) {
  return db.insertInto('api_tokens').values(row).returningAll().executeTakeFirstOrThrow();
}

/** What authenticating a UAT reads: the token with its user and company. */
export interface ApiTokenForAuth {
  token_id: number;
  token_permissions: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  user_id: number;
  username: string;
  user_permissions: string;
  is_active: number;
  company_id: number;
  company_type: CompanyRow['company_type'];
}

/**
 * The token with its user and company, looked up by the key's hash — on every authenticated request, so
 * the join is compiled once (building it costs several times what SQLite takes to run it). Nothing is
 * cached: a revoked or expired token fails on its next request, in every process.
 */
export async function findApiTokenByHash(db: Executor, keyHash: string): Promise<ApiTokenForAuth | undefined> {
  const text = compiledSql(db, 'api-token-by-hash', () => db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('companies as c', 'c.id', 'u.company_id')
    .select([
      't.id as token_id', 't.permissions as token_permissions', 't.expires_at', 't.revoked_at', 't.last_used_at',
      'u.id as user_id', 'u.username', 'u.permissions as user_permissions', 'u.is_active',
      'c.id as company_id', 'c.company_type',
    ])
    .where('t.key_hash', '=', keyHash));
  return (await db.executeQuery<ApiTokenForAuth>(CompiledQuery.raw(text, [keyHash]))).rows[0];
}

export async function touchApiToken(db: Executor, tokenId: number, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

export async function revokeApiToken(db: Executor, tokenId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
