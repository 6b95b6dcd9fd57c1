import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBut, codeStatusSettled, confirm, createSg, expectDrfBody, ISO_MICROS, snapshot, WO } from '../helpers/api-fixtures.js';
import { scanCode } from '../helpers/scans.js';
import { createOtherTenants, createTestApp, tokenFor, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

const SYNC = '/api/v2/scm/upload/';
const ASYNC = '/api/v2/scm/upload/async/';
const TASKS = '/api/v2/scm/tasks/';

/** An SSC order of `quantity` codes, generated and left "ready to print" (a secure workflow), with the given partner permissions. */
async function readyOrder(t: TestApp, partnerPermissions: string[], quantity = 4) {
  const wo = await createSg(t, { quantity: String(quantity), partner_permissions: partnerPermissions, activate_on_complete: true });
  await t.container.db.updateTable('workorders').set({ has_secure_workflow: 1 }).where('id', '=', wo.id).execute();
  await confirm(t, wo.id);
  await waitForWorkorder(t, wo.id, t.seed.brand_owner.token, (o) => o.codegen_status === 4 && o.state === 'ready to print');
  const codes = await t.container.db.selectFrom('codes').select(['extended_id', 'serial_number']).where('workorder_id', '=', wo.id).orderBy('sequence_number').execute();
  return { id: wo.id as number, ids: codes.map((c) => c.extended_id), serials: codes.map((c) => c.serial_number!) };
}

async function statusOf(t: TestApp, extendedId: string) {
  return t.container.db.selectFrom('codes').select(['activation_status', 'blacklist_reason', 'activated_at', 'activated_by_user_id', 'scm_updated_at'])
    .where('extended_id', '=', extendedId).executeTakeFirstOrThrow();
}

async function taskDone(t: TestApp, taskId: number, token: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await t.call('GET', `${TASKS}${taskId}/`, token);
    if (body.state === 'complete' || body.state === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('SCM: activation and blacklisting', () => {
  let t: TestApp;
  let bo: string;
  let pp: string;
  let shared: Awaited<ReturnType<typeof readyOrder>>;
  let closed: Awaited<ReturnType<typeof readyOrder>>;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    pp = t.seed.printing_partner.token;
    shared = await readyOrder(t, ['activate_codes']);
    closed = await readyOrder(t, []);
    other = await createOtherTenants(t);
  });
  afterAll(async () => t.close());

  it('the brand owner activates and blacklists synchronously, by extended ID or serial number', async () => {
    const reply = await t.call('POST', SYNC, bo, {
      data_key: 'extended_id',
      items: [{ extended_id: shared.ids[0], activation_status: 1 }, { extended_id: shared.ids[1], activation_status: '2', blacklist_reason: '4' }],
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ total_updates: 2, codes_affected: 2 });
    expect(reply.body.items).toEqual([
      { extended_id: shared.ids[0], activation_status: 1, blacklist_reason: 0 },
      { extended_id: shared.ids[1], activation_status: 2, blacklist_reason: 4 },
    ]);
    const activated = await statusOf(t, shared.ids[0]!);
    expect(activated).toMatchObject({ activation_status: 1, blacklist_reason: 0 });
    expect(activated.activated_at).toMatch(ISO_MICROS);
    expect(activated.activated_by_user_id).toBeTypeOf('number');
    expect(await statusOf(t, shared.ids[1]!)).toMatchObject({ activation_status: 2, blacklist_reason: 4, activated_at: null });

    // The same again changes nothing; by serial number works the same way.
    const again = await t.call('POST', SYNC, bo, { data_key: 'serial_number', items: [{ serial_number: shared.serials[0], activation_status: 1 }] });
    expect(again.body).toMatchObject({ total_updates: 1, codes_affected: 0 });
    const bySerial = await t.call('POST', SYNC, bo, { data_key: 'serial_number', items: [{ serial_number: shared.serials[2], activation_status: 1 }] });
    expect(bySerial.body).toMatchObject({ total_updates: 1, codes_affected: 1 });
    expect((await statusOf(t, shared.ids[2]!)).activation_status).toBe(1);

    // A consumer scanning the blacklisted code learns why.
    expect((await scanCode(t, shared.ids[1]!)).body).toContain('Reported stolen');

    const task = await t.call('GET', `${TASKS}${reply.body.task_id}/`, bo);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      id: reply.body.task_id, kind: 'sync', state: 'complete', codes_affected: 2, codes_total: 2, company: t.seed.brand_owner.company_id,
      constraints: { data_key: 'extended_id', items: [{ extended_id: shared.ids[0] }, { extended_id: shared.ids[1] }] },
    });
    expect(task.body.created_by.username).toMatch(/./);
    expect(task.body.completed_at).toMatch(ISO_MICROS);
  });

  it('the printing partner may change the codes of orders that grant it activate_codes, and only those', async () => {
    const allowed = await t.call('POST', SYNC, pp, { data_key: 'extended_id', items: [{ extended_id: shared.ids[3], activation_status: 2, blacklist_reason: 7 }] });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    expect(await statusOf(t, shared.ids[3]!)).toMatchObject({ activation_status: 2, blacklist_reason: 7 });

    const before = await snapshot(t);
    const refused = await t.call('POST', SYNC, pp, { data_key: 'extended_id', items: [{ extended_id: closed.ids[0], activation_status: 1 }] });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ items: { 0: { extended_id: ['No such code.'] } } });
    const asyncRefused = await t.call('POST', ASYNC, pp, { constraints: { workorder: closed.id }, scm_data: { activation_status: 1 } });
    expect(asyncRefused.status).toBe(403);
    expect(await snapshot(t)).toEqual(before);

    const task = await t.call('POST', ASYNC, pp, { constraints: { workorder: shared.id, sequence_from: 1, sequence_to: 1 }, scm_data: { activation_status: 1 } });
    expect(task.status, JSON.stringify(task.body)).toBe(202);
    expect(await taskDone(t, task.body.task_id, pp)).toMatchObject({ state: 'complete', codes_processed: 1 });

    // The partner sees the transactions it made; the brand owner sees them too (they are on its codes).
    const partnerTasks = (await t.call('GET', TASKS, pp)).body;
    expect(partnerTasks.results.every((r: any) => r.company === t.seed.brand_owner.company_id)).toBe(true);
    expect(partnerTasks.count).toBe(2);
    const ownerTasks = (await t.call('GET', TASKS, bo)).body;
    expect(ownerTasks.results.map((r: any) => r.id)).toEqual(expect.arrayContaining(partnerTasks.results.map((r: any) => r.id)));
  });

  it('an async task over a whole order runs in chunks to complete; over a list it counts what it skipped', async () => {
    const order = await readyOrder(t, [], 12);
    const created = await t.call('POST', ASYNC, bo, { constraints: { workorder: String(order.id) }, scm_data: { activation_status: 2, blacklist_reason: 8 }, reference: 'pallet 7' });
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ task_id: expect.any(Number) });
    const done = await taskDone(t, created.body.task_id, bo);
    expect(done).toMatchObject({
      kind: 'async', state: 'complete', reference: 'pallet 7', codes_total: 12, codes_processed: 12, codes_affected: 12, codes_skipped: 0,
      constraints: { workorder: order.id, sequence_from: 1, sequence_to: 12 }, scm_data: { activation_status: 2, blacklist_reason: 8 }, error: null,
    });
    expect(done.started_at).toMatch(ISO_MICROS);
    const tally = await t.container.db.selectFrom('codes').select(['activation_status', 'blacklist_reason']).where('workorder_id', '=', order.id).execute();
    expect(tally.every((c) => c.activation_status === 2 && c.blacklist_reason === 8)).toBe(true);

    const list = await t.call('POST', ASYNC, bo, {
      constraints: { extended_id: [order.ids[0], order.ids[1], 'NOSUCHCODE', other.brand.id ? 'ALSONOTHING' : ''] }, scm_data: { activation_status: 0 },
    });
    expect(list.status, JSON.stringify(list.body)).toBe(202);
    expect(await taskDone(t, list.body.task_id, bo)).toMatchObject({ state: 'complete', codes_total: 4, codes_processed: 4, codes_affected: 2, codes_skipped: 2 });
  });

  it('completing an order activates its codes but never lifts a blacklisting', async () => {
    const order = await readyOrder(t, [], 3);
    await t.call('POST', SYNC, bo, { data_key: 'extended_id', items: [{ extended_id: order.ids[0], activation_status: 2, blacklist_reason: 1 }] });
    expect((await t.call('POST', `${WO}/${order.id}/printed/`, pp)).status).toBe(200);
    expect((await t.call('POST', `${WO}/${order.id}/complete/`, t.seed.platform.token)).status).toBe(200);
    await codeStatusSettled(t, order.id);
    expect(await statusOf(t, order.ids[0]!)).toMatchObject({ activation_status: 2, blacklist_reason: 1 });
    expect(await statusOf(t, order.ids[1]!)).toMatchObject({ activation_status: 1 });
    // A change made after completion survives the completion's status job, whenever that job runs.
    await t.call('POST', SYNC, bo, { data_key: 'extended_id', items: [{ extended_id: order.ids[1], activation_status: 0 }] });
    await t.container.codeStatus.sync(order.id);
    expect(await statusOf(t, order.ids[1]!)).toMatchObject({ activation_status: 0 });
    expect(await statusOf(t, order.ids[2]!)).toMatchObject({ activation_status: 1 });
  });

  it('another tenant\'s codes, orders and tasks do not exist for the caller', async () => {
    const before = await snapshot(t);
    for (const token of [other.brandToken, other.partnerToken]) {
      const sync = await t.call('POST', SYNC, token, { data_key: 'extended_id', items: [{ extended_id: shared.ids[0], activation_status: 0 }] });
      expect(sync.status).toBe(400);
      expect(sync.body).toEqual({ items: { 0: { extended_id: ['No such code.'] } } });
      const bySerial = await t.call('POST', SYNC, token, { data_key: 'serial_number', items: [{ serial_number: shared.serials[0], activation_status: 0 }] });
      expect(bySerial.status).toBe(400);
      expect((await t.call('POST', ASYNC, token, { constraints: { workorder: shared.id }, scm_data: { activation_status: 0 } })).status).toBe(404);
      expect((await t.call('POST', ASYNC, token, { constraints: { extended_id: shared.ids }, scm_data: { activation_status: 0 } })).status).toBe(400);
      expect((await t.call('GET', `${TASKS}1/`, token)).status).toBe(404);
      expect((await t.call('GET', TASKS, token)).body.count).toBe(0);
    }
    expect((await t.call('GET', `${TASKS}999999/`, bo)).status).toBe(404);
    expect((await t.call('GET', `${TASKS}x/`, bo)).status).toBe(404);
    expect(await snapshot(t)).toEqual(before);
  });

  it('needs scm_code_edit (sync) or scm_bulk_edit (async); either lists tasks', async () => {
    const noCode = await tokenFor(t, t.seed.brand_owner.company_id, allBut('scm_code_edit'));
    const noBulk = await tokenFor(t, t.seed.brand_owner.company_id, allBut('scm_bulk_edit'));
    const neither = await tokenFor(t, t.seed.brand_owner.company_id, allBut('scm_code_edit').filter((p) => p !== 'scm_bulk_edit'));
    const item = { data_key: 'extended_id', items: [{ extended_id: shared.ids[0], activation_status: 1 }] };
    expect((await t.call('POST', SYNC, noCode.key, item)).status).toBe(403);
    expect((await t.call('POST', SYNC, noBulk.key, item)).status).toBe(200);
    expect((await t.call('POST', ASYNC, noBulk.key, { constraints: { workorder: shared.id }, scm_data: { activation_status: 1 } })).status).toBe(403);
    expect((await t.call('GET', TASKS, noCode.key)).status).toBe(200);
    expect((await t.call('GET', TASKS, neither.key)).status).toBe(403);
    expect((await t.call('POST', SYNC, null, item)).status).toBe(401);
  });

  it('malformed input is a 400 naming the problem, and changes nothing', async () => {
    const before = await snapshot(t);
    const id = shared.ids[0];
    const cases: Array<[string, unknown]> = [
      [SYNC, { data_key: 'rfid', items: [] }],
      [SYNC, { data_key: 'extended_id', items: [] }],
      [SYNC, { data_key: 'extended_id', items: 'all' }],
      [SYNC, { data_key: 'extended_id' }],
      [SYNC, { data_key: 'extended_id', items: [{ serial_number: '1', activation_status: 1 }] }],
      [SYNC, { data_key: 'extended_id', items: [{ extended_id: id }] }],
      [SYNC, { data_key: 'extended_id', items: [{ extended_id: id, activation_status: 3 }] }],
      [SYNC, { data_key: 'extended_id', items: [{ extended_id: id, activation_status: 2 }] }],
      [SYNC, { data_key: 'extended_id', items: [{ extended_id: id, activation_status: 2, blacklist_reason: 11 }] }],
      [SYNC, { data_key: 'extended_id', items: [{ extended_id: id, activation_status: 1, blacklist_reason: 4 }] }],
      [SYNC, { data_key: 'extended_id', items: [{ extended_id: id, activation_status: 1 }, { extended_id: 'NOSUCH', activation_status: 1 }] }],
      [SYNC, { data_key: 'extended_id', items: Array.from({ length: 1001 }, () => ({ extended_id: id, activation_status: 1 })) }],
      [ASYNC, { constraints: {}, scm_data: { activation_status: 1 } }],
      [ASYNC, { constraints: { workorder: shared.id, extended_id: [id] }, scm_data: { activation_status: 1 } }],
      [ASYNC, { constraints: { workorder: shared.id }, scm_data: {} }],
      [ASYNC, { constraints: { workorder: shared.id, sequence_from: 3, sequence_to: 2 }, scm_data: { activation_status: 1 } }],
      [ASYNC, { constraints: { workorder: shared.id, sequence_to: 99 }, scm_data: { activation_status: 1 } }],
      [ASYNC, { constraints: { extended_id: [] }, scm_data: { activation_status: 1 } }],
      [ASYNC, { constraints: { extended_id: [id], sequence_from: 1 }, scm_data: { activation_status: 1 } }],
      [ASYNC, { constraints: 'everything', scm_data: { activation_status: 1 } }],
      [SYNC, '{"data_key": "extended_id", "items": ['],
      [ASYNC, '[]'],
    ];
    for (const [url, body] of cases) {
      const reply = await t.call('POST', url, bo, body);
      expect(reply.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expectDrfBody(reply.body);
    }
    const reasons = await t.call('POST', SYNC, bo, { data_key: 'extended_id', items: [{ extended_id: id, activation_status: 2 }, { extended_id: 'NOSUCH', activation_status: 1 }] });
    expect(reasons.body).toEqual({ items: { 0: { blacklist_reason: ['A blacklisted code needs a reason (1–10).'] } } });
    expect(await snapshot(t)).toEqual(before);
  });
});
