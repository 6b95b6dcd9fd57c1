import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumerService } from '../../src/domain/consumer/consumer.service.js';
import { scanIdFactory } from '../../src/domain/scans/scan-id.js';
import { ScanRecorder } from '../../src/domain/scans/scan-recorder.js';
import { DatabaseScanWriter } from '../../src/domain/scans/scan-writer.js';
import { insertScans } from '../../src/db/repositories/scans.repository.js';
import { systemClock } from '../../src/shared/clock.js';
import { secureRandom } from '../../src/shared/random.js';
import { codeStatusSettled, createSid } from '../helpers/api-fixtures.js';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';
import { withTransactionHook } from '../helpers/transaction-hook.js';

/**
 * Where combined-info finds a scan the resolver has just taken, each place held still: this process's
 * buffer, this process's write in progress (neither buffered nor committed), another process's buffer
 * (written within one flush interval), and nowhere.
 */
describe('ConsumerService.combinedInfo: a scan on its way to the database', () => {
  const FLUSH_MS = 200;
  let t: TestApp;
  let code: { id: number; workorder_id: number };
  let principal: { keyId: number; companyId: number };
  const newScanId = scanIdFactory(systemClock, secureRandom);
  const scanRow = (id: string) => ({
    id, code_id: code.id, workorder_id: code.workorder_id, company_id: principal.companyId, product_id: null,
    scan_date: new Date().toISOString().replace('Z', '000Z'), scan_number: 1, activation_status: 1, blacklist_reason: 0,
    flags: '', user_agent: 'test', accept_language: 'en', client_network: '10.0.0.0/24',
  });

  /** A recorder that never flushes on its own, whose writes wait while `hold` is set, and a service over it with a recorded sleep. */
  function setUp() {
    const gate: { hold: Promise<void> | null } = { hold: null };
    const db = withTransactionHook(t.container.db, async () => {
      if (gate.hold) await gate.hold;
    });
    const recorder = new ScanRecorder({
      writer: new DatabaseScanWriter({ db, addScanCounts: t.container.database.capabilities.addScanCounts }),
      logger: pino({ level: 'silent' }), flushIntervalMs: 3_600_000,
    });
    const sleeps: number[] = [];
    const onSleep: { action: () => Promise<void> } = { action: async () => undefined };
    const service = new ConsumerService({
      db: t.container.db, clock: systemClock, recorder, flushIntervalMs: FLUSH_MS,
      sleep: async (ms) => {
        sleeps.push(ms);
        await onSleep.action();
      },
    });
    return { gate, recorder, service, sleeps, onSleep };
  }

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    principal = { keyId: 0, companyId: t.seed.brand_owner.company_id };
    const wo = await createSid(t, { quantity: 1, activate_on_complete: true });
    await waitForWorkorder(t, wo.id, t.seed.brand_owner.token, (o) => o.state === 'completed');
    await codeStatusSettled(t, wo.id);
    code = await t.container.db.selectFrom('codes').select(['id', 'workorder_id']).where('workorder_id', '=', wo.id).executeTakeFirstOrThrow();
  });
  afterAll(async () => t?.close());

  it('in this process\'s buffer: answered from it, nothing written, nothing waited for', async () => {
    const { recorder, service, sleeps } = setUp();
    const id = newScanId();
    recorder.record(scanRow(id), { blacklist: false });
    const info = await service.combinedInfo(principal, id);
    expect(info.scan).toMatchObject({ id, scanNumber: 1 });
    expect(info.code.scanCount).toBe(1);
    expect(recorder.buffered).toBe(1);
    expect(sleeps).toEqual([]);
    await recorder.close();
  });

  it('being written by this process: the answer waits for the write to commit', async () => {
    const { gate, recorder, service, sleeps } = setUp();
    let release!: () => void;
    gate.hold = new Promise((resolve) => (release = resolve));
    const id = newScanId();
    recorder.record(scanRow(id), { blacklist: false });
    const writing = recorder.flush();
    expect(recorder.bufferedScan(id)).toBeUndefined();
    let settled = false;
    const pending = service.combinedInfo(principal, id).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    release();
    const info = await pending;
    await writing;
    expect(info.scan.id).toBe(id);
    expect(sleeps).toEqual([]);
    await recorder.close();
  });

  it('taken by another process: looked for again after that process\'s flush interval', async () => {
    const { recorder, service, sleeps, onSleep } = setUp();
    const id = newScanId();
    onSleep.action = async () => insertScans(t.container.db, [scanRow(id)]);
    const info = await service.combinedInfo(principal, id);
    expect(info.scan.id).toBe(id);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(sleeps[0]).toBeLessThanOrEqual(FLUSH_MS + 100);
    await recorder.close();
  });

  it('nowhere: a recent id is waited for once, an old one not at all; both are not found', async () => {
    const { recorder, service, sleeps } = setUp();
    await expect(service.combinedInfo(principal, newScanId())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(sleeps).toHaveLength(1);
    const old = scanIdFactory({ now: () => new Date(Date.now() - 60_000) }, secureRandom)();
    await expect(service.combinedInfo(principal, old)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(sleeps).toHaveLength(1);
    await recorder.close();
  });

  it('another brand owner\'s scan is not found, wherever it is', async () => {
    const { recorder, service } = setUp();
    const id = newScanId();
    recorder.record(scanRow(id), { blacklist: false });
    const stranger = { keyId: 0, companyId: principal.companyId + 1000 };
    await expect(service.combinedInfo(stranger, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await recorder.flush();
    await expect(service.combinedInfo(stranger, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await service.combinedInfo(principal, id)).scan.id).toBe(id);
    await recorder.close();
  });
});
