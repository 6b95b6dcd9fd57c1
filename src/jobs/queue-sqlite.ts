import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { DEFAULT_MAX_ATTEMPTS, type ClaimedJob, type EnqueueOptions, type JobName, type JobPayloads } from './job-types.js';
import type { JobInfo, JobStatus, LeasedJobQueue } from './queue.js';

/** The embedded queue: a `jobs` table in the same SQLite file as the data it acts on. */
export class SqliteJobQueue implements LeasedJobQueue {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  async enqueue<N extends JobName>(db: Executor, name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    const now = this.clock.now().toISOString();
    await db.insertInto('jobs').values({
      name,
      payload: JSON.stringify(payload),
      job_key: options.jobKey ?? null,
      state: 'queued',
      attempts: 0,
      max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_at: (options.runAt ?? this.clock.now()).toISOString(),
      created_at: now,
      updated_at: now,
    }).onConflict((oc) => (options.rerunIfEnded
      ? oc.column('job_key').doUpdateSet({
        state: 'queued', attempts: 0, run_at: (options.runAt ?? this.clock.now()).toISOString(), last_error: null,
        locked_by: null, locked_until: null, updated_at: now,
      }).where('jobs.state', 'in', ['failed', 'succeeded'])
      : oc.column('job_key').doNothing())).execute();
  }

  async describeJob(jobKey: string): Promise<JobStatus | null> {
    const row = await this.db.selectFrom('jobs').select(['state', 'attempts', 'last_error'])
      .where('job_key', '=', jobKey).executeTakeFirst();
    if (!row || row.state === 'succeeded') return null;
    return { state: row.state, attempts: row.attempts, lastError: row.last_error };
  }

  async listJobs(): Promise<JobInfo[]> {
    const rows = await this.db.selectFrom('jobs').selectAll().where('state', '!=', 'succeeded').orderBy('id').execute();
    return rows.map((row) => ({
      name: row.name,
      key: row.job_key,
      payload: JSON.parse(row.payload) as unknown,
      state: row.state as JobInfo['state'],
      attempts: row.attempts,
      lastError: row.last_error,
    }));
  }

  async failedJobKeys(prefix: string): Promise<string[]> {
    const rows = await this.db.selectFrom('jobs').select('job_key')
      .where('state', '=', 'failed').where(sql<string>`substr(job_key, 1, ${prefix.length})`, '=', prefix)
      .execute();
    return rows.flatMap((r) => (r.job_key === null ? [] : [r.job_key]));
  }

  async claim(workerId: string, names: readonly JobName[], leaseMs: number): Promise<ClaimedJob | null> {
    if (names.length === 0) return null;
    const now = this.clock.now();
    const nowIso = now.toISOString();
    // One statement picks and locks the oldest due job, or one whose lease ran out (its worker died).
    const row = await this.db.updateTable('jobs')
      .set({
        state: 'running',
        locked_by: workerId,
        locked_until: new Date(now.getTime() + leaseMs).toISOString(),
        attempts: sql`attempts + 1`,
        updated_at: nowIso,
      })
      .where('id', '=', (eb) => eb.selectFrom('jobs')
        .select('id')
        .where('name', 'in', names)
        .where((w) => w.or([
          w.and([w('state', '=', 'queued'), w('run_at', '<=', nowIso)]),
          w.and([w('state', '=', 'running'), w('locked_until', '<', nowIso)]),
        ]))
        .orderBy('run_at').orderBy('id')
        .limit(1))
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      name: row.name as JobName,
      payload: JSON.parse(row.payload) as JobPayloads[JobName],
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
    };
  }

  async renew(jobId: number, workerId: string, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    const result = await this.db.updateTable('jobs')
      .set({ locked_until: new Date(now.getTime() + leaseMs).toISOString(), updated_at: now.toISOString() })
      .where('id', '=', jobId).where('locked_by', '=', workerId).where('state', '=', 'running')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async complete(jobId: number, workerId: string): Promise<void> {
    await this.finish(jobId, workerId, { state: 'succeeded', last_error: null });
  }

  async retry(jobId: number, workerId: string, error: string, runAt: Date): Promise<void> {
    await this.finish(jobId, workerId, { state: 'queued', last_error: error, run_at: runAt.toISOString() });
  }

  async fail(jobId: number, workerId: string, error: string): Promise<void> {
    await this.finish(jobId, workerId, { state: 'failed', last_error: error });
  }

  async release(jobId: number, workerId: string): Promise<void> {
    await this.finish(jobId, workerId, { state: 'queued', attempts: sql`max(attempts - 1, 0)` as never });
  }

  private async finish(jobId: number, workerId: string, changes: Record<string, unknown>): Promise<void> {
    await this.db.updateTable('jobs')
      .set({ ...changes, locked_by: null, locked_until: null, updated_at: this.clock.now().toISOString() })
      .where('id', '=', jobId).where('locked_by', '=', workerId)
      .execute();
  }
}
