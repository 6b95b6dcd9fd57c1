import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/**
 * Consumer API keys: a brand owner's landing pages read its codes and scans with one of them
 * (`X-ScanTrust-Consumer-Api-Key`). Only the key's SHA-256 is stored.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  const { id: idType, timestamp } = caps.types;
  await db.schema.createTable('consumer_keys')
    .addColumn('id', idType, caps.autoIncrementId)
    .addColumn('company_id', idType, (c) => c.notNull().references('companies.id'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('creation_date', timestamp, (c) => c.notNull())
    .addColumn('revoked_at', timestamp)
    .execute();
  await db.schema.createIndex('consumer_keys_company_idx').on('consumer_keys').columns(['company_id', 'id']).execute();
}
