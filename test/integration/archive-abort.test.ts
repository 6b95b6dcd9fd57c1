import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageRenderer } from '../../src/domain/codes/render-pool.js';
import { batchJobKey } from '../../src/jobs/job-types.js';
import { orderJobsSettled } from '../helpers/api-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { TEST_ENGINE } from '../helpers/test-database.js';

/** Files under a directory, recursively (relative paths). */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

/**
 * Stopping a batch's fragment half-way — the order is canceled, or the process shuts down — must leave
 * the process serving, the job in a correct state, and no partial upload (or record of one) behind.
 */
describe('an archive interrupted while images are rendering', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  /**
   * The real render pool, held after its third batch until `release()`: the archive is then known to be
   * half-written (images of earlier batches are in the zip) when the test interrupts it.
   */
  function gatedRenderer() {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<void>((resolve) => (reached = resolve));
    let batches = 0;
    const wrap = (pool: ImageRenderer): ImageRenderer => ({
      parallelism: pool.parallelism,
      close: () => pool.close(),
      async render(task) {
        const batch = await pool.render(task);
        if (++batches >= 3) {
          reached();
          await gate;
        }
        return batch;
      },
    });
    return { wrap, held, release: () => release() };
  }

  async function startRendering(quantity: number, held: Promise<void>) {
    const bo = t.seed.brand_owner.token;
    const created = await t.call('POST', '/api/v2/workorders/create-sid/', bo, { reference: `ABORT-${quantity}`, quantity });
    expect(created.status).toBe(201);
    await held;
    const current = await t.call('GET', `/api/v2/workorders/${created.body.id}/`, bo);
    expect(current.body.codegen_status).toBe(6);
    expect(filesUnder(join(t.dataDir, 'blobs')).length).toBe(1); // the batch's partial fragment
    expect(await t.container.db.selectFrom('blob_uploads').select('workorder_id').execute()).toEqual([{ workorder_id: created.body.id }]);
    return created.body.id as number;
  }
  // 4 000 codes: one batch.
  const jobOf = (id: number) => t.container.queue.describeJob(batchJobKey(id, 1));

  it('cancel: the server keeps serving, the job ends, nothing is left on disk', async () => {
    const gated = gatedRenderer();
    t = await createTestApp({ worker: true, overrides: { wrapRenderer: gated.wrap } });
    const bo = t.seed.brand_owner.token;
    const id = await startRendering(4000, gated.held);
    const canceled = await t.call('POST', `/api/v2/workorders/${id}/cancel/`, bo);
    expect(canceled.status).toBe(200);
    gated.release();
    expect(await orderJobsSettled(t, id, 30_000)).toBe('succeeded'); // the batch stopped, and the discarding ran
    expect((await t.call('GET', `/api/v2/workorders/${id}/`, bo)).body).toMatchObject({ state: 'canceled', codegen_status: 3, codegen_file: null });
    expect(filesUnder(join(t.dataDir, 'blobs'))).toEqual([]);
    expect(await t.container.db.selectFrom('blob_uploads').selectAll().execute()).toEqual([]);
  });

  it('shutdown: the job is released for the next run, nothing is left on disk', async () => {
    const gated = gatedRenderer();
    t = await createTestApp({ worker: true, overrides: { wrapRenderer: gated.wrap } });
    const id = await startRendering(4000, gated.held);
    const stopped = t.container.worker.stop();
    gated.release();
    await stopped;
    // The embedded runner does not count the attempt; graphile-worker counts it (and retries after its backoff).
    expect(await jobOf(id)).toMatchObject({ state: 'queued', attempts: TEST_ENGINE === 'sqlite' ? 0 : 1 });
    expect(filesUnder(join(t.dataDir, 'blobs'))).toEqual([]);
    expect(await t.container.db.selectFrom('blob_uploads').selectAll().execute()).toEqual([]);
  });
});
