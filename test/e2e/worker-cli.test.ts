import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, startWorker } from '../helpers/server-process.js';

/** `sigil worker [--concurrency N]` as an operator starts it. */
describe('sigil worker', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-worker-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs N jobs at once with --concurrency N, logs its database, blob store and worker id, and stops on SIGTERM', async () => {
    const worker = await startWorker({ SIGIL_DATA_DIR: dataDir }, ['--concurrency', '3']);
    await worker.stop();
    const started = worker.output().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'Sigil worker is running');
    expect(started).toMatchObject({
      concurrency: 3, database: `sqlite:${join(dataDir, 'sigil.db')}`, blobs: expect.stringMatching(/^file:\/\//),
      workerId: expect.any(String),
    });
    expect(worker.child.exitCode).toBe(0);
  });

  it('refuses a concurrency out of range, saying so', () => {
    for (const value of ['0', '65', 'many']) {
      const result = spawnSync(process.execPath, [CLI, 'worker', '--concurrency', value], { env: { ...process.env, SIGIL_DATA_DIR: dataDir }, encoding: 'utf8' });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/concurrency|expected an integer/);
    }
  });
});
