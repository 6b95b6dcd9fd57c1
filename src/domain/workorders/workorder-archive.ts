/** Where a generated archive lives in the blob store, and the file name clients download it under. */
export function archiveFileName(workorderId: number, archiveKey: string): string {
  return `workorder_${workorderId}_${archiveKey}.zip`;
}

export function archiveBlobKey(workorderId: number, archiveKey: string): string {
  return `workorders/${workorderId}/${archiveFileName(workorderId, archiveKey)}`;
}
