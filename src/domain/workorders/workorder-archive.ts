import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import type { BlobPart } from '../../storage/blob-parts.js';

/** Where a generated archive lives in the blob store, and the file name clients download it under. */
export function archiveFileName(workorderId: number, archiveKey: string): string {
  return `workorder_${workorderId}_${archiveKey}.zip`;
}

export function archiveBlobKey(workorderId: number, archiveKey: string): string {
  return `workorders/${workorderId}/${archiveFileName(workorderId, archiveKey)}`;
}

/** The blobs an order's archive is made of, in order, with their sizes; null until it is generated. */
export function archiveParts(order: Pick<WorkorderRow, 'id' | 'archive_key' | 'archive_size'>): BlobPart[] | null {
  if (order.archive_key === null || order.archive_size === null) return null;
  return [{ key: archiveBlobKey(order.id, order.archive_key), size: order.archive_size }];
}
