import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../../db/database.js';
import * as companies from '../../db/repositories/companies.repository.js';
import * as scm from '../../db/repositories/scm.repository.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { codeEditScopeOf } from './code-edit-scope.js';
import { findEditableCodes } from './code-lookup.js';
import type { StoredConstraints } from './scm.types.js';

/** Codes of an order changed per transaction: short, so other writers (and, on SQLite, readers) wait little. */
export const TASK_RANGE_CHUNK = 5_000;
/** IDs or serial numbers looked up and changed per transaction. */
export const TASK_LIST_CHUNK = 1_000;

export interface ScmTaskDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  rangeChunk?: number;
  listChunk?: number;
}

/**
 * Runs an asynchronous SCM task (the `scm-update` job): one transaction per chunk, each moving the task's
 * cursor with its changes, so a crashed or retried run resumes after the last chunk it committed and
 * never applies one twice. The status is set, never toggled: a chunk rerun changes nothing more.
 */
export class ScmTaskRunner {
  constructor(private readonly deps: ScmTaskDeps) {}

  async run(taskId: number, signal?: AbortSignal): Promise<void> {
    const task = await scm.findCodeTransaction(this.deps.db, taskId);
    if (!task || task.state === 'complete' || task.state === 'failed') return;
    if (task.state === 'pending') await scm.updateCodeTransaction(this.deps.db, taskId, { state: 'in-progress', started_at: this.now() });
    const actor = await companies.findCompanyById(this.deps.db, task.actor_company_id);
    if (!actor) throw new Error(`the company of task ${taskId} is gone`);
    const scope = codeEditScopeOf({ companyId: actor.id, companyType: actor.company_type }, task.company_id);
    const status = JSON.parse(task.scm_data) as { activation_status: number; blacklist_reason: number };
    const change = { activationStatus: status.activation_status, blacklistReason: status.blacklist_reason, userId: task.created_by_user_id };
    const constraints = JSON.parse(task.constraints) as StoredConstraints;

    if (constraints.kind === 'workorder') {
      const chunk = this.deps.rangeChunk ?? TASK_RANGE_CHUNK;
      for (let after = Math.max(task.progress_cursor, constraints.sequenceFrom - 1); after < constraints.sequenceTo; after += chunk) {
        signal?.throwIfAborted();
        await yieldToEventLoop(); // requests waiting on this process go first
        const last = Math.min(constraints.sequenceTo, after + chunk);
        await this.deps.db.transaction().execute(async (trx) => {
          const affected = await scm.applyStatusInSequenceRange(trx, constraints.workorder, after, last, { ...change, at: this.now() });
          await scm.recordTaskProgress(trx, taskId, { cursor: last, processed: last - after, affected, skipped: 0 });
        });
      }
    } else {
      const chunk = this.deps.listChunk ?? TASK_LIST_CHUNK;
      for (let at = task.progress_cursor; at < constraints.values.length; at += chunk) {
        signal?.throwIfAborted();
        await yieldToEventLoop();
        const values = constraints.values.slice(at, at + chunk);
        await this.deps.db.transaction().execute(async (trx) => {
          const found = await findEditableCodes(trx, constraints.dataKey, values, scope);
          const codeIds = new Set<number>();
          let skipped = 0;
          for (const value of values) {
            const codes = (found.get(value) ?? []).filter((c) => c.workorder_state !== 'canceled');
            if (codes.length === 1) codeIds.add(codes[0]!.id);
            else skipped += 1;
          }
          const affected = await scm.applyStatusToCodes(trx, [...codeIds], { ...change, at: this.now() });
          await scm.recordTaskProgress(trx, taskId, { cursor: at + values.length, processed: values.length, affected, skipped });
        });
      }
    }
    await scm.updateCodeTransaction(this.deps.db, taskId, { state: 'complete', completed_at: this.now() });
    const done = await scm.findCodeTransaction(this.deps.db, taskId);
    this.deps.logger.info({ task: taskId, affected: done?.codes_affected, skipped: done?.codes_skipped }, 'scm task complete');
  }

  /** The job failed for good: the task says so; the cause (which may name internals) goes to the log only. */
  async markFailed(taskId: number, error: Error): Promise<void> {
    this.deps.logger.error({ task: taskId, err: error }, 'scm task failed');
    await scm.updateCodeTransaction(this.deps.db, taskId, {
      state: 'failed', completed_at: this.now(), error: 'The task failed after repeated attempts. The codes changed so far keep their new status; upload the rest again.',
    });
  }

  private now(): string {
    return isoMicros(this.deps.clock.now());
  }
}
