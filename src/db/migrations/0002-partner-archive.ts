import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/** Each side archives for itself: the printing partner's archive flag, next to the brand owner's `is_archived`. */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema.alterTable('workorders')
    .addColumn('partner_is_archived', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
