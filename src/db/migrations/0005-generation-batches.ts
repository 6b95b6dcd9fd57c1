import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/**
 * Generation in three kinds of job (plan → batch → assemble): the plan fixed on the order, one row per
 * batch of ≤ 20 000 codes with its pieces of the archive (the fragment of image entries; its directory
 * records and its part of codes.csv), and the uploads in flight so that whatever a crashed or canceled
 * run left in the blob store can be found and removed.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  const { id: idType, bigint, timestamp } = caps.types;
  await db.schema.alterTable('workorders').addColumn('generation_plan', 'text').execute();
  await db.schema.alterTable('workorders').addColumn('batch_count', 'integer').execute();
  await db.schema.alterTable('workorders').addColumn('batches_done', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('workorders').addColumn('archive_tail_key', 'text').execute();

  await db.schema.createTable('generation_batches')
    .addColumn('workorder_id', idType, (c) => c.notNull().references('workorders.id').onDelete('cascade'))
    .addColumn('batch_number', 'integer', (c) => c.notNull())
    .addColumn('first_sequence', bigint, (c) => c.notNull())
    .addColumn('last_sequence', bigint, (c) => c.notNull())
    .addColumn('fragment_key', 'text')
    .addColumn('fragment_size', bigint)
    .addColumn('directory_key', 'text')
    .addColumn('directory_size', bigint)
    .addColumn('csv_size', bigint)
    .addColumn('csv_deflated_size', bigint)
    .addColumn('csv_crc32', bigint)
    .addColumn('done_date', timestamp)
    .addPrimaryKeyConstraint('generation_batches_pk', ['workorder_id', 'batch_number'])
    .execute();

  await db.schema.createTable('blob_uploads')
    .addColumn('upload_id', 'text', (c) => c.primaryKey())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('workorder_id', idType, (c) => c.notNull())
    .addColumn('started_date', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('blob_uploads_workorder_idx').on('blob_uploads').column('workorder_id').execute();
}
