import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeStatusSettled, createSid } from '../helpers/api-fixtures.js';
import { exportCodes } from '../helpers/documents.js';
import { TEST_ENGINE } from '../helpers/test-database.js';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

const QUANTITY = 200_000;

/** The p-th percentile of some durations (ms). */
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

describe(`a ${QUANTITY}-code order after the press`, () => {
  let t: TestApp;
  let bo: string;
  let orderId: number;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    const wo = await createSid(t, { quantity: QUANTITY, activate_on_complete: false });
    orderId = wo.id;
    await waitForWorkorder(t, wo.id, bo, (o) => o.state === 'completed', 240_000);
    await codeStatusSettled(t, wo.id, 60_000);
  }, 300_000);
  afterAll(async () => t.close());

  it('an async activation over the whole order completes in chunks while the API keeps answering', async () => {
    const created = await t.call('POST', '/api/v2/scm/upload/async/', bo, { constraints: { workorder: orderId }, scm_data: { activation_status: 1 } });
    expect(created.status).toBe(202);
    const taskUrl = `/api/v2/scm/tasks/${created.body.task_id}/`;
    const latencies: number[] = [];
    const progress = new Set<number>();
    let task: any;
    for (;;) {
      const started = performance.now();
      const detail = await t.call('GET', `/api/v2/workorders/${orderId}/`, bo);
      latencies.push(performance.now() - started);
      expect(detail.status).toBe(200);
      const polled = await t.call('GET', taskUrl, bo);
      expect(polled.status, JSON.stringify(polled.body)).toBe(200);
      task = polled.body;
      progress.add(task.codes_processed);
      if (latencies.length > 100_000) throw new Error(`task still ${task.state} after ${latencies.length} polls`);
      if (task.state === 'complete' || task.state === 'failed') break;
      // Requests injected back to back never leave the microtask queue; over a socket they arrive as I/O.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(task).toMatchObject({ state: 'complete', codes_total: QUANTITY, codes_processed: QUANTITY, codes_affected: QUANTITY });
    // Seen part-way: the task commits chunk by chunk.
    expect([...progress].some((n) => n > 0 && n < QUANTITY)).toBe(true);
    const active = await t.container.db.selectFrom('codes').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workorder_id', '=', orderId).where('activation_status', '=', 1).executeTakeFirstOrThrow();
    expect(Number(active.n)).toBe(QUANTITY);
    console.log(`[${TEST_ENGINE}] async activation of ${QUANTITY} codes: ${latencies.length} detail requests during the task, `
      + `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; `
      + `progress seen at ${[...progress].length} points`);
  }, 120_000);

  it('an export of the order streams every row into its CSV', async () => {
    const { lines, document } = await exportCodes(t, bo, `workorder=${orderId}`, 120_000);
    expect(document.row_count).toBe(QUANTITY);
    expect(lines).toHaveLength(QUANTITY + 1);
    const ids = new Set(lines.slice(1).map((line) => line.slice(0, line.indexOf(','))));
    expect(ids.size).toBe(QUANTITY);
    const count = await t.container.db.selectFrom('codes').select((eb) => eb.fn.countAll<number>().as('n')).where('workorder_id', '=', orderId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(QUANTITY);
    for (const line of lines.slice(1, 100)) expect(line).toMatch(new RegExp(`^[0-9A-Z]{21},\\d{10},,,,1,0,[^,]*,[^,]*,${orderId},0$`));
  }, 180_000);
});
