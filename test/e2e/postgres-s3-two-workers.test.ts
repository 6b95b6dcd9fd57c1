import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArchive } from '../helpers/archive-check.js';
import { S3RVER_KEY, startS3rver, type S3Server } from '../helpers/s3-server.js';
import {
  apiClient, download, freePort, hasUnzip, runCli, startServer, startWorker, type ServerProcess, type SigilProcess,
} from '../helpers/server-process.js';
import { createPostgresDatabase, type TestDatabase } from '../helpers/test-database.js';

const QUANTITY = 200_000; // ten batches
const LEASE_SECONDS = 3;
const BUCKET = 'sigil-two-workers';

/**
 * The scale-out setup under crashes: an API process and two `sigil worker` processes on PostgreSQL and
 * an S3-compatible store share a 200 000-code SSC order; one worker is killed with SIGKILL in the middle
 * of a batch (first order) or while it assembles the archive (second order). Each order still ends with
 * exactly its codes, in the database and in the archive, every image once, and both workers did batches.
 */
describe('two workers on PostgreSQL + S3, one killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-two-workers-'));
  let database: TestDatabase;
  let s3: S3Server;
  let env: Record<string, string>;
  let seed: any;
  let api: ReturnType<typeof apiClient>;
  let server: ServerProcess;
  const processes: SigilProcess[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    s3 = await startS3rver(BUCKET);
    env = {
      ...database.env, SIGIL_DATA_DIR: dataDir, SIGIL_BLOB_URL: `s3://${BUCKET}/archives`, SIGIL_S3_ENDPOINT: s3.endpoint,
      SIGIL_S3_FORCE_PATH_STYLE: 'true', AWS_ACCESS_KEY_ID: S3RVER_KEY, AWS_SECRET_ACCESS_KEY: S3RVER_KEY, AWS_REGION: 'us-east-1',
      SIGIL_JOB_LEASE_SECONDS: String(LEASE_SECONDS), SIGIL_RENDER_THREADS: '1',
    };
    seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    server = await startServer({ ...env, SIGIL_RUN_WORKER: 'false' }, await freePort());
    processes.push(server);
    api = apiClient(server.baseUrl, seed.brand_owner.token);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await database?.drop();
    await s3?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startWorkers(): Promise<[SigilProcess, SigilProcess]> {
    const workers = await Promise.all([startWorker(env), startWorker(env)]);
    processes.push(...workers);
    return workers;
  }

  async function orderAndConfirm(reference: string): Promise<number> {
    const created = await api('POST', '/api/v2/workorders/create-sg/', {
      reference, quantity: QUANTITY, template: seed.template_id, product: seed.product_sku,
      printing_partner: seed.printing_partner.company_id, code_layout: 'sg-outside', use_serial_number: true,
    });
    expect(created.status).toBe(201);
    const partner = apiClient(server.baseUrl, seed.printing_partner.token);
    const confirmed = await partner('PATCH', `/api/v2/workorders/${created.body.id}/printer-confirm/`, {
      equipment: seed.equipment_id, substrate: seed.substrate_id,
    });
    expect(confirmed.status).toBe(200);
    return created.body.id as number;
  }

  async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 180_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A worker's log lines (JSON) with this message about this order. */
  const logged = (worker: SigilProcess, id: number, msg: string) => worker.output().split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg && entry.workorder === id);
  const batchesDoneBy = (worker: SigilProcess, id: number) => logged(worker, id, 'batch finished').filter((e) => e.outcome === 'done').length;

  /** The order completes with exactly its codes, in the database and in the archive, and nothing unfinished is left. */
  async function expectComplete(id: number): Promise<void> {
    const done = await waitUntil('the order to be generated', async () => {
      const { body } = await api('GET', `/api/v2/workorders/${id}/`);
      if (body.codegen_status === 5) {
        const errors = processes.flatMap((p) => p.output().split('\n').filter((line) => /"level":(40|50)/.test(line))).slice(-20);
        throw new Error(`generation failed: ${body.codegen_error}\n${errors.join('\n')}`);
      }
      return body.codegen_status === 4 ? body : undefined;
    });
    const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    let dbIds: Set<string>;
    try {
      const stats = await client.query(`select count(*)::int as n, count(distinct extended_id)::int as ids,
        min(sequence_number) as lo, max(sequence_number) as hi from codes where workorder_id = $1`, [id]);
      expect(stats.rows[0]).toEqual({ n: QUANTITY, ids: QUANTITY, lo: 1, hi: QUANTITY });
      dbIds = new Set((await client.query('select extended_id from codes where workorder_id = $1', [id])).rows.map((r) => r.extended_id as string));
      // Nothing unfinished is left behind in the store's records.
      expect((await client.query('select count(*)::int as n from blob_uploads where workorder_id = $1', [id])).rows[0]).toEqual({ n: 0 });
    } finally {
      await client.end();
    }
    const zip = await download(done.codegen_file, seed.brand_owner.token);
    expect(zip.status).toBe(200);
    const file = join(dataDir, `order-${id}.zip`);
    writeFileSync(file, zip.data);
    const { ids } = await checkArchive(file, { quantity: QUANTITY, urlPrefix: done.url_prefix, useSerialNumber: true, sample: 20 });
    expect(ids).toEqual(dbIds);
    if (hasUnzip()) expect(spawnSync('unzip', ['-tq', file], { encoding: 'utf8' }).status).toBe(0);
    rmSync(file);
  }

  it('a worker killed in the middle of a batch: its batch is taken over', async () => {
    const [doomed, survivor] = await startWorkers();
    try {
      const id = await orderAndConfirm('TWO-KILL-BATCH');
      // Once the doomed worker has stored two batches, it is in the middle of another one.
      await waitUntil('the worker to store batches', () => (batchesDoneBy(doomed, id) >= 2 ? true : undefined));
      await doomed.kill();
      await expectComplete(id);
      expect(survivor.output()).toMatch(/released the jobs of workers that stopped beating/);
      expect(batchesDoneBy(doomed, id)).toBeGreaterThanOrEqual(2);
      expect(batchesDoneBy(survivor, id)).toBeGreaterThanOrEqual(1);
      expect(batchesDoneBy(doomed, id) + batchesDoneBy(survivor, id)).toBe(QUANTITY / 20_000);
    } finally {
      // The next order is for the next pair of workers alone.
      await Promise.all([doomed.kill(), survivor.stop()]);
    }
  }, 300_000);

  it('the worker assembling the archive killed: the other assembles it', async () => {
    const workers = await startWorkers();
    const id = await orderAndConfirm('TWO-KILL-ASSEMBLY');
    const assembling = (worker: SigilProcess) => logged(worker, id, 'assembling the archive').length > 0;
    const doomed = await waitUntil('a worker to assemble the archive', () => workers.find(assembling));
    const survivor = workers.find((w) => w !== doomed)!;
    await doomed.kill();
    await expectComplete(id);
    expect(assembling(survivor)).toBe(true);
    expect(batchesDoneBy(doomed, id)).toBeGreaterThanOrEqual(1);
    expect(batchesDoneBy(survivor, id)).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
