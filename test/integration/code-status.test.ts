import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generationService, runGeneration } from '../helpers/generation.js';
import { CODE_STATUS_CHUNK, CodeStatusService } from '../../src/domain/codes/code-status.service.js';
import { codeStatusJobKey } from '../../src/jobs/job-types.js';
import { readCodeStatuses, WO } from '../helpers/api-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withTransactionHook } from '../helpers/transaction-hook.js';

const QUANTITY = 4500;
const CHUNK = 1000;

/**
 * Completion and cancel change up to ten million codes: the status is applied by a job, one bounded
 * transaction per chunk of sequence numbers, so other writers get their turn between chunks.
 */
describe('the code-status job', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(); // no worker: the test runs the job's service itself
  });
  afterAll(async () => t.close());

  it('activates a completed order\'s codes in chunks of at most the chunk size, each its own transaction', async () => {
    expect(CODE_STATUS_CHUNK).toBe(50_000);
    const bo = t.seed.brand_owner.token;
    const template = await t.container.admin.createTemplate({ company: t.seed.brand_owner.company_id, name: 'small status', size_mm: 6 });
    const created = await t.call('POST', `${WO}/create-sid/`, bo, { reference: 'STATUS-1', quantity: QUANTITY, template: template.id, activate_on_complete: true });
    const id = created.body.id as number;
    expect(await runGeneration(t, generationService(t), id)).toBe('generated');
    // Completed at once: the state commits with a queued job, and the codes are still inactive.
    expect((await t.call('GET', `${WO}/${id}/`, bo)).body.state).toBe('completed');
    expect(await t.container.queue.describeJob(codeStatusJobKey(id))).toMatchObject({ state: 'queued' });
    expect(await readCodeStatuses(t, id)).toEqual({ count: QUANTITY, tally: { '0/0': QUANTITY } });

    // Between chunks another request writes, and sees the chunks before it committed.
    const seenBetween: Array<Record<string, number>> = [];
    const hooked = withTransactionHook(t.container.db, async (n) => {
      if (n === 3) {
        const other = await t.call('POST', `${WO}/create-sid/`, bo, { reference: 'STATUS-BETWEEN', quantity: 1 });
        expect(other.status).toBe(201);
        seenBetween.push((await readCodeStatuses(t, id)).tally);
      }
    });
    const chunks = await new CodeStatusService({ db: hooked, logger: t.container.logger, chunkSize: CHUNK }).sync(id);
    expect(chunks).toBe(Math.ceil(QUANTITY / CHUNK));
    expect(seenBetween).toEqual([{ '1/0': 2 * CHUNK, '0/0': QUANTITY - 2 * CHUNK }]);
    expect(await readCodeStatuses(t, id)).toEqual({ count: QUANTITY, tally: { '1/0': QUANTITY } });

    // Idempotent: a retried run sets the same status.
    expect(await new CodeStatusService({ db: t.container.db, logger: t.container.logger, chunkSize: CHUNK }).sync(id)).toBe(5);
    expect(await readCodeStatuses(t, id)).toEqual({ count: QUANTITY, tally: { '1/0': QUANTITY } });
  });

  it('does nothing for an order whose state sets no status', async () => {
    const created = await t.call('POST', `${WO}/create-sid/`, t.seed.brand_owner.token, { reference: 'STATUS-NEW', quantity: 3 });
    expect(await t.container.codeStatus.sync(created.body.id as number)).toBe(0);
  });
});
