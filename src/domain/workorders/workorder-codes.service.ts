import type { Db } from '../../db/database.js';
import * as workorderCodes from '../../db/repositories/workorder-codes.repository.js';
import type { ListedCode } from '../../db/repositories/workorder-codes.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import { AppError } from '../../shared/app-error.js';
import { requirePermission, tenancyScopeOf, type Principal } from '../auth/principal.js';
import { CODEGEN_STATUS } from './workorder.types.js';

/**
 * The codes of one order, page by page, for whoever may see the order (its brand owner, its printing
 * partner, platform staff). Orders hold up to ten million codes: a page never reads the rows before it.
 */
export class WorkorderCodesService {
  constructor(private readonly deps: { db: Db }) {}

  /**
   * A generated order's codes are numbered 1…quantity without gaps (the assembly checks it), so the
   * page at `offset` is the sequence range (offset, offset + limit] and the count is the quantity. An
   * order not generated (yet, or ever) shows none. A status filter has to read the order's codes.
   */
  async list(
    principal: Principal, id: number, filters: { activationStatus?: number }, page: { limit: number; offset: number },
  ): Promise<{ count: number; rows: ListedCode[] }> {
    requirePermission(principal, 'codes_view');
    const order = await workorders.findWorkorderById(this.deps.db, id, tenancyScopeOf(principal));
    if (!order) throw AppError.notFound();
    if (order.codegen_status !== CODEGEN_STATUS.generated) return { count: 0, rows: [] };
    if (filters.activationStatus !== undefined) {
      return workorderCodes.listCodesWithStatus(this.deps.db, id, filters.activationStatus, page);
    }
    if (page.offset >= order.quantity) return { count: order.quantity, rows: [] };
    const last = Math.min(order.quantity, page.offset + page.limit);
    return { count: order.quantity, rows: await workorderCodes.listCodesInSequenceRange(this.deps.db, id, page.offset, last) };
  }
}
