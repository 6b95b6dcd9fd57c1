/** Every job the platform runs, with its payload: enqueue and handlers are type-checked against this map. */
export interface JobPayloads {
  /** Plan the generation of one work order: fix its archive's inputs and enqueue its batches. */
  'generate-workorder': { workorderId: number };
  /** Draw, store and render one batch of ≤ 20 000 codes, and store its fragment of the archive. */
  'generate-batch': { workorderId: number; batchNumber: number };
  /** Write the archive's end (codes.csv, manifest.json, central directory) once every batch is done. */
  'assemble-archive': { workorderId: number };
  /** Remove what a canceled order left in the blob store: fragments, the archive's end, unfinished uploads. */
  'discard-archive': { workorderId: number };
  /** Bring an order's codes to the status its state implies (activated, inactive or blacklisted), in chunks. */
  'sync-code-status': { workorderId: number };
  /** Apply an asynchronous SCM upload (activation or blacklisting) to its codes, in chunks. */
  'scm-update': { taskId: number };
  /** Build a code data export (a CSV document), streaming page by page. */
  'export-codes': { documentKey: string };
}

export type JobName = keyof JobPayloads;

/** The jobs of one order's generation; a failed one fails the order. */
export const GENERATION_JOBS = ['generate-workorder', 'generate-batch', 'assemble-archive'] as const satisfies readonly JobName[];

/** Each generation job runs once per order (per batch): its key, which names the order second. */
export const generationJobKey = (workorderId: number) => `generate-workorder:${workorderId}`;
export const batchJobKey = (workorderId: number, batchNumber: number) => `generate-batch:${workorderId}:${batchNumber}`;
export const assembleJobKey = (workorderId: number) => `assemble-archive:${workorderId}`;
export const discardJobKey = (workorderId: number) => `discard-archive:${workorderId}`;

/** The order a generation job's key names, or null for any other key. */
export function workorderOfJobKey(key: string): number | null {
  const [name, id] = key.split(':');
  if (!(GENERATION_JOBS as readonly string[]).includes(name ?? '')) return null;
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** An order's state changes at most once to one that sets its codes' status (completed or canceled): one job. */
export const codeStatusJobKey = (workorderId: number) => `sync-code-status:${workorderId}`;

/** One job per SCM task. */
export const scmTaskJobKey = (taskId: number) => `scm-update:${taskId}`;

/** One job per export document. */
export const exportJobKey = (documentKey: string) => `export-codes:${documentKey}`;

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
  /**
   * A job under `jobKey` that has ended — failed for good, or succeeded (the embedded queue remembers
   * those) — runs again with fresh attempts; one queued or running is left as it is. For a platform
   * user's retry of a failed generation, whose batches may have ended without work once it failed.
   */
  rerunIfEnded?: boolean;
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
