import type { Db } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as scanData from '../../db/repositories/scan-data.repository.js';
import type { ScanCursor, ScanFilters, ScanRecord } from '../../db/repositories/scan-data.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import { AppError } from '../../shared/app-error.js';
import { requirePermission, tenancyScopeOf, type Principal } from '../auth/principal.js';

export type ScanPage =
  | { mode: 'offset'; count: number; records: ScanRecord[] }
  | { mode: 'cursor'; records: ScanRecord[]; next: ScanCursor | null };

/**
 * Scan data for dashboards and BI (`GET /api/v2/dashboard/scans/`): the caller's scans, newest first,
 * by offset pages (with a count) or by cursor (stable while scans keep arriving; for exports).
 */
export class ScanDataService {
  constructor(private readonly deps: { db: Db }) {}

  async list(
    principal: Principal, filters: ScanFilters, page: { mode: 'offset'; limit: number; offset: number } | { mode: 'cursor'; limit: number; after?: ScanCursor },
  ): Promise<ScanPage> {
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
    if (page.mode === 'offset') {
      const [records, count] = await Promise.all([
        scanData.listScans(this.deps.db, scope, filters, { limit: page.limit, offset: page.offset }),
        scanData.countScans(this.deps.db, scope, filters),
      ]);
      return { mode: 'offset', count, records };
    }
    // One more than asked: whether a next page exists without a count.
    const records = await scanData.listScans(this.deps.db, scope, filters, { limit: page.limit + 1, ...(page.after ? { after: page.after } : {}) });
    const more = records.length > page.limit;
    const shown = more ? records.slice(0, page.limit) : records;
    const last = shown[shown.length - 1];
    return { mode: 'cursor', records: shown, next: more && last ? { scanDate: last.scan_date, id: last.id } : null };
  }
}
