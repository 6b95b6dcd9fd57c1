import type { Executor } from '../db/database.js';
import type { ClaimedJob, EnqueueOptions, JobName, JobPayloads } from './job-types.js';

/** What a queue knows of one job. Jobs that succeeded are forgotten. */
export interface JobStatus {
  state: 'queued' | 'running' | 'failed';
  attempts: number;
  lastError: string | null;
}

/** A job still queued, running, or failed for good, as operators (and tests) see it. */
export interface JobInfo extends JobStatus {
  name: string;
  key: string | null;
  payload: unknown;
}

/**
 * The job queue port. `enqueue` runs on the caller's transaction, so a state change and the job it
 * implies commit together or not at all.
 */
export interface JobQueue {
  enqueue<N extends JobName>(db: Executor, name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  /** The job with this key, while it is queued, running or failed for good; null once it succeeded or never existed. */
  describeJob(jobKey: string): Promise<JobStatus | null>;
  /** Every job not yet succeeded, oldest first. */
  listJobs(): Promise<JobInfo[]>;
  /** Keys, starting with `prefix`, of jobs that failed for good. */
  failedJobKeys(prefix: string): Promise<string[]>;
}

/**
 * The embedded queue's side for its runner. Claims are leases: a worker that stops renewing loses the
 * job to another worker (or to itself after a restart).
 */
export interface LeasedJobQueue extends JobQueue {
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
