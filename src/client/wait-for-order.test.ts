import { describe, expect, it } from 'vitest';
import type { ApiClient } from './api-client.js';
import { createProgress } from './progress.js';
import { outcomeOf, waitForOrder } from './wait-for-order.js';
import type { Workorder } from './workorder.js';

const order = (fields: Partial<Workorder>): Workorder => ({
  id: 1, type: 'SSC', state: 'new', reference: 'R', quantity: 10, creation_date: '', codegen_status: 6, codegen_file: null,
  codegen_progress: { codes_generated: 0, images_rendered: 0, percent: 0 }, codegen_error: null, company: null, printing_partner: null,
  equipment: null, substrate: null, product: null, template: null, code_layout: null, external_id: '', remarks: '', is_archived: false, ...fields,
});

/** An API whose detail answers are `orders`, one per poll (the last one repeats). */
const fakeApi = (orders: Workorder[]) => {
  let polls = 0;
  const api = { json: async () => orders[Math.min(polls++, orders.length - 1)] } as unknown as ApiClient;
  return { api, polls: () => polls };
};
const quiet = () => createProgress({ tty: false, stream: { write: () => true } as unknown as NodeJS.WritableStream });

describe('waitForOrder', () => {
  it('classifies orders: generated, failed, canceled (also a generated order canceled later), or still going', () => {
    expect(outcomeOf(order({ codegen_status: 4 }))).toBe('generated');
    expect(outcomeOf(order({ codegen_status: 5 }))).toBe('failed');
    expect(outcomeOf(order({ codegen_status: 3 }))).toBe('canceled');
    expect(outcomeOf(order({ codegen_status: 4, state: 'canceled' }))).toBe('canceled');
    expect(outcomeOf(order({ codegen_status: 6 }))).toBeNull();
    expect(outcomeOf(order({ codegen_status: 1 }))).toBeNull();
  });

  it('polls until an outcome, and gives up at the timeout', async () => {
    const failing = fakeApi([order({}), order({ codegen_progress: { codes_generated: 10, images_rendered: 2, percent: 60 } }), order({ codegen_status: 5, codegen_error: 'disk full' })]);
    const failed = await waitForOrder(failing.api, 1, { intervalMs: 1, timeoutMs: 0, progress: quiet() });
    expect(failed.outcome).toBe('failed');
    expect(failed.order.codegen_error).toBe('disk full');
    expect(failing.polls()).toBe(3);

    const stuck = fakeApi([order({ codegen_status: 1 })]);
    const started = Date.now();
    const timedOut = await waitForOrder(stuck.api, 1, { intervalMs: 20, timeoutMs: 120, progress: quiet() });
    expect(timedOut.outcome).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(stuck.polls()).toBeGreaterThan(2);
  });
});
