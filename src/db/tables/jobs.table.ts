import type { Generated, Selectable } from 'kysely';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobsTable {
  id: Generated<number>;
  name: string;
  /** JSON payload. */
  payload: string;
  /** Deduplication key: at most one job per key ever exists. */
  job_key: string | null;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export type JobRow = Selectable<JobsTable>;

/** A job worker on a shared job engine, alive while `last_seen` keeps moving (PostgreSQL only). */
export interface WorkerHeartbeatsTable {
  worker_id: string;
  hostname: string;
  pid: number;
  started_at: string;
  last_seen: string;
}
