import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/** The template chooses the per-code image format of its orders' archives: 'png' (default) or 'svg'. */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema.alterTable('templates')
    .addColumn('image_format', 'text', (c) => c.notNull().defaultTo('png'))
    .execute();
}
