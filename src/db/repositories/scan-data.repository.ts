import { sql } from 'kysely';
import type { Executor } from '../database.js';
import type { ScanRow } from '../tables/scans.table.js';

/** Whose scans: a brand owner's codes, a partner's orders, or all (platform). */
export interface ScanScope {
  companyId?: number;
  printingPartnerId?: number;
}

export interface ScanFilters {
  from?: string;
  to?: string;
  productId?: number;
  workorderId?: number;
  activationStatus?: number;
  /** Scans carrying every one of these flags. */
  flags?: string[];
}

/** Newest first; a cursor is the (scan_date, id) of the last scan of the previous page. */
export interface ScanCursor {
  scanDate: string;
  id: string;
}

/** A scan with the code and product it was of. */
export type ScanRecord = Pick<ScanRow,
  'id' | 'scan_date' | 'scan_number' | 'activation_status' | 'blacklist_reason' | 'flags' | 'user_agent' | 'accept_language'
  | 'client_network' | 'workorder_id' | 'product_id'> & {
  extended_id: string;
  serial_number: string | null;
  sku: string | null;
  product_name: string | null;
};

function filtered(db: Executor, scope: ScanScope, filters: ScanFilters) {
  let query = db.selectFrom('scans as s').innerJoin('codes as c', 'c.id', 's.code_id');
  if (scope.companyId !== undefined) query = query.where('s.company_id', '=', scope.companyId);
  if (scope.printingPartnerId !== undefined) {
    const partner = scope.printingPartnerId;
    query = query.where('s.workorder_id', 'in', (eb) => eb.selectFrom('workorders').select('workorders.id').where('workorders.printing_partner_id', '=', partner));
  }
  if (filters.from !== undefined) query = query.where('s.scan_date', '>=', filters.from);
  if (filters.to !== undefined) query = query.where('s.scan_date', '<=', filters.to);
  if (filters.productId !== undefined) query = query.where('s.product_id', '=', filters.productId);
  if (filters.workorderId !== undefined) query = query.where('s.workorder_id', '=', filters.workorderId);
  if (filters.activationStatus !== undefined) query = query.where('s.activation_status', '=', filters.activationStatus);
  for (const flag of filters.flags ?? []) {
    // flags is a comma-separated list of names without commas: match one whole element.
    query = query.where(sql<string>`',' || s.flags || ','`, 'like', `%,${flag},%`);
  }
  return query;
}

export async function listScans(
  db: Executor, scope: ScanScope, filters: ScanFilters, page: { limit: number; offset?: number; after?: ScanCursor },
): Promise<ScanRecord[]> {
  let query = filtered(db, scope, filters)
    .leftJoin('products as p', 'p.id', 's.product_id')
    .select([
      's.id', 's.scan_date', 's.scan_number', 's.activation_status', 's.blacklist_reason', 's.flags', 's.user_agent', 's.accept_language',
      's.client_network', 's.workorder_id', 's.product_id', 'c.extended_id', 'c.serial_number', 'p.sku', 'p.name as product_name',
    ]);
  const after = page.after;
  if (after) {
    query = query.where((eb) => eb.or([
      eb('s.scan_date', '<', after.scanDate),
      eb.and([eb('s.scan_date', '=', after.scanDate), eb('s.id', '<', after.id)]),
    ]));
  }
  query = query.orderBy('s.scan_date', 'desc').orderBy('s.id', 'desc').limit(page.limit);
  if (page.offset) query = query.offset(page.offset);
  return query.execute();
}

export async function countScans(db: Executor, scope: ScanScope, filters: ScanFilters): Promise<number> {
  const row = await filtered(db, scope, filters).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
