/** Every job the platform runs, with its payload: enqueue and handlers are type-checked against this map. */
export interface JobPayloads {
  /** Generate the codes and the archive of one work order (resumable, idempotent). */
  'generate-workorder': { workorderId: number };
  /** Bring an order's codes to the status its state implies (activated, inactive or blacklisted), in chunks. */
  'sync-code-status': { workorderId: number };
}

export type JobName = keyof JobPayloads;

/** One generation job per work order, ever: its job key. */
export const GENERATION_JOB_KEY_PREFIX = 'generate-workorder:';
export const generationJobKey = (workorderId: number) => `${GENERATION_JOB_KEY_PREFIX}${workorderId}`;

/** An order's state changes at most once to one that sets its codes' status (completed or canceled): one job. */
export const codeStatusJobKey = (workorderId: number) => `sync-code-status:${workorderId}`;

/** Attempts of a job unless its enqueue says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;

export interface EnqueueOptions {
  /**
   * Deduplication: enqueueing a job whose key is already queued or running is a no-op (the embedded
   * queue also remembers finished keys; graphile-worker forgets a job once it succeeded).
   */
  jobKey?: string;
  maxAttempts?: number;
  runAt?: Date;
}

export interface ClaimedJob<N extends JobName = JobName> {
  id: number;
  name: N;
  payload: JobPayloads[N];
  /** 1 on the first run; counts every claim, including take-overs after a crash. */
  attempt: number;
  maxAttempts: number;
}

/** Thrown by a handler for a failure that retrying cannot fix. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
