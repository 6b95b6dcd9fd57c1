import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArchive } from '../helpers/archive-check.js';
import { apiClient, download, freePort, hasUnzip, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

const QUANTITY = 41_000; // three batches (20 000 + 20 000 + 1 000)

/**
 * Kills the real server with SIGKILL twice while it generates a large order — once as soon as codes
 * are being written, once after the resumed run has stored more — restarts it each time, and checks that
 * the order still ends with exactly QUANTITY unique codes, a valid zip, and nothing left behind.
 */
describe('crash during generation', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-crash-'));
  const env = { SIGIL_DATA_DIR: dataDir, SIGIL_JOB_LEASE_SECONDS: '2', SIGIL_JOB_POLL_MS: '50' };
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function waitFor(api: ReturnType<typeof apiClient>, id: number, predicate: (wo: any) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await api('GET', `/api/v2/workorders/${id}/`);
      if (predicate(body)) return body;
      if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(body.codegen_progress)} state=${body.state}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('resumes after SIGKILL with exactly quantity unique codes and a valid zip', async () => {
    const seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    // A SID template printing 6 mm codes keeps the images quick to render.
    const template = JSON.parse(runCli(['template', 'create', '--company', String(seed.brand_owner.company_id), '--name', 'small SID', '--size-mm', '6'], env));
    const port = await freePort();
    server = await startServer(env, port);
    let api = apiClient(server.baseUrl, seed.brand_owner.token);
    const created = await api('POST', '/api/v2/workorders/create-sid/', {
      reference: 'CRASH-1', quantity: QUANTITY, template: template.id, activate_on_complete: false, use_serial_number: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    // Crash 1: while codes are being generated (or at the latest as the archive starts).
    const first = await waitFor(api, id, (wo) => wo.codegen_progress.codes_generated > 0 || wo.codegen_progress.images_rendered > 0, 60_000);
    await server.kill();

    server = await startServer(env, port);
    api = apiClient(server.baseUrl, seed.brand_owner.token);
    // Crash 2: once the resumed run has stored another batch's codes (its images are being rendered then).
    const second = await waitFor(api, id, (wo) => wo.codegen_status === 6 && wo.codegen_progress.codes_generated > first.codegen_progress.codes_generated, 120_000);
    // A batch's images are counted once its fragment is stored, after its codes: they never run ahead.
    expect(second.codegen_progress.codes_generated).toBeGreaterThanOrEqual(second.codegen_progress.images_rendered);
    await server.kill();

    server = await startServer(env, port);
    api = apiClient(server.baseUrl, seed.brand_owner.token);
    const done = await waitFor(api, id, (wo) => wo.codegen_status === 4, 180_000);
    expect(done.state).toBe('completed');
    console.info(`crash points: ${JSON.stringify(first.codegen_progress)}, ${JSON.stringify(second.codegen_progress)}`);

    const zip = await download(done.codegen_file, seed.brand_owner.token);
    expect(zip.status).toBe(200);
    const file = join(dataDir, 'crash.zip');
    writeFileSync(file, zip.data);
    const { ids } = await checkArchive(file, { quantity: QUANTITY, urlPrefix: done.url_prefix, useSerialNumber: true, sample: 30 });
    if (hasUnzip()) expect(spawnSync('unzip', ['-tq', file], { encoding: 'utf8' }).status).toBe(0);
    await server.stop();
    server = undefined;

    // The killed runs' unfinished pieces were recorded and removed when their batches finished: the blob
    // store holds the three batches' fragments and directory pieces and the archive's end, nothing else.
    const files = spawnSync('find', [join(dataDir, 'blobs'), '-type', 'f'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(files.map((f) => f.replace(/^.*\.zip\.parts\//, '').replace(/-\w+(\.dir)?$/, '$1')).sort()).toEqual([
      'batch-000001', 'batch-000001.dir', 'batch-000002', 'batch-000002.dir', 'batch-000003', 'batch-000003.dir', 'tail',
    ]);

    const db = new Database(join(dataDir, 'sigil.db'), { readonly: true });
    try {
      const stats = db.prepare(`SELECT count(*) AS n, count(DISTINCT extended_id) AS ids, min(sequence_number) AS lo,
        max(sequence_number) AS hi FROM codes WHERE workorder_id = ?`).get(id) as Record<string, number>;
      expect(stats).toEqual({ n: QUANTITY, ids: QUANTITY, lo: 1, hi: QUANTITY });
      const dbIds = db.prepare('SELECT extended_id FROM codes WHERE workorder_id = ?').pluck().all(id) as string[];
      expect(new Set(dbIds)).toEqual(ids);
      expect(db.prepare('SELECT count(*) FROM blob_uploads').pluck().get()).toBe(0);
      // Plan, three batches, assembly, code status: all succeeded, and the kills cost some of them a second run.
      const jobs = (db.prepare('SELECT job_key, state, attempts FROM jobs').all() as Array<{ job_key: string; state: string; attempts: number }>)
        .filter((j) => j.job_key.split(':')[1] === String(id));
      expect(jobs.map((j) => j.job_key).sort()).toEqual([
        `assemble-archive:${id}`, `generate-batch:${id}:1`, `generate-batch:${id}:2`, `generate-batch:${id}:3`,
        `generate-workorder:${id}`, `sync-code-status:${id}`,
      ]);
      expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
      expect(jobs.reduce((sum, j) => sum + j.attempts, 0)).toBeGreaterThan(jobs.length);
    } finally {
      db.close();
    }
  }, 400_000);
});
