import type { Executor } from '../db/database.js';
import type { ClaimedJob, EnqueueOptions, JobName, JobPayloads } from './job-types.js';

/**
 * The job queue port. `enqueue` runs on the caller's transaction, so a state change and the job it
 * implies commit together or not at all. Claims are leases: a worker that stops renewing loses the job
 * to another worker (or to itself after a restart).
 */
export interface JobQueue {
  enqueue<N extends JobName>(db: Executor, name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  claim(workerId: string, names: readonly JobName[], leaseMs: number): Promise<ClaimedJob | null>;
  /** Extends the lease; false when the job is no longer ours (taken over or finished). */
  renew(jobId: number, workerId: string, leaseMs: number): Promise<boolean>;
  complete(jobId: number, workerId: string): Promise<void>;
  /** Puts the job back for another attempt at `runAt`. */
  retry(jobId: number, workerId: string, error: string, runAt: Date): Promise<void>;
  /** Gives up on the job for good. */
  fail(jobId: number, workerId: string, error: string): Promise<void>;
  /** Returns a job untouched (graceful shutdown): it runs again at once and the attempt is not counted. */
  release(jobId: number, workerId: string): Promise<void>;
}
