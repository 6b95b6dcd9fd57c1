import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/**
 * The life of a code after printing: every resolver scan (recorded in batches), each code's scan
 * counters (so a verdict never counts rows), and where a scan leads — the landing page and the
 * scan-count limit of a product, else of its brand owner.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  const { id: idType, timestamp } = caps.types;
  await db.schema.alterTable('codes').addColumn('scan_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('codes').addColumn('first_scan_date', timestamp).execute();
  await db.schema.alterTable('codes').addColumn('last_scan_date', timestamp).execute();

  for (const table of ['products', 'companies'] as const) {
    await db.schema.alterTable(table).addColumn(table === 'products' ? 'client_url' : 'landing_url', 'text').execute();
    await db.schema.alterTable(table).addColumn('max_scan_count', 'integer').execute();
    await db.schema.alterTable(table).addColumn('max_scan_action', 'text').execute();
  }

  await db.schema.createTable('scans')
    // Time-ordered text ids drawn by the process that answers the scan, so a redirect can carry the id
    // before the buffered row is written.
    .addColumn('id', 'text', (c) => caps.bytewiseText(c).primaryKey())
    // No foreign key and no index on code_id: each would cost a random page access per scan on the
    // hottest write path (measured 2.7× the insert time); codes are never deleted once scanned, and
    // counts per code live on the code itself.
    .addColumn('code_id', idType, (c) => c.notNull())
    .addColumn('workorder_id', idType, (c) => c.notNull())
    .addColumn('company_id', idType, (c) => c.notNull())
    .addColumn('product_id', idType)
    .addColumn('scan_date', timestamp, (c) => c.notNull())
    .addColumn('scan_number', 'integer', (c) => c.notNull())
    .addColumn('activation_status', 'integer', (c) => c.notNull())
    .addColumn('blacklist_reason', 'integer', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('accept_language', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('client_network', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('scans_company_date_idx').on('scans').columns(['company_id', 'scan_date']).execute();
}
