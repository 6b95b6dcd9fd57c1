import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/** Documents built in the background for download: code data exports (and later others), one blob each. */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  const { id: idType, bigint, timestamp } = caps.types;
  await db.schema.createTable('documents')
    .addColumn('key', 'text', (c) => caps.bytewiseText(c).primaryKey())
    .addColumn('company_id', idType, (c) => c.notNull().references('companies.id'))
    .addColumn('created_by_user_id', idType, (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('row_count', bigint)
    .addColumn('blob_key', 'text')
    .addColumn('size', bigint)
    .addColumn('error', 'text')
    .addColumn('creation_date', timestamp, (c) => c.notNull())
    .addColumn('started_at', timestamp)
    .addColumn('completed_at', timestamp)
    .execute();
  await db.schema.createIndex('documents_company_idx').on('documents').columns(['company_id', 'creation_date']).execute();
}
