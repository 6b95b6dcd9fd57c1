import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkorderService } from '../../src/domain/workorders/workorder.service.js';
import { AppError } from '../../src/shared/app-error.js';
import { withTransactionHook } from '../helpers/transaction-hook.js';
import { createOtherTenants, createTestApp, sgPayload, type TestApp } from '../helpers/test-app.js';

/**
 * The brand owner re-assigns an order to another printing partner while the first partner's confirm
 * is being checked: the confirm must not go through on the stale order.
 */
describe('printer-confirm racing an edit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('refuses the confirm when the order changed after it was read', async () => {
    const bo = t.seed.brand_owner.token;
    const other = await createOtherTenants(t);
    const order = (await t.call('POST', '/api/v2/workorders/create-sg/', bo, sgPayload(t, { template: null }))).body;
    // The real database, with one hook: the brand's PATCH lands just before the confirm's transaction.
    const hooked = withTransactionHook(t.container.db, async () => {
      const patched = await t.call('PATCH', `/api/v2/workorders/${order.id}/`, bo, { printing_partner: other.partner.id, substrate: null });
      expect(patched.status).toBe(200);
    });
    const service = new WorkorderService({
      db: hooked, clock: t.container.clock, queue: t.container.queue, blobs: t.container.blobs, defaultUrlPrefix: 'http://sigil.test/q/',
    });
    const principal = await t.container.auth.authenticate(`UAT ${t.seed.printing_partner.token}`);
    const attempt = service.confirm(principal, order.id, { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ details: { fields: { non_field_errors: [expect.stringMatching(/changed while it was being confirmed/)] } } });
    const after = (await t.call('GET', `/api/v2/workorders/${order.id}/`, bo)).body;
    expect(after).toMatchObject({ codegen_status: 1, equipment: null, printing_partner: { id: other.partner.id } });
    expect(await t.container.queue.listJobs()).toEqual([]);
  });

  it('ten printer-confirms of one order at once: exactly one goes through and one generation is enqueued', async () => {
    const order = (await t.call('POST', '/api/v2/workorders/create-sg/', t.seed.brand_owner.token, sgPayload(t))).body;
    const body = { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id };
    const replies = await Promise.all(Array.from({ length: 10 }, () =>
      t.call('PATCH', `/api/v2/workorders/${order.id}/printer-confirm/`, t.seed.printing_partner.token, body)));
    expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(400)]);
    for (const refused of replies.filter((r) => r.status === 400)) {
      expect(refused.body.non_field_errors[0]).toMatch(/already been confirmed|changed while it was being confirmed/);
    }
    const jobs = (await t.container.queue.listJobs()).filter((job) => job.key === `generate-workorder:${order.id}`);
    expect(jobs).toHaveLength(1);
  });
});
