import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  apiClient, freePort, runCli, startServer, startWorker, type SigilProcess,
} from '../helpers/server-process.js';
import { createPostgresDatabase, type TestDatabase } from '../helpers/test-database.js';

const QUANTITY = 30_000;
const LEASE_SECONDS = 3;

/**
 * graphile-worker alone leaves the job of a worker killed with SIGKILL locked for four hours. With
 * Sigil's heartbeats, another worker takes it over within about a lease, and the order completes with
 * exactly its codes.
 */
describe('a sigil worker killed with SIGKILL on PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-recovery-'));
  let database: TestDatabase | undefined;
  const processes: SigilProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses its job to another worker within about a lease', async () => {
    database = await createPostgresDatabase();
    const env = {
      ...database.env, SIGIL_DATA_DIR: dataDir, SIGIL_JOB_LEASE_SECONDS: String(LEASE_SECONDS), SIGIL_RENDER_THREADS: '1',
    };
    const seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    const template = JSON.parse(runCli(['template', 'create', '--company', String(seed.brand_owner.company_id), '--name', 'small SID', '--size-mm', '6'], env));
    const server = await startServer({ ...env, SIGIL_RUN_WORKER: 'false' }, await freePort());
    processes.push(server);
    const doomed = await startWorker(env);
    processes.push(doomed);
    const api = apiClient(server.baseUrl, seed.brand_owner.token);
    const created = await api('POST', '/api/v2/workorders/create-sid/', { reference: 'KILL-1', quantity: QUANTITY, template: template.id });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const progress = async () => (await api('GET', `/api/v2/workorders/${id}/`)).body;

    let atKill = await progress();
    while (atKill.codegen_progress.codes_generated === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      atKill = await progress();
    }
    expect(atKill.codegen_status).toBe(6);
    await doomed.kill();
    const killedAt = Date.now();

    const rescuer = await startWorker(env);
    processes.push(rescuer);
    let takenOverAfterMs: number | null = null;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const current = await progress();
      if (takenOverAfterMs === null && current.codegen_progress.codes_generated > atKill.codegen_progress.codes_generated) {
        takenOverAfterMs = Date.now() - killedAt;
      }
      if (current.codegen_status === 4) break;
      if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify(current.codegen_progress)}\n${rescuer.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.info(`killed at ${JSON.stringify(atKill.codegen_progress)}; taken over after ${takenOverAfterMs} ms`);
    // A lease, a heartbeat beat (lease / 3), the rescuer's start-up, and slack for this shared machine.
    expect(takenOverAfterMs).not.toBeNull();
    expect(takenOverAfterMs!).toBeLessThan((LEASE_SECONDS * 2 + 10) * 1000);
    expect(rescuer.output()).toMatch(/released the jobs of workers that stopped beating/);

    const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      const stats = await client.query(`select count(*)::int as n, count(distinct extended_id)::int as ids,
        min(sequence_number) as lo, max(sequence_number) as hi from codes where workorder_id = $1`, [id]);
      expect(stats.rows[0]).toEqual({ n: QUANTITY, ids: QUANTITY, lo: 1, hi: QUANTITY });
    } finally {
      await client.end();
    }
  }, 200_000);
});
