import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/**
 * Archive retention (`SIGIL_ARCHIVE_RETENTION_DAYS`): when an order's archive was removed. Its codes stay;
 * only the zip's pieces leave the blob store.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  await db.schema.alterTable('workorders').addColumn('archive_removed_date', caps.types.timestamp).execute();
}
