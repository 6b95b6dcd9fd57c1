import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

/** Files under a directory, recursively (relative paths). */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

/**
 * Stopping an archive half-way — the order is canceled, or the process shuts down — must leave the
 * process serving, the job in a correct state, and no partial archive or temporary file behind.
 */
describe('an archive interrupted while images are rendering', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  async function startRendering(quantity: number) {
    const bo = t.seed.brand_owner.token;
    const created = await t.call('POST', '/api/v2/workorders/create-sid/', bo, { reference: `ABORT-${quantity}`, quantity });
    expect(created.status).toBe(201);
    // Codes are all written and at least one progress report on images has been made.
    await waitForWorkorder(t, created.body.id, bo, (wo) => wo.codegen_progress.images_rendered > 0 && wo.codegen_status === 6, 60_000);
    return created.body.id as number;
  }
  const jobOf = (id: number) => t.container.db.selectFrom('jobs').selectAll().where('job_key', '=', `generate-workorder:${id}`).executeTakeFirstOrThrow();

  it('cancel: the server keeps serving, the job ends, nothing is left on disk', async () => {
    t = await createTestApp({ worker: true });
    const bo = t.seed.brand_owner.token;
    const id = await startRendering(4000);
    const canceled = await t.call('POST', `/api/v2/workorders/${id}/cancel/`, bo);
    expect(canceled.status).toBe(200);
    const deadline = Date.now() + 30_000;
    while ((await jobOf(id)).state === 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect((await jobOf(id)).state).toBe('succeeded');
    expect((await t.call('GET', `/api/v2/workorders/${id}/`, bo)).body).toMatchObject({ state: 'canceled', codegen_status: 3, codegen_file: null });
    expect(filesUnder(join(t.dataDir, 'blobs'))).toEqual([]);
    expect(filesUnder(join(t.dataDir, 'tmp'))).toEqual([]);
  });

  it('shutdown: the job is released for the next run without counting the attempt, nothing is left on disk', async () => {
    t = await createTestApp({ worker: true });
    const id = await startRendering(4000);
    await t.container.runner.stop();
    expect(await jobOf(id)).toMatchObject({ state: 'queued', attempts: 0, locked_by: null });
    expect(filesUnder(join(t.dataDir, 'blobs'))).toEqual([]);
    expect(filesUnder(join(t.dataDir, 'tmp'))).toEqual([]);
  });
});
