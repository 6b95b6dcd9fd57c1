import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSid, WO } from '../helpers/api-fixtures.js';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

/** A clock the test moves forward: archives age without waiting days. */
function movableClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advanceDays: (days: number) => void (offsetMs += days * 86_400_000) };
}

describe('archive retention (SIGIL_ARCHIVE_RETENTION_DAYS)', () => {
  let t: TestApp;
  const clock = movableClock();
  beforeAll(async () => {
    t = await createTestApp({ worker: true, env: { SIGIL_ARCHIVE_RETENTION_DAYS: '30' }, overrides: { clock } });
  });
  afterAll(async () => t.close());

  const bo = () => t.seed.brand_owner.token;
  const get = (path: string) => t.app.inject({ method: 'GET', url: path, headers: { authorization: `UAT ${bo()}` } });
  const blobKeysOf = async (id: number) => {
    const order = await t.container.db.selectFrom('workorders').select(['archive_tail_key']).where('id', '=', id).executeTakeFirstOrThrow();
    const batches = await t.container.db.selectFrom('generation_batches').select(['fragment_key', 'directory_key']).where('workorder_id', '=', id).execute();
    return [order.archive_tail_key, ...batches.flatMap((b) => [b.fragment_key, b.directory_key])].filter((k): k is string => k !== null);
  };
  const stored = async (keys: string[]) => (await Promise.all(keys.map((k) => t.container.blobs.stat(k)))).filter(Boolean).length;

  it('removes the zip of orders generated longer ago, says so on the order, answers 410 and keeps the codes', async () => {
    const old = await createSid(t, { reference: 'RET-OLD', quantity: 30 });
    await waitForWorkorder(t, old.id, bo(), (wo) => wo.codegen_status === 4);
    const keys = await blobKeysOf(old.id);
    expect(keys.length).toBeGreaterThan(0);
    expect(await stored(keys)).toBe(keys.length);
    expect((await t.container.retention.sweep())).toBe(0); // not old enough yet

    clock.advanceDays(31);
    const recent = await createSid(t, { reference: 'RET-NEW', quantity: 5 });
    await waitForWorkorder(t, recent.id, bo(), (wo) => wo.codegen_status === 4);
    expect(await t.container.retention.sweep()).toBe(1);

    const order = (await get(`${WO}/${old.id}/`)).json();
    expect(order).toMatchObject({ codegen_status: 4, codegen_file: null, codegen_file_sha256: null });
    expect(Date.parse(order.codegen_file_removed_date)).toBeGreaterThan(Date.now() + 30 * 86_400_000);
    expect(await stored(keys)).toBe(0);
    const download = await get(`${WO}/${old.id}/download/`);
    expect(download.statusCode).toBe(410);
    expect(download.json().detail).toMatch(/^The archive of this work order was removed on \d{4}-\d{2}-\d{2} \(archive retention\)/);
    const serials = await get(`${WO}/${old.id}/serial-numbers/`);
    expect(serials.statusCode).toBe(200);
    expect(serials.body.trim().split('\n')).toHaveLength(31);

    // The recent order is untouched; a second sweep finds nothing more.
    expect((await get(`${WO}/${recent.id}/`)).json()).toMatchObject({ codegen_file: expect.stringContaining('/download/'), codegen_file_removed_date: null });
    expect((await get(`${WO}/${recent.id}/download/`)).statusCode).toBe(200);
    expect(await t.container.retention.sweep()).toBe(0);
  });

  it('a removal interrupted after marking the order is finished by the next sweep', async () => {
    const order = await createSid(t, { reference: 'RET-HALF', quantity: 5 });
    await waitForWorkorder(t, order.id, bo(), (wo) => wo.codegen_status === 4);
    const keys = await blobKeysOf(order.id);
    // As if a process had marked it and died before deleting anything.
    await t.container.db.updateTable('workorders').set({ archive_removed_date: new Date().toISOString() }).where('id', '=', order.id).execute();
    expect((await get(`${WO}/${order.id}/download/`)).statusCode).toBe(410);
    expect(await stored(keys)).toBe(keys.length);
    expect(await t.container.retention.sweep()).toBe(1);
    expect(await stored(keys)).toBe(0);
  });
});

describe('archive retention is off by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
  });
  afterAll(async () => t.close());

  it('keeps every archive', async () => {
    const order = await createSid(t, { reference: 'RET-OFF', quantity: 5 });
    await waitForWorkorder(t, order.id, t.seed.brand_owner.token, (wo) => wo.codegen_status === 4);
    expect(t.container.config.archiveRetentionDays).toBeNull();
    expect(await t.container.retention.sweep()).toBe(0);
    const reply = await t.app.inject({ method: 'GET', url: `${WO}/${order.id}/download/`, headers: { authorization: `UAT ${t.seed.brand_owner.token}` } });
    expect(reply.statusCode).toBe(200);
  });
});
