import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/dialects/dialect.types.js';
import { openSqlite } from '../../src/db/dialects/sqlite.js';
import { migrateOrThrow } from '../../src/db/migrate.js';
import { PermanentJobError } from '../../src/jobs/job-types.js';
import { SqliteJobQueue } from '../../src/jobs/queue-sqlite.js';
import { JobRunner, type JobHandler } from '../../src/jobs/runner.js';
import { systemClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';

/** The embedded queue and runner on a real SQLite file: retries, permanent failure, dedup, shutdown. */
describe('job runner over the SQLite jobs table', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let queue: SqliteJobQueue;
  const runners: JobRunner[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-jobs-'));
    handle = openSqlite(join(dir, 'jobs.db'));
    await migrateOrThrow(handle.db, handle.capabilities);
    queue = new SqliteJobQueue(handle.db, systemClock);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runner = (handler: JobHandler) => {
    const r = new JobRunner(queue, [handler], { leaseMs: 2000, pollMs: 20, concurrency: 1, logger: createLogger('silent'), clock: systemClock });
    runners.push(r);
    r.start();
    return r;
  };
  const job = () => handle.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
  const until = async (predicate: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('retries a failed run with backoff and succeeds on the next attempt', async () => {
    let runs = 0;
    runner({ name: 'generate-workorder', run: async () => { runs += 1; if (runs === 1) throw new Error('transient'); } });
    await queue.enqueue(handle.db, 'generate-workorder', { workorderId: 1 });
    await until(async () => (await job()).state === 'succeeded');
    expect(runs).toBe(2);
    expect(await job()).toMatchObject({ attempts: 2, last_error: null, locked_by: null });
  });

  it('gives up at once on a permanent error and tells the handler', async () => {
    const failures: string[] = [];
    runner({
      name: 'generate-workorder',
      run: async () => { throw new PermanentJobError('cannot ever work'); },
      onFailed: async (_payload, error) => { failures.push(error.message); },
    });
    await queue.enqueue(handle.db, 'generate-workorder', { workorderId: 1 });
    await until(async () => (await job()).state === 'failed');
    expect(await job()).toMatchObject({ attempts: 1, last_error: 'cannot ever work' });
    expect(failures).toEqual(['cannot ever work']);
  });

  it('enqueues a job key once, however often it is enqueued', async () => {
    for (let i = 0; i < 3; i++) await queue.enqueue(handle.db, 'generate-workorder', { workorderId: 7 }, { jobKey: 'k-7' });
    const rows = await handle.db.selectFrom('jobs').selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it('releases a running job on shutdown without counting the attempt', async () => {
    let started = false;
    const r = runner({
      name: 'generate-workorder',
      run: async (_payload, ctx) => {
        started = true;
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        ctx.signal.throwIfAborted();
      },
    });
    await queue.enqueue(handle.db, 'generate-workorder', { workorderId: 1 });
    await until(async () => started);
    await r.stop();
    expect(await job()).toMatchObject({ state: 'queued', attempts: 0, locked_by: null });
  });

  it('takes over a job whose worker died (lease expired)', async () => {
    await queue.enqueue(handle.db, 'generate-workorder', { workorderId: 1 });
    const dead = await queue.claim('dead-worker', ['generate-workorder'], 100);
    expect(dead?.attempt).toBe(1);
    let runs = 0;
    runner({ name: 'generate-workorder', run: async () => { runs += 1; } });
    await until(async () => (await job()).state === 'succeeded');
    expect(runs).toBe(1);
    expect((await job()).attempts).toBe(2);
  });
});
