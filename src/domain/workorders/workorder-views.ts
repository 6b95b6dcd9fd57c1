import type { ArchiveScope } from '../../db/repositories/workorders.repository.js';
import type { WorkorderViewRecord } from '../../db/repositories/workorder-views.repository.js';
import type { WorkorderView } from './workorder.types.js';

/** An order as its viewer sees it: each side (brand owner, printing partner) archives for itself. */
export function viewFor(record: WorkorderViewRecord, archiveScope: ArchiveScope): WorkorderView {
  const archived = archiveScope === 'partner' ? record.row.partner_is_archived : record.row.is_archived;
  return { ...record, isArchived: archived === 1 };
}
