import type { Db } from '../../db/database.js';
import * as codes from '../../db/repositories/codes.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import type { Logger } from '../../shared/logger.js';
import { ACTIVATION, BLACKLIST_REASON_WO_CANCELED } from '../workorders/workorder.types.js';

/** Codes changed per transaction: small enough that no other writer waits long behind one. */
export const CODE_STATUS_CHUNK = 50_000;

export interface CodeStatus {
  activationStatus: number;
  blacklistReason: number;
}

/**
 * The status an order's state gives its codes: a canceled order's are blacklisted (reason 9), a
 * completed order's activated when it asks for it and inactive otherwise. Null: its state sets none.
 */
export function codeStatusOf(order: Pick<WorkorderRow, 'state' | 'activate_on_complete'>): CodeStatus | null {
  if (order.state === 'canceled') return { activationStatus: ACTIVATION.blacklisted, blacklistReason: BLACKLIST_REASON_WO_CANCELED };
  if (order.state === 'completed') {
    return { activationStatus: order.activate_on_complete === 1 ? ACTIVATION.active : ACTIVATION.inactive, blacklistReason: 0 };
  }
  return null;
}

export interface CodeStatusDeps {
  db: Db;
  logger: Logger;
  /** Codes per transaction (tests lower it). */
  chunkSize?: number;
}

/**
 * Applies the status of an order's state to its codes, up to ten million of them, as a job: one
 * transaction per chunk of consecutive sequence numbers, so neither the request that changed the state
 * nor any other writer waits on it. Idempotent (it sets, never toggles), so a retried or repeated run
 * is harmless; the status is read from the order, so it is right whichever run comes last.
 */
export class CodeStatusService {
  private readonly chunkSize: number;

  constructor(private readonly deps: CodeStatusDeps) {
    this.chunkSize = deps.chunkSize ?? CODE_STATUS_CHUNK;
  }

  /** Returns the number of chunks (transactions) it took; 0 when the order's state sets no status. */
  async sync(workorderId: number, signal?: AbortSignal): Promise<number> {
    const order = await workorders.findWorkorderById(this.deps.db, workorderId);
    const status = order ? codeStatusOf(order) : null;
    if (!order || !status) return 0;
    // Codes are numbered 1…quantity; every one that exists now lies in that range.
    // Cancel blacklists every code. Completion never lifts a blacklisting, and leaves alone codes someone
    // changed (SCM upload) since the order completed: this job may run a moment after such a change.
    const keep = status.activationStatus === ACTIVATION.blacklisted ? {} : {
      skipActivationStatus: ACTIVATION.blacklisted, ...(order.completed_date === null ? {} : { skipChangedSince: order.completed_date }),
    };
    let chunks = 0;
    for (let after = 0; after < order.quantity; after += this.chunkSize) {
      signal?.throwIfAborted();
      const last = Math.min(order.quantity, after + this.chunkSize);
      await this.deps.db.transaction().execute((trx) => codes.setStatusInSequenceRange(trx, workorderId, after, last, status, keep));
      chunks += 1;
    }
    this.deps.logger.info({ workorder: workorderId, ...status, chunks }, 'code status applied');
    return chunks;
  }
}
