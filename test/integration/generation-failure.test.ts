import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureReason } from '../../src/domain/codes/code-generation.service.js';
import { PermanentJobError } from '../../src/jobs/job-types.js';
import { createTestApp, sgPayload, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

describe('a generation that cannot succeed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(); // the runner starts once the order is set up
  });
  afterAll(async () => t.close());

  it('ends with codegen_status 5 (failed), no file, and the job marked failed', async () => {
    const bo = t.seed.brand_owner.token;
    const created = await t.call('POST', '/api/v2/workorders/create-sg/', bo, sgPayload(t));
    const confirmed = await t.call('PATCH', `/api/v2/workorders/${created.body.id}/printer-confirm/`, t.seed.printing_partner.token,
      { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id });
    expect(confirmed.status).toBe(200);
    // The calibration is broken after the confirmation (an operator mistake): planning the images fails.
    await t.container.db.updateTable('calibrations').set({ cell_size_dots: 100_000 }).execute();
    t.container.worker.start();
    const failed = await waitForWorkorder(t, created.body.id, bo, (wo) => wo.codegen_status === 5);
    expect(failed).toMatchObject({ state: 'new', codegen_file: null });
    // Not retried: the job is over after its one attempt (recorded as failed, or forgotten once it ended).
    // (The embedded queue keeps it as failed; graphile-worker ends a job whose failure is permanent.)
    const job = await t.container.queue.describeJob(`generate-workorder:${created.body.id}`);
    expect(job === null ? null : job.state).toBeOneOf([null, 'failed']);
    if (job) expect(job).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^cannot plan images: /) });
    // The order says why, in the API.
    expect(failed.codegen_error).toMatch(/^cannot plan images: /);
    // A failed order can still be canceled by its owner.
    const canceled = await t.call('POST', `/api/v2/workorders/${created.body.id}/cancel/`, bo);
    expect(canceled.status).toBe(200);
  });

  it('shows an unexpected failure as a plain reason, never the error itself (paths, hosts, SQL stay in the log)', () => {
    const internal = new Error("ENOENT: no such file or directory, open '/srv/sigil/data/tmp/archive-1/codes.csv.deflated'");
    expect(failureReason(internal)).toMatch(/^Generation failed after repeated errors on the platform/);
    expect(failureReason(internal)).not.toContain('/srv');
    expect(failureReason(new PermanentJobError('cannot plan images: the layout does not fit'))).toBe('cannot plan images: the layout does not fit');
  });
});
