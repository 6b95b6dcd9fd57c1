import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from '../../src/db/migrate.js';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process.js';
import { createPostgresDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * Several processes started at once on an empty PostgreSQL database (a fleet rolling out): the
 * migrations — Sigil's and graphile-worker's — apply once, under the advisory lock, and every process
 * starts serving.
 */
describe('four sigil processes starting at once on an empty PostgreSQL database', () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  const dataDirs: string[] = [];
  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('all start, and each migration is applied exactly once', async () => {
    const ports = await Promise.all([0, 1, 2, 3].map(() => freePort()));
    for (let i = 0; i < 4; i++) dataDirs.push(mkdtempSync(join(tmpdir(), 'sigil-start-')));
    const started = await Promise.all(ports.map((port, i) => startServer({
      ...database.env,
      SIGIL_DATA_DIR: dataDirs[i]!,
      // Two API-only processes and two with the worker: both paths migrate.
      SIGIL_RUN_WORKER: i % 2 === 0 ? 'true' : 'false',
    }, port)));
    servers.push(...started);
    for (const server of started) expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);

    const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      const sigil = await client.query<{ name: string; n: string }>('select name, count(*) as n from kysely_migration group by name order by name');
      expect(sigil.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
      expect(MIGRATION_NAMES[0]).toBe('0001-initial');
      expect(sigil.rows.every((r) => r.n === '1')).toBe(true);
      const graphile = await client.query<{ id: number }>('select id from graphile_worker.migrations order by id');
      expect(graphile.rows.length).toBeGreaterThan(0);
      expect(new Set(graphile.rows.map((r) => r.id)).size).toBe(graphile.rows.length);
    } finally {
      await client.end();
    }
  });
});
