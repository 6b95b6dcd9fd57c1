import type { Executor } from '../database.js';
import type { WorkorderScope } from './workorders.repository.js';

/** What an export may be narrowed to (the reference's code-download filters). */
export interface CodeExportFilters {
  workorderId?: number;
  /** activation_status 0/1/2. */
  status?: number;
  blacklisted?: boolean;
  /** Inclusive bounds on activated_at (ISO-8601, compared as text like every timestamp here). */
  activatedFrom?: string;
  activatedTo?: string;
  serialNumber?: string;
  extendedId?: string;
}

/** One line of the export. */
export interface ExportedCode {
  sequence_number: number;
  extended_id: string;
  serial_number: string | null;
  status: number;
  blacklist_reason: number;
  activated_at: string | null;
  activated_by: string | null;
  workorder_id: number;
  scan_count: number;
}

/** The orders an export walks through (with what every line of theirs repeats), oldest first. */
export function listExportOrders(db: Executor, scope: WorkorderScope, workorderId?: number) {
  let query = db.selectFrom('workorders as w')
    .leftJoin('products as p', 'p.id', 'w.product_id')
    .leftJoin('brands as b', (join) => join.on((eb) => eb('b.id', '=', eb.fn.coalesce('w.brand_id', 'p.brand_id'))))
    .select(['w.id', 'w.serial_start', 'w.quantity', 'w.use_serial_number', 'p.name as product', 'p.sku', 'b.name as brand'])
    .where('w.codes_generated', '>', 0);
  if (scope.companyId !== undefined) query = query.where('w.company_id', '=', scope.companyId);
  if (scope.printingPartnerId !== undefined) query = query.where('w.printing_partner_id', '=', scope.printingPartnerId);
  if (workorderId !== undefined) query = query.where('w.id', '=', workorderId);
  return query.orderBy('w.id').execute();
}

/**
 * One page of an order's codes matching the filters, after `afterSequence`, in sequence order: a range
 * of the (workorder_id, sequence_number) index, so page n costs what page 1 does.
 */
export function exportPage(db: Executor, workorderId: number, afterSequence: number, limit: number, filters: CodeExportFilters): Promise<ExportedCode[]> {
  let query = db.selectFrom('codes as c')
    .leftJoin('users as u', 'u.id', 'c.activated_by_user_id')
    .select([
      'c.sequence_number', 'c.extended_id', 'c.serial_number', 'c.activation_status as status', 'c.blacklist_reason', 'c.activated_at',
      'u.username as activated_by', 'c.workorder_id', 'c.scan_count',
    ])
    .where('c.workorder_id', '=', workorderId).where('c.sequence_number', '>', afterSequence);
  if (filters.status !== undefined) query = query.where('c.activation_status', '=', filters.status);
  if (filters.blacklisted !== undefined) query = query.where('c.activation_status', filters.blacklisted ? '=' : '<>', 2);
  if (filters.activatedFrom !== undefined) query = query.where('c.activated_at', '>=', filters.activatedFrom);
  if (filters.activatedTo !== undefined) query = query.where('c.activated_at', '<=', filters.activatedTo);
  if (filters.extendedId !== undefined) query = query.where('c.extended_id', '=', filters.extendedId);
  if (filters.serialNumber !== undefined) query = query.where('c.serial_number', '=', filters.serialNumber);
  return query.orderBy('c.sequence_number').limit(limit).execute();
}

/** The order holding a code, for an export narrowed to one extended ID (one index probe instead of a walk). */
export async function workorderOfCode(db: Executor, extendedId: string): Promise<number | undefined> {
  return (await db.selectFrom('codes').select('workorder_id').where('extended_id', '=', extendedId).executeTakeFirst())?.workorder_id;
}
