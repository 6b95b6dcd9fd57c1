import type { Executor } from '../database.js';
import type { BlobUploadsTable, GenerationBatchRow } from '../tables/workorders.table.js';

/** Batch rows per INSERT when an order is planned (4 parameters each). */
const BATCH_INSERT_CHUNK = 1000;

export type BatchRow = GenerationBatchRow;

export async function insertBatches(
  db: Executor, workorderId: number, batches: ReadonlyArray<{ batchNumber: number; firstSequence: number; lastSequence: number }>,
): Promise<void> {
  for (let i = 0; i < batches.length; i += BATCH_INSERT_CHUNK) {
    await db.insertInto('generation_batches').values(batches.slice(i, i + BATCH_INSERT_CHUNK).map((b) => ({
      workorder_id: workorderId, batch_number: b.batchNumber, first_sequence: b.firstSequence, last_sequence: b.lastSequence,
    }))).execute();
  }
}

export function findBatch(db: Executor, workorderId: number, batchNumber: number): Promise<BatchRow | undefined> {
  return db.selectFrom('generation_batches').selectAll()
    .where('workorder_id', '=', workorderId).where('batch_number', '=', batchNumber)
    .executeTakeFirst();
}

/** The order's batches in order. */
export function listBatches(db: Executor, workorderId: number): Promise<BatchRow[]> {
  return db.selectFrom('generation_batches').selectAll()
    .where('workorder_id', '=', workorderId).orderBy('batch_number')
    .execute();
}

/** What a batch stored of the archive. */
export interface StoredBatch {
  /** Null for an order without images: its batches have no fragment (`fragmentSize` 0). */
  fragmentKey: string | null;
  fragmentSize: number;
  directoryKey: string;
  directorySize: number;
  csvSize: number;
  csvDeflatedSize: number;
  csvCrc32: number;
  doneDate: string;
}

/** Records a batch's pieces, once: false when the batch was already done (a twin run finished first). */
export async function markBatchDone(db: Executor, workorderId: number, batchNumber: number, stored: StoredBatch): Promise<boolean> {
  const result = await db.updateTable('generation_batches')
    .set({
      fragment_key: stored.fragmentKey, fragment_size: stored.fragmentSize, directory_key: stored.directoryKey,
      directory_size: stored.directorySize, csv_size: stored.csvSize, csv_deflated_size: stored.csvDeflatedSize,
      csv_crc32: stored.csvCrc32, done_date: stored.doneDate,
    })
    .where('workorder_id', '=', workorderId).where('batch_number', '=', batchNumber)
    .where('done_date', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function recordUpload(db: Executor, upload: BlobUploadsTable): Promise<void> {
  await db.insertInto('blob_uploads').values(upload).execute();
}

export async function forgetUpload(db: Executor, uploadId: string): Promise<void> {
  await db.deleteFrom('blob_uploads').where('upload_id', '=', uploadId).execute();
}

/** Uploads recorded for an order (all, or those whose key starts with `keyPrefix`). */
export function listUploads(db: Executor, workorderId: number, keyPrefix?: string): Promise<BlobUploadsTable[]> {
  let query = db.selectFrom('blob_uploads').selectAll().where('workorder_id', '=', workorderId);
  if (keyPrefix !== undefined) query = query.where('blob_key', 'like', `${keyPrefix}%`);
  return query.orderBy('started_date').execute();
}
