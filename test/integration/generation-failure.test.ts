import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureReason } from '../../src/domain/codes/code-generation.service.js';
import { PermanentJobError } from '../../src/jobs/job-types.js';
import { codeStatusSettled, createSid, orderJobsSettled, snapshot } from '../helpers/api-fixtures.js';
import { createTestApp, sgPayload, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

describe('a generation that cannot succeed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(); // the runner starts once the order is set up
  });
  afterAll(async () => t.close());

  it('ends with codegen_status 5 (failed), no file, and the job marked failed; platform staff can retry it', async () => {
    const bo = t.seed.brand_owner.token;
    const orders: number[] = [];
    for (const reference of ['FAIL-A', 'FAIL-B']) {
      const created = await t.call('POST', '/api/v2/workorders/create-sg/', bo, { ...sgPayload(t), reference });
      const confirmed = await t.call('PATCH', `/api/v2/workorders/${created.body.id}/printer-confirm/`, t.seed.printing_partner.token,
        { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id });
      expect(confirmed.status).toBe(200);
      orders.push(created.body.id as number);
    }
    const [first, second] = orders as [number, number];
    // The calibration is broken after the confirmation (an operator mistake): planning the images fails.
    const calibration = await t.container.db.selectFrom('calibrations').select('cell_size_dots').executeTakeFirstOrThrow();
    await t.container.db.updateTable('calibrations').set({ cell_size_dots: 100_000 }).execute();
    t.container.worker.start();
    const failed = await waitForWorkorder(t, first, bo, (wo) => wo.codegen_status === 5);
    expect(failed).toMatchObject({ state: 'new', codegen_file: null });
    await waitForWorkorder(t, second, bo, (wo) => wo.codegen_status === 5);
    // Not retried: the job is over after its one attempt (recorded as failed, or forgotten once it ended).
    // (The embedded queue keeps it as failed; graphile-worker ends a job whose failure is permanent.)
    const job = await t.container.queue.describeJob(`generate-workorder:${first}`);
    expect(job === null ? null : job.state).toBeOneOf([null, 'failed']);
    if (job) expect(job).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^cannot plan images: /) });
    // The order says why, in the API.
    expect(failed.codegen_error).toMatch(/^cannot plan images: /);
    // A failed order can still be canceled by its owner.
    const canceled = await t.call('POST', `/api/v2/workorders/${first}/cancel/`, bo);
    expect(canceled.status).toBe(200);

    // Once the calibration is fixed, platform staff run the other one again; it completes.
    await t.container.db.updateTable('calibrations').set({ cell_size_dots: calibration.cell_size_dots }).execute();
    await codeStatusSettled(t, first); // the cancel's job has run
    const before = await snapshot(t);
    const notPlatform = await t.call('POST', `/api/v2/workorders/${second}/retry-generation/`, bo);
    expect(notPlatform.status).toBe(403);
    expect(notPlatform.body).toEqual({ detail: 'Only platform staff can retry a failed generation.' });
    const unknown = await t.call('POST', '/api/v2/workorders/999999/retry-generation/', t.seed.platform.token);
    expect(unknown.status).toBe(404);
    const notFailed = await t.call('POST', `/api/v2/workorders/${first}/retry-generation/`, t.seed.platform.token);
    expect(notFailed.status).toBe(400);
    expect(notFailed.body).toEqual({ non_field_errors: ['The generation of a work order in state "canceled" cannot be retried.'] });
    expect(await snapshot(t)).toEqual(before);
    const retried = await t.call('POST', `/api/v2/workorders/${second}/retry-generation/`, t.seed.platform.token);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ codegen_status: 6, codegen_error: null });
    const done = await waitForWorkorder(t, second, bo, (wo) => wo.codegen_status === 4);
    expect(done.codegen_file).not.toBeNull();
    const again = await t.call('POST', `/api/v2/workorders/${second}/retry-generation/`, t.seed.platform.token);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ non_field_errors: ['The generation of a work order in state "completed" cannot be retried.'] });
  });

  it('shows an unexpected failure as a plain reason, never the error itself (paths, hosts, SQL stay in the log)', () => {
    const internal = new Error("ENOENT: no such file or directory, open '/srv/sigil/data/tmp/archive-1/codes.csv.deflated'");
    expect(failureReason(internal)).toMatch(/^Generation failed after repeated errors on the platform/);
    expect(failureReason(internal)).not.toContain('/srv');
    expect(failureReason(new PermanentJobError('cannot plan images: the layout does not fit'))).toBe('cannot plan images: the layout does not fit');
  });
});

describe('a batch that fails for good, retried by platform staff', () => {
  let t: TestApp;
  let failing = true;
  beforeAll(async () => {
    // The real render pool, failing for good while `failing` holds (a fault the operators then fix).
    t = await createTestApp({
      worker: true,
      overrides: {
        wrapRenderer: (pool) => ({
          parallelism: pool.parallelism,
          close: () => pool.close(),
          render: (task) => (failing ? Promise.reject(new PermanentJobError('render threads unavailable')) : pool.render(task)),
        }),
      },
    });
  });
  afterAll(async () => t.close());

  it('fails the order; the retry runs the batches that are not done, keeps stored codes, and completes', async () => {
    const bo = t.seed.brand_owner.token;
    const sid = await createSid(t, { reference: 'FAIL-BATCH', quantity: 20_005 }); // two batches
    const failed = await waitForWorkorder(t, sid.id, bo, (wo) => wo.codegen_status === 5, 30_000);
    expect(failed.codegen_error).toBe('render threads unavailable');
    await orderJobsSettled(t, sid.id).catch(() => undefined);
    // Codes a batch stored before its images failed stay; nothing is marked done.
    const stored = await t.container.db.selectFrom('codes').select(['sequence_number', 'extended_id'])
      .where('workorder_id', '=', sid.id).orderBy('sequence_number').execute();
    const done = await t.container.db.selectFrom('generation_batches').select('batch_number')
      .where('workorder_id', '=', sid.id).where('done_date', 'is not', null).execute();
    expect(done).toEqual([]);

    failing = false;
    const retried = await t.call('POST', `/api/v2/workorders/${sid.id}/retry-generation/`, t.seed.platform.token);
    expect(retried.status).toBe(200);
    const generated = await waitForWorkorder(t, sid.id, bo, (wo) => wo.codegen_status === 4, 60_000);
    expect(generated).toMatchObject({ state: 'completed', codegen_error: null });
    const after = await t.container.db.selectFrom('codes').select(['sequence_number', 'extended_id'])
      .where('workorder_id', '=', sid.id).orderBy('sequence_number').execute();
    expect(after).toHaveLength(20_005);
    expect(new Set(after.map((c) => c.extended_id)).size).toBe(20_005);
    // Whatever was stored before the failure was read back, never drawn again.
    for (const code of stored) expect(after[code.sequence_number - 1]).toEqual(code);
  }, 120_000);
});
