import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanRecorder } from '../../src/domain/scans/scan-recorder.js';
import { DatabaseScanWriter } from '../../src/domain/scans/scan-writer.js';
import { codeStatusSettled, createSid } from '../helpers/api-fixtures.js';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';
import { withTransactionHook } from '../helpers/transaction-hook.js';

describe('ScanRecorder: buffered scans survive a failing database and are written on close', () => {
  let t: TestApp;
  let codes: Array<{ id: number; workorder_id: number }>;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    const wo = await createSid(t, { quantity: 2, activate_on_complete: true });
    await waitForWorkorder(t, wo.id, t.seed.brand_owner.token, (o) => o.state === 'completed');
    await codeStatusSettled(t, wo.id);
    codes = await t.container.db.selectFrom('codes').select(['id', 'workorder_id']).where('workorder_id', '=', wo.id).orderBy('id').execute();
  });
  afterAll(async () => t.close());

  let serial = 0;
  const scanOf = (code: { id: number; workorder_id: number }) => ({
    id: `01TEST${String(serial++).padStart(20, '0')}`, code_id: code.id, workorder_id: code.workorder_id,
    company_id: t.seed.brand_owner.company_id, product_id: null, scan_date: `2026-12-01T03:00:${String(serial % 60).padStart(2, '0')}.000000Z`,
    scan_number: 1, activation_status: 1, blacklist_reason: 0, flags: '', user_agent: 'test', accept_language: 'en', client_network: '10.0.0.0/24',
  });
  const countRows = async () => Number((await t.container.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const scanCount = async (codeId: number) => (await t.container.db.selectFrom('codes').select('scan_count').where('id', '=', codeId).executeTakeFirstOrThrow()).scan_count;

  it('keeps scans while writes fail, drops the oldest past its bound (logged), and writes the rest once the database is back', async () => {
    let failing = true;
    const db = withTransactionHook(t.container.db, async () => {
      if (failing) throw new Error('database unavailable');
    });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => { lines.push(String(chunk)); done(); } }));
    const recorder = new ScanRecorder({
      writer: new DatabaseScanWriter({ db, addScanCounts: t.container.database.capabilities.addScanCounts }),
      logger, flushIntervalMs: 3_600_000, batchSize: 3, maxBuffered: 6,
    });
    const rowsBefore = await countRows();
    const [a, b] = [codes[0]!, codes[1]!];
    for (let i = 0; i < 5; i++) recorder.record(scanOf(a), { blacklist: false });
    await recorder.flush();
    expect(recorder.buffered).toBe(5);
    expect(recorder.pendingFor(a.id)).toBe(5);
    expect(await countRows()).toBe(rowsBefore);
    expect(lines.some((line) => line.includes('writing scans failed'))).toBe(true);

    for (let i = 0; i < 3; i++) recorder.record(scanOf(b), { blacklist: false });
    expect(recorder.buffered).toBe(6); // two of a's scans dropped
    expect(recorder.pendingFor(a.id)).toBe(3);
    await recorder.flush();
    expect(lines.some((line) => line.includes('"dropped":2'))).toBe(true);

    failing = false;
    await recorder.flush();
    expect(recorder.buffered).toBe(0);
    expect(recorder.pendingFor(a.id)).toBe(0);
    expect(await countRows()).toBe(rowsBefore + 6);
    expect(await scanCount(a.id)).toBe(3);
    expect(await scanCount(b.id)).toBe(3);
    expect(lines.some((line) => line.includes('writing scans works again'))).toBe(true);
    await recorder.close();
  });

  it('close writes what is buffered; nothing is taken after it', async () => {
    const recorder = new ScanRecorder({ writer: t.container.scanWriter, logger: t.container.logger, flushIntervalMs: 3_600_000 });
    const before = await scanCount(codes[0]!.id);
    for (let i = 0; i < 7; i++) recorder.record(scanOf(codes[0]!), { blacklist: i === 6 });
    await recorder.close();
    expect(await scanCount(codes[0]!.id)).toBe(before + 7);
    const code = await t.container.db.selectFrom('codes').selectAll().where('id', '=', codes[0]!.id).executeTakeFirstOrThrow();
    expect(code).toMatchObject({ activation_status: 2, blacklist_reason: 10 });
    expect(() => recorder.record(scanOf(codes[0]!), { blacklist: false })).toThrow(/closed/);
  });
});
