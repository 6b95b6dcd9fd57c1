import type { Executor } from '../../db/database.js';
import * as generation from '../../db/repositories/generation.repository.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import type { BlobPart } from '../../storage/blob-parts.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { CODEGEN_STATUS } from './workorder.types.js';

/** The file name clients download an order's archive under. */
export function archiveFileName(workorderId: number, archiveKey: string): string {
  return `workorder_${workorderId}_${archiveKey}.zip`;
}

/**
 * The blobs an order's archive is made of, in order, with their sizes: every batch's fragment, then the
 * archive's end (codes.csv, manifest.json, central directory). An order without images has no
 * fragments: its archive is the end alone. Null until the archive is generated.
 */
export async function loadArchiveParts(
  db: Executor, order: Pick<WorkorderRow, 'id' | 'codegen_status' | 'archive_tail_key' | 'archive_size'>,
): Promise<BlobPart[] | null> {
  if (order.codegen_status !== CODEGEN_STATUS.generated || order.archive_tail_key === null || order.archive_size === null) return null;
  const parts: BlobPart[] = [];
  for (const batch of await generation.listBatches(db, order.id)) {
    if (batch.done_date === null) return null;
    if (batch.fragment_key === null) continue; // no images
    if (batch.fragment_size === null) return null;
    parts.push({ key: batch.fragment_key, size: batch.fragment_size });
  }
  const fragments = parts.reduce((sum, part) => sum + part.size, 0);
  parts.push({ key: order.archive_tail_key, size: order.archive_size - fragments });
  return parts;
}

/**
 * Deletes every piece an order's archive is stored as — each batch's fragment and directory, and the
 * archive's end — whether the archive was finished or not; returns how many blobs it deleted. Deleting
 * a blob that is gone already is a no-op, so a removal interrupted half-way can simply run again.
 */
export async function deleteArchivePieces(
  db: Executor, blobs: BlobStore, order: Pick<WorkorderRow, 'id' | 'archive_tail_key'>,
): Promise<number> {
  let deleted = 0;
  for (const batch of await generation.listBatches(db, order.id)) {
    for (const key of [batch.fragment_key, batch.directory_key]) {
      if (key === null) continue;
      await blobs.delete(key);
      deleted += 1;
    }
  }
  if (order.archive_tail_key !== null) {
    await blobs.delete(order.archive_tail_key);
    deleted += 1;
  }
  return deleted;
}
