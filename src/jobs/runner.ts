import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { ClaimedJob, JobName } from './job-types.js';
import { PermanentJobError } from './job-types.js';
import type { JobHandler, JobWorker } from './job-worker.js';
import type { LeasedJobQueue } from './queue.js';

export type { JobContext, JobHandler } from './job-worker.js';

export interface JobRunnerOptions {
  leaseMs: number;
  pollMs: number;
  concurrency: number;
  logger: Logger;
  clock: Clock;
}

const MAX_BACKOFF_MS = 60_000;

/** The embedded worker: claims jobs from the SQLite queue and runs them with at most `concurrency` at once. */
export class JobRunner implements JobWorker {
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly handlers = new Map<JobName, JobHandler>();
  private readonly running = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly queue: LeasedJobQueue, handlers: readonly JobHandler[], private readonly options: JobRunnerOptions) {
    for (const handler of handlers) this.handlers.set(handler.name, handler);
  }

  async start(): Promise<void> {
    this.loop ??= this.run();
  }

  /** Looks for work now instead of at the next poll (called after an in-process enqueue). */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }

  private async run(): Promise<void> {
    const names = [...this.handlers.keys()];
    while (!this.shutdown.signal.aborted) {
      let claimed: ClaimedJob | null = null;
      if (this.running.size < this.options.concurrency) {
        try {
          claimed = await this.queue.claim(this.workerId, names, this.options.leaseMs);
        } catch (error) {
          this.options.logger.error({ err: error }, 'job claim failed');
        }
      }
      if (claimed) {
        const task = this.execute(claimed).finally(() => {
          this.running.delete(task);
          this.wake?.();
        });
        this.running.add(task);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    const logger = this.options.logger.child({ job: job.id, jobName: job.name, attempt: job.attempt });
    if (!handler) return;
    const abort = new AbortController();
    const onShutdown = () => abort.abort(new Error('worker shutting down'));
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    const heartbeat = setInterval(() => {
      this.queue.renew(job.id, this.workerId, this.options.leaseMs).then((mine) => {
        if (!mine) abort.abort(new Error('job lease lost'));
      }, (error: unknown) => logger.warn({ err: error }, 'lease renewal failed'));
    }, Math.max(250, Math.floor(this.options.leaseMs / 3)));

    const isFinalAttempt = job.attempt >= job.maxAttempts;
    try {
      if (job.attempt > job.maxAttempts) throw new PermanentJobError(`gave up after ${job.maxAttempts} attempts`);
      logger.info('job started');
      await handler.run(job.payload as never, { signal: abort.signal, attempt: job.attempt, isFinalAttempt, logger });
      if (abort.signal.aborted && this.shutdown.signal.aborted) {
        await this.queue.release(job.id, this.workerId);
        logger.info('job released for a later run (shutdown)');
      } else {
        await this.queue.complete(job.id, this.workerId);
        logger.info('job succeeded');
      }
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      if (this.shutdown.signal.aborted) {
        await this.queue.release(job.id, this.workerId).catch(() => undefined);
        logger.info('job released for a later run (shutdown)');
      } else if (abort.signal.aborted) {
        logger.warn('job lease lost; another worker owns it now');
      } else if (error instanceof PermanentJobError || isFinalAttempt) {
        logger.error({ err: error }, 'job failed for good');
        await this.queue.fail(job.id, this.workerId, error.message);
        await handler.onFailed?.(job.payload as never, error).catch((e: unknown) => logger.error({ err: e }, 'onFailed hook failed'));
      } else {
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (job.attempt - 1));
        logger.warn({ err: error, retryInMs: delay }, 'job failed; will retry');
        await this.queue.retry(job.id, this.workerId, error.message, new Date(this.options.clock.now().getTime() + delay));
      }
    } finally {
      clearInterval(heartbeat);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
    }
  }
}
