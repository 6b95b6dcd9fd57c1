import { sql } from 'kysely';
import type pg from 'pg';
import { runMigrations } from 'graphile-worker';
import type { Db, Executor } from '../../db/database.js';
import type { EnqueueOptions, JobName, JobPayloads } from '../job-types.js';
import { DEFAULT_MAX_ATTEMPTS } from '../job-types.js';
import type { JobInfo, JobQueue, JobStatus } from '../queue.js';
import { graphileLogger } from './graphile-logger.js';
import type { Logger } from '../../shared/logger.js';

interface GraphileJobRow {
  task_identifier: string;
  key: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_at: string | null;
}

const JOB_COLUMNS = 'task_identifier, key, attempts, max_attempts, last_error, locked_at';

/** A graphile-worker job as the port shows it: locked = running; out of attempts = failed for good. */
function statusOf(row: GraphileJobRow): JobStatus {
  const state = row.locked_at !== null ? 'running' : row.attempts >= row.max_attempts ? 'failed' : 'queued';
  return { state, attempts: row.attempts, lastError: row.last_error };
}

/** graphile-worker's schema in Sigil's database. */
export const GRAPHILE_SCHEMA = 'graphile_worker';

/** Installs or upgrades graphile-worker's schema (call under the database's migration lock). */
export async function migrateGraphileWorker(pool: pg.Pool, logger: Logger): Promise<void> {
  await runMigrations({ pgPool: pool, schema: GRAPHILE_SCHEMA, logger: graphileLogger(logger) });
}

/**
 * Jobs on graphile-worker, in the same PostgreSQL database as the data they act on: `enqueue` calls
 * `graphile_worker.add_job` on the caller's transaction, so the job exists exactly when the state
 * change that implies it commits. A keyed job is added only if no job with that key is queued or
 * running (`unsafe_dedupe`: a running job is never replaced behind its worker's back). A rerun
 * (`rerunIfEnded`) replaces a job that failed for good, resetting its attempts (`replace`); one that
 * succeeded is gone already, so it is added anew.
 */
export class GraphileJobQueue implements JobQueue {
  constructor(private readonly db: Db) {}

  async enqueue<N extends JobName>(db: Executor, name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    await sql`select ${sql.id(GRAPHILE_SCHEMA, 'add_job')}(
      identifier => ${name},
      payload => ${JSON.stringify(payload)}::json,
      run_at => ${options.runAt?.toISOString() ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}::int,
      job_key => ${options.jobKey ?? null}::text,
      job_key_mode => ${options.jobKey === undefined ? null : options.rerunIfEnded ? 'replace' : 'unsafe_dedupe'}::text
    )`.execute(db);
  }

  async describeJob(jobKey: string): Promise<JobStatus | null> {
    const { rows } = await sql<GraphileJobRow>`select ${sql.raw(JOB_COLUMNS)} from ${sql.id(GRAPHILE_SCHEMA, 'jobs')} where key = ${jobKey}`
      .execute(this.db);
    const row = rows[0];
    return row ? statusOf(row) : null;
  }

  async listJobs(): Promise<JobInfo[]> {
    // The public view leaves out payloads; the job table holds them.
    const { rows } = await sql<GraphileJobRow & { payload: unknown }>`
      select ${sql.raw(JOB_COLUMNS)}, (select payload from ${sql.id(GRAPHILE_SCHEMA, '_private_jobs')} p where p.id = j.id) as payload
      from ${sql.id(GRAPHILE_SCHEMA, 'jobs')} j order by id`.execute(this.db);
    return rows.map((row) => ({ ...statusOf(row), name: row.task_identifier, key: row.key, payload: row.payload }));
  }

  async failedJobKeys(prefix: string): Promise<string[]> {
    const { rows } = await sql<{ key: string }>`
      select key from ${sql.id(GRAPHILE_SCHEMA, 'jobs')}
      where substr(key, 1, ${prefix.length}) = ${prefix} and attempts >= max_attempts and locked_at is null`.execute(this.db);
    return rows.map((r) => r.key);
  }
}
