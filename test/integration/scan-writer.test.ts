import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRow } from '../../src/db/tables/scans.table.js';
import { codeStatusSettled, createSid } from '../helpers/api-fixtures.js';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

/** The process's scan writer. */
describe('scan writer: each batch all or nothing, through the engine\'s writer', () => {
  let t: TestApp;
  let codes: Array<{ id: number; workorder_id: number }>;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    const wo = await createSid(t, { quantity: 3, activate_on_complete: true });
    await waitForWorkorder(t, wo.id, t.seed.brand_owner.token, (o) => o.state === 'completed');
    await codeStatusSettled(t, wo.id);
    codes = await t.container.db.selectFrom('codes').select(['id', 'workorder_id']).where('workorder_id', '=', wo.id).orderBy('id').execute();
  });
  afterAll(async () => t.close());

  let serial = 0;
  const scanOf = (code: { id: number; workorder_id: number }, id = `01WRITER${String(serial++).padStart(18, '0')}`): ScanRow => ({
    id, code_id: code.id, workorder_id: code.workorder_id, company_id: t.seed.brand_owner.company_id, product_id: null,
    scan_date: `2026-12-01T04:00:${String(serial % 60).padStart(2, '0')}.000000Z`, scan_number: 1, activation_status: 1,
    blacklist_reason: 0, flags: '', user_agent: 'test', accept_language: 'en', client_network: '10.0.0.0/24',
  });
  const codeRow = (id: number) => t.container.db.selectFrom('codes').select(['scan_count', 'first_scan_date', 'last_scan_date', 'activation_status', 'blacklist_reason'])
    .where('id', '=', id).executeTakeFirstOrThrow();
  const scanIds = async (ids: string[]) => (await t.container.db.selectFrom('scans').select('id').where('id', 'in', ids).execute()).map((r) => r.id).sort();

  it('writes the rows, adds them to their codes\' counters and blacklists the codes it is told to (reason 10)', async () => {
    const [a, b] = [codes[0]!, codes[1]!];
    const rows = [scanOf(a), scanOf(a), scanOf(b)];
    let beforeCommit = 0;
    await t.container.scanWriter.write(rows, [b.id], () => void (beforeCommit += 1));
    expect(beforeCommit).toBe(1); // once, when only the commit was left
    expect(await scanIds(rows.map((r) => r.id))).toEqual(rows.map((r) => r.id).sort());
    expect(await codeRow(a.id)).toMatchObject({ scan_count: 2, first_scan_date: rows[0]!.scan_date, last_scan_date: rows[1]!.scan_date, activation_status: 1 });
    expect(await codeRow(b.id)).toMatchObject({ scan_count: 1, activation_status: 2, blacklist_reason: 10 });
  });

  it('a batch that fails changes nothing and says why', async () => {
    const c = codes[2]!;
    const taken = scanOf(c);
    await t.container.scanWriter.write([taken], [], () => undefined);
    const batch = [scanOf(c), scanOf(c, taken.id)]; // the second repeats an id: the whole batch fails
    let beforeCommit = 0;
    await expect(t.container.scanWriter.write(batch, [c.id], () => void (beforeCommit += 1))).rejects.toThrow(/unique|duplicate/i);
    expect(beforeCommit).toBe(0); // it failed before its commit: readers never had to wonder
    expect(await scanIds([batch[0]!.id])).toEqual([]);
    expect(await codeRow(c.id)).toMatchObject({ scan_count: 1, activation_status: 1 });
  });
});
