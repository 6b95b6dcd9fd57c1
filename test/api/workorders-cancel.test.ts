import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { MAX_BATCH_SIZE } from '../../src/codegen/batches.js';
import { generationService, runGeneration } from '../helpers/generation.js';
import { codeStatusJobKey, discardJobKey } from '../../src/jobs/job-types.js';
import { codeStatusSettled, orderJobsSettled, codeStatuses, confirm, readCodeStatuses, createSg, createSid, ISO_MICROS, snapshot, WO } from '../helpers/api-fixtures.js';
import { withTransactionHook } from '../helpers/transaction-hook.js';
import { createTestApp, tokenFor, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

const CANCELED_DOWNLOAD = { detail: 'This work order has been canceled; its codes cannot be downloaded.' };

/** Files left in the blob store for an order (an archive, or a partial upload). */
/** Files and folders the blob store holds for an order. */
function blobsOf(t: TestApp, id: number): string[] {
  const dir = join(t.dataDir, 'blobs', 'workorders', String(id));
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

describe('POST /api/v2/workorders/{id}/cancel/ (worker running)', () => {
  let t: TestApp;
  let bo: string;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
  });
  afterAll(async () => t.close());

  it('cancels a new order; a second cancel is a 400', async () => {
    const wo = await createSg(t, { reference: 'CXL-1' });
    const reply = await t.call('POST', `${WO}/${wo.id}/cancel/`, bo);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ state: 'canceled', codegen_status: 1, codegen_file: null });
    expect(reply.body.canceled_date).toMatch(ISO_MICROS);
    await codeStatusSettled(t, wo.id);
    const before = await snapshot(t);
    const again = await t.call('POST', `${WO}/${wo.id}/cancel/`, bo);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ non_field_errors: ['A work order in state "canceled" cannot be canceled.'] });
    expect(await snapshot(t)).toEqual(before);
    // The assigned partner may cancel too.
    const other = await createSg(t, { reference: 'CXL-2' });
    expect((await t.call('POST', `${WO}/${other.id}/cancel/`, t.seed.printing_partner.token)).body.state).toBe('canceled');
  });

  it('stops a running generation: status 3, no archive, every written code blacklisted (reason 9)', async () => {
    const quantity = 30_000;
    const sid = await createSid(t, { reference: 'CXL-BIG', quantity });
    const running = await waitForWorkorder(t, sid.id, bo, (wo) => wo.codegen_progress.codes_generated > 0, 20_000);
    expect(running).toMatchObject({ state: 'new', codegen_status: 6 });

    const reply = await t.call('POST', `${WO}/${sid.id}/cancel/`, bo);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ state: 'canceled', codegen_status: 3, codegen_file: null });

    expect(await orderJobsSettled(t, sid.id)).toBe('succeeded');
    const after = await t.call('GET', `${WO}/${sid.id}/`, bo);
    expect(after.body).toMatchObject({ state: 'canceled', codegen_status: 3, codegen_file: null, date_codes_completed: null });
    expect(after.body.codegen_progress.images_rendered).toBeLessThan(quantity);

    const { count, tally } = await codeStatuses(t, sid.id);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(quantity);
    expect(tally).toEqual({ '2/9': count });
    expect(blobsOf(t, sid.id)).toEqual([]);
    for (const path of ['download', 'serial-numbers']) {
      const download = await t.call('GET', `${WO}/${sid.id}/${path}/`, bo);
      expect(download.status, path).toBe(404);
      expect(download.body).toEqual(CANCELED_DOWNLOAD);
    }
  }, 30_000);

  it('cancels a "ready to print" order: codes blacklisted and the download withdrawn', async () => {
    const company = await t.container.admin.createCompany({ name: 'Secure Cancel Brand', type: 'brand_owner', hasSecureWorkflow: true });
    const token = (await tokenFor(t, company.id)).key;
    const wo = await createSg(t, { reference: 'CXL-RTP', quantity: 3, template: null, product: null, code_layout: 'sg-outside' }, token);
    await confirm(t, wo.id);
    const ready = await waitForWorkorder(t, wo.id, token, (w) => w.codegen_status === 4);
    expect(ready.state).toBe('ready to print');
    expect((await t.call('GET', `${WO}/${wo.id}/download/`, token)).status).toBe(200);

    const reply = await t.call('POST', `${WO}/${wo.id}/cancel/`, token);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ state: 'canceled', codegen_status: 4, codegen_file: null, is_ready_to_print: false });
    expect(await codeStatuses(t, wo.id)).toEqual({ count: 3, tally: { '2/9': 3 } });
    for (const path of ['download', 'serial-numbers']) {
      const download = await t.call('GET', `${WO}/${wo.id}/${path}/`, token);
      expect(download.status, path).toBe(404);
      expect(download.body).toEqual(CANCELED_DOWNLOAD);
    }
    const printed = await t.call('POST', `${WO}/${wo.id}/printed/`, t.seed.printing_partner.token);
    expect(printed.status).toBe(400);
    expect(printed.body).toEqual({ non_field_errors: ['A work order in state "canceled" cannot be marked printed; it must be "ready to print".'] });
  });
});

describe('cancel while generation is queued or between batches (no worker)', () => {
  let t: TestApp;
  let bo: string;
  beforeAll(async () => {
    t = await createTestApp();
    bo = t.seed.brand_owner.token;
  });
  afterAll(async () => t.close());

  const generationWith = (db: Db) => generationService(t, { db });

  it('a confirmed order canceled before its job runs is never generated', async () => {
    const wo = await createSg(t, { reference: 'CXL-Q' });
    await confirm(t, wo.id);
    const reply = await t.call('POST', `${WO}/${wo.id}/cancel/`, bo);
    expect(reply.body).toMatchObject({ state: 'canceled', codegen_status: 3 });
    expect(await runGeneration(t, generationWith(t.container.db), wo.id)).toBe('skipped');
    expect(await readCodeStatuses(t, wo.id)).toEqual({ count: 0, tally: {} });
  });

  it('a batch in flight when the order is canceled adds no codes that escape the blacklist', async () => {
    const sid = await createSid(t, { reference: 'CXL-BATCH', quantity: 20_001, use_serial_number: false });
    // The real database, with one hook: the API cancel lands just before the second batch stores its codes
    // (transactions: 1 plan, 2 batch 1's codes, 3 batch 1 done, 4 batch 2's codes).
    let transactions = 0;
    const hooked = withTransactionHook(t.container.db, async (n) => {
      transactions = n;
      if (n === 4) expect((await t.call('POST', `${WO}/${sid.id}/cancel/`, bo)).status).toBe(200);
    });

    expect(await runGeneration(t, generationWith(hooked), sid.id)).toBe('canceled');
    expect(transactions).toBe(4);
    // The cancel committed the code-status job with the state change; no worker runs here, so run it now.
    expect(await t.container.queue.describeJob(codeStatusJobKey(sid.id))).toMatchObject({ state: 'queued' });
    await t.container.codeStatus.sync(sid.id);
    expect(await readCodeStatuses(t, sid.id)).toEqual({ count: MAX_BATCH_SIZE, tally: { '2/9': MAX_BATCH_SIZE } });
    const after = await t.call('GET', `${WO}/${sid.id}/`, bo);
    expect(after.body).toMatchObject({ state: 'canceled', codegen_status: 3, codegen_progress: { codes_generated: MAX_BATCH_SIZE } });

    // The cancel also committed the discarding of what generation stored: batch 1's pieces go.
    expect(await t.container.queue.describeJob(discardJobKey(sid.id))).toMatchObject({ state: 'queued' });
    const stored = await t.container.db.selectFrom('generation_batches').select(['fragment_key', 'directory_key'])
      .where('workorder_id', '=', sid.id).where('batch_number', '=', 1).executeTakeFirstOrThrow();
    const keys = [stored.fragment_key!, stored.directory_key!];
    for (const key of keys) expect(await t.container.blobs.stat(key)).not.toBeNull();
    expect(await generationWith(t.container.db).discard(sid.id)).toEqual({ blobs: 2 });
    for (const key of keys) expect(await t.container.blobs.stat(key)).toBeNull();
    expect(await t.container.db.selectFrom('blob_uploads').selectAll().where('workorder_id', '=', sid.id).execute()).toEqual([]);
  });
});
