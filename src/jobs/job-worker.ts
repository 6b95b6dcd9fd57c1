import type { Logger } from '../shared/logger.js';
import type { JobName, JobPayloads } from './job-types.js';

export interface JobContext {
  /** Aborted on shutdown or when the job is no longer this worker's; handlers stop at their next checkpoint. */
  signal: AbortSignal;
  /** 1 on the first run; counts every run, including take-overs after a crash. */
  attempt: number;
  isFinalAttempt: boolean;
  logger: Logger;
}

export interface JobHandler<N extends JobName = JobName> {
  name: N;
  run(payload: JobPayloads[N], ctx: JobContext): Promise<void>;
  /** Called once when the job has failed for good. */
  onFailed?(payload: JobPayloads[N], error: Error): Promise<void>;
}

/** Runs jobs from the queue with the registered handlers: the embedded runner or graphile-worker. */
export interface JobWorker {
  /** Names this process's claims in the queue (and in logs). */
  readonly workerId: string;
  start(): Promise<void>;
  /** Looks for work now instead of at the next poll (after an in-process enqueue). */
  nudge(): void;
  /** Stops taking jobs; finishes or releases the running ones. */
  stop(): Promise<void>;
}
