import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generationService, runGeneration } from '../helpers/generation.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Two runs of one order's generation at once (a job taken over from a worker that was only slow):
 * the order gets one serial range and one set of codes, whichever run wins each step.
 */
describe('the same generation run twice at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('reserves one serial range and writes one set of codes', async () => {
    const bo = t.seed.brand_owner.token;
    const quantity = 3000;
    const company = () => t.container.db.selectFrom('companies').select('next_serial_number')
      .where('id', '=', t.seed.brand_owner.company_id).executeTakeFirstOrThrow();
    const before = (await company()).next_serial_number;
    const created = await t.call('POST', '/api/v2/workorders/create-sid/', bo, { reference: 'TWICE', quantity, use_serial_number: true });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    // Two runs of every job at once: the plans race for the serial range, the batches for the codes.
    const outcomes = await Promise.allSettled([runGeneration(t, generationService(t), id), runGeneration(t, generationService(t), id)]);
    expect(outcomes.some((o) => o.status === 'fulfilled' && o.value === 'generated')).toBe(true);

    const order = await t.container.db.selectFrom('workorders').select(['serial_start', 'codegen_status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(order.codegen_status).toBe(4);
    expect((await company()).next_serial_number - before).toBe(quantity); // one range taken, the loser's given back
    const codes = await t.container.db.selectFrom('codes').select(['sequence_number', 'serial_number', 'extended_id'])
      .where('workorder_id', '=', id).orderBy('sequence_number').execute();
    expect(codes).toHaveLength(quantity);
    expect(codes.map((c) => Number(c.serial_number))).toEqual(codes.map((c) => order.serial_start! + c.sequence_number - 1));
    expect(new Set(codes.map((c) => c.extended_id)).size).toBe(quantity);
    const serials = (await (await t.call('GET', `/api/v2/workorders/${id}/serial-numbers/`, bo)).raw.toString('utf8')).trim().split('\n').slice(1);
    expect(serials.map((line) => line.split(',')[0])).toEqual(codes.map((c) => c.extended_id));
  });
});
