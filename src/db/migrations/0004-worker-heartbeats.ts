import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/**
 * Heartbeats of job workers on a shared job engine (graphile-worker): a worker that stops beating is
 * dead, and its jobs are released for others (see jobs/graphile/worker-heartbeats.ts). The embedded
 * queue has leases instead.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  if (caps.embeddedJobQueue) return;
  await db.schema.createTable('worker_heartbeats')
    .addColumn('worker_id', 'text', (c) => c.primaryKey())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', caps.types.timestamp, (c) => c.notNull())
    .addColumn('last_seen', caps.types.timestamp, (c) => c.notNull())
    .execute();
}
