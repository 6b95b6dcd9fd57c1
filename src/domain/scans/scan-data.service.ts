import type { Db } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as scanData from '../../db/repositories/scan-data.repository.js';
import type { ScanCursor, ScanFilters, ScanRecord } from '../../db/repositories/scan-data.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import { AppError } from '../../shared/app-error.js';
import { requirePermission, tenancyScopeOf, type Principal } from '../auth/principal.js';

/**
 * Scan data for dashboards and BI (`GET /api/v2/dashboard/scans/`): the caller's scans, newest first,
 * by offset pages (with a count) or by cursor (stable while scans keep arriving; for exports).
 */
export class ScanDataService {
  constructor(private readonly deps: { db: Db }) {}

  /** An offset page, with the count of every matching scan. */
  async page(principal: Principal, filters: ScanFilters, page: { limit: number; offset: number }): Promise<{ count: number; records: ScanRecord[] }> {
    const scope = await this.checkedScope(principal, filters);
    const [records, count] = await Promise.all([
      scanData.listScans(this.deps.db, scope, filters, page),
      scanData.countScans(this.deps.db, scope, filters),
    ]);
    return { count, records };
  }

  /** A cursor page: the scans after `after`, and where the next page starts (null at the end). No count. */
  async cursorPage(principal: Principal, filters: ScanFilters, page: { limit: number; after?: ScanCursor }): Promise<{ records: ScanRecord[]; next: ScanCursor | null }> {
    const scope = await this.checkedScope(principal, filters);
    // One more than asked: whether a next page exists without a count.
    const records = await scanData.listScans(this.deps.db, scope, filters, { limit: page.limit + 1, ...(page.after ? { after: page.after } : {}) });
    const more = records.length > page.limit;
    const shown = more ? records.slice(0, page.limit) : records;
    const last = shown[shown.length - 1];
    return { records: shown, next: more && last ? { scanDate: last.scan_date, id: last.id } : null };
  }

  /** The caller's scope, once the permission and the filters' work order and product are checked against it. */
  private async checkedScope(principal: Principal, filters: ScanFilters) {
    requirePermission(principal, 'scans_download');
    const scope = tenancyScopeOf(principal);
    if (filters.workorderId !== undefined && !(await workorders.findWorkorderById(this.deps.db, filters.workorderId, scope))) {
      throw AppError.field('workorder', `Select a valid choice. ${filters.workorderId} is not one of your work orders.`);
    }
    if (filters.productId !== undefined) {
      const product = await catalog.findProductById(this.deps.db, filters.productId);
      const own = product && (scope.companyId === undefined || product.company_id === scope.companyId);
      if (!own) throw AppError.field('product', `Select a valid choice. ${filters.productId} is not one of your products.`);
    }
    return scope;
  }
}
