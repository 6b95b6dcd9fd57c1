import type { Executor } from '../../db/database.js';
import * as generation from '../../db/repositories/generation.repository.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import type { BlobPart } from '../../storage/blob-parts.js';
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
