import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../shared/logger.js';
import { GRAPHILE_SCHEMA } from './graphile-queue.js';

/**
 * Recovery in seconds for graphile-worker, whose own rule frees the jobs of a crashed worker only
 * after four hours. Every worker process writes a heartbeat (database time) every `leaseMs / 3`, and
 * every worker sweeps on the same beat: a job locked for longer than the lease by a worker whose
 * heartbeat is older than the lease (or missing) is released with graphile-worker's
 * `force_unlock_workers`, and runs again at once on a live worker. A worker killed with `kill -9`
 * therefore loses its jobs to others within about a lease and a beat.
 */
export class WorkerHeartbeats {
  private timer: NodeJS.Timeout | null = null;
  private beat: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db, private readonly leaseMs: number, private readonly logger: Logger) {}

  /** Starts beating for `workerId` (graphile-worker's pool id for this process) and sweeping. */
  async start(workerId: string): Promise<void> {
    await sql`
      insert into worker_heartbeats (worker_id, hostname, pid, started_at, last_seen)
      values (${workerId}, ${hostname()}, ${process.pid}, now(), now())
      on conflict (worker_id) do update set last_seen = now()`.execute(this.db);
    const interval = Math.max(500, Math.floor(this.leaseMs / 3));
    this.timer = setInterval(() => {
      this.beat = this.tick(workerId);
    }, interval);
    this.timer.unref();
  }

  /** Stops beating and removes this worker's heartbeat (it is leaving, not dead). */
  async stop(workerId: string): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beat;
    await sql`delete from worker_heartbeats where worker_id = ${workerId}`.execute(this.db);
  }

  /** Releases the jobs of dead workers; returns the ids of the workers whose jobs were released. */
  async sweep(): Promise<string[]> {
    const lease = sql`${this.leaseMs / 1000} * interval '1 second'`;
    // One statement: the dead workers are those holding a job past the lease without a fresh heartbeat.
    const { rows } = await sql<{ worker_id: string }>`
      with dead as (
        select distinct jobs.locked_by as worker_id
        from ${sql.id(GRAPHILE_SCHEMA, 'jobs')} as jobs
        where jobs.locked_by is not null
          and jobs.locked_at < now() - ${lease}
          and not exists (
            select 1 from worker_heartbeats beat
            where beat.worker_id = jobs.locked_by and beat.last_seen >= now() - ${lease})
      ), released as (
        select ${sql.id(GRAPHILE_SCHEMA, 'force_unlock_workers')}(array(select worker_id from dead))
      )
      select dead.worker_id from dead, released`.execute(this.db);
    await sql`delete from worker_heartbeats where last_seen < now() - ${lease}`.execute(this.db);
    return rows.map((r) => r.worker_id);
  }

  private async tick(workerId: string): Promise<void> {
    try {
      await sql`update worker_heartbeats set last_seen = now() where worker_id = ${workerId}`.execute(this.db);
      const released = await this.sweep();
      if (released.length > 0) this.logger.warn({ workers: released }, 'released the jobs of workers that stopped beating');
    } catch (error) {
      this.logger.warn({ err: error }, 'worker heartbeat or sweep failed');
    }
  }
}
