import { EventEmitter } from 'node:events';
import { run, type Runner, type Task, type TaskList, type WorkerEvents } from 'graphile-worker';
import type pg from 'pg';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../shared/logger.js';
import { PermanentJobError } from '../job-types.js';
import type { JobHandler, JobWorker } from '../job-worker.js';
import { GRAPHILE_SCHEMA } from './graphile-queue.js';
import { graphileLogger } from './graphile-logger.js';
import { WorkerHeartbeats } from './worker-heartbeats.js';

export interface GraphileJobWorkerOptions {
  /** A worker silent (no heartbeat) for this long is dead: its jobs go to other workers. */
  leaseMs: number;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** Poll interval for jobs scheduled in the future (new jobs arrive by LISTEN/NOTIFY at once). */
  pollMs: number;
  logger: Logger;
}

/**
 * Runs Sigil's job handlers on graphile-worker, with heartbeats so that the jobs of a worker that
 * died are taken over within about a lease (`WorkerHeartbeats`). A handler's failure is retried with graphile-worker's
 * backoff; a `PermanentJobError` (or a failure on the last attempt) calls the handler's `onFailed`
 * hook once. A permanent error then ends the job (the failure is recorded by the hook, on the domain
 * row); a last attempt's error stays in graphile-worker's table as a job failed for good.
 */
export class GraphileJobWorker implements JobWorker {
  private runner: Runner | null = null;
  private poolId: string | null = null;
  /** Aborted by `stop`: running handlers stop at their next checkpoint and their jobs go back to the queue. */
  private readonly shutdown = new AbortController();

  private readonly heartbeats: WorkerHeartbeats;

  constructor(
    db: Db,
    private readonly pool: pg.Pool,
    private readonly handlers: readonly JobHandler[],
    private readonly options: GraphileJobWorkerOptions,
  ) {
    this.heartbeats = new WorkerHeartbeats(db, options.leaseMs, options.logger);
  }

  /** graphile-worker's id for this process's worker pool (its jobs' `locked_by`); set once started. */
  get workerId(): string {
    return this.poolId ?? 'graphile-worker (not started)';
  }

  async start(): Promise<void> {
    if (this.runner) return;
    const taskList: TaskList = {};
    for (const handler of this.handlers) taskList[handler.name] = this.task(handler);
    const events = new EventEmitter() as WorkerEvents;
    // The pool id is what graphile-worker writes into locked_by for every job this process holds.
    events.on('pool:create', ({ workerPool }) => {
      this.poolId = workerPool.id;
    });
    this.runner = await run({
      pgPool: this.pool,
      schema: GRAPHILE_SCHEMA,
      concurrency: this.options.concurrency,
      pollInterval: this.options.pollMs,
      noHandleSignals: true,
      logger: graphileLogger(this.options.logger),
      taskList,
      events,
    });
    if (this.poolId === null) throw new Error('graphile-worker started without announcing its worker pool');
    await this.heartbeats.start(this.poolId);
  }

  nudge(): void {
    // graphile-worker hears new jobs through LISTEN/NOTIFY: nothing to do.
  }

  /**
   * Stops taking jobs and releases the running ones at once: each handler stops at its next checkpoint
   * and graphile-worker puts its job back (a failed attempt, retried after its short backoff) for
   * another worker. Handlers are idempotent, so nothing is lost.
   */
  async stop(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    this.shutdown.abort(new Error('worker shutting down'));
    if (!runner) return;
    await runner.stop();
    // graphile-worker records an interrupted job's failure without waiting for it, so the job can still
    // be locked by this process when stop() resolves (and stay locked once the pool closes). Unlock
    // whatever this process still holds; a late failure record then matches nothing.
    if (this.poolId !== null) {
      await this.pool.query(`select ${GRAPHILE_SCHEMA}.force_unlock_workers($1::text[])`, [[this.poolId]]);
      await this.heartbeats.stop(this.poolId);
    }
  }

  private task(handler: JobHandler): Task {
    return async (payload, helpers) => {
      const { job } = helpers;
      const logger = this.options.logger.child({ job: job.id, jobName: handler.name, attempt: job.attempts });
      const isFinalAttempt = job.attempts >= job.max_attempts;
      const signal = AbortSignal.any([helpers.abortSignal, this.shutdown.signal]);
      try {
        logger.info('job started');
        await handler.run(payload as never, { signal, attempt: job.attempts, isFinalAttempt, logger });
        logger.info('job succeeded');
      } catch (caught) {
        const error = caught instanceof Error ? caught : new Error(String(caught));
        if (signal.aborted) {
          logger.info('job released (shutdown); graphile-worker runs it again');
          throw error;
        }
        const permanent = error instanceof PermanentJobError;
        if (!permanent && !isFinalAttempt) {
          logger.warn({ err: error }, 'job failed; will retry');
          throw error;
        }
        logger.error({ err: error }, 'job failed for good');
        await handler.onFailed?.(payload as never, error).catch((e: unknown) => logger.error({ err: e }, 'onFailed hook failed'));
        if (!permanent) throw error;
      }
    };
  }
}
