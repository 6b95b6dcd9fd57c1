import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBut, codeStatusSettled, confirm, createSg, createSid, expectDrfBody, ISO_MICROS, snapshot, WO } from '../helpers/api-fixtures.js';
import { listItemSchema } from '../helpers/openapi-doc.js';
import { scanCode } from '../helpers/scans.js';
import { createOtherTenants, createTestApp, PUBLIC_URL, tokenFor, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

const CODES = (id: number) => `${WO}/${id}/codes/`;

describe('a work order\'s codes, page by page', () => {
  let t: TestApp;
  let bo: string;
  let pp: string;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  let sid: number;
  let ssc: number;
  let unconfirmed: number;

  const dbCodes = (workorderId: number) => t.container.db.selectFrom('codes').selectAll().where('workorder_id', '=', workorderId)
    .orderBy('sequence_number').execute();
  const sequences = (body: { results: Array<{ sequence: number }> }) => body.results.map((c) => c.sequence);

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    pp = t.seed.printing_partner.token;
    other = await createOtherTenants(t);
    sid = (await createSid(t, { quantity: 7 })).id;
    const order = await createSg(t, { quantity: '5' });
    // A secure workflow leaves the generated order "ready to print" (so it can still be canceled below).
    await t.container.db.updateTable('workorders').set({ has_secure_workflow: 1 }).where('id', '=', order.id).execute();
    await confirm(t, order.id);
    ssc = order.id;
    unconfirmed = (await createSg(t, { quantity: '4' })).id;
    await waitForWorkorder(t, sid, bo, (o) => o.codegen_status === 4);
    await waitForWorkorder(t, ssc, bo, (o) => o.codegen_status === 4);
  });
  afterAll(async () => t.close());

  it('items carry the stored values of each code, in sequence order', async () => {
    const reply = await t.call('GET', CODES(sid), bo);
    expect(reply.status).toBe(200);
    const stored = await dbCodes(sid);
    expect(stored).toHaveLength(7);
    expect(reply.body).toEqual({
      count: 7, next: null, previous: null,
      results: stored.map((c) => ({
        extended_id: c.extended_id, serial_number: c.serial_number, sequence: c.sequence_number, activation_status: 0, blacklist_reason: 0,
        activated_at: null, scan_count: 0, first_scan_date: null, last_scan_date: null,
      })),
    });
    expect(sequences(reply.body)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(reply.body.results[0].serial_number).toMatch(/./);
  });

  it('pages are sequence ranges with absolute next and previous links; count is the order\'s quantity', async () => {
    const first = await t.call('GET', `${CODES(sid)}?limit=3`, bo);
    expect(first.body).toMatchObject({ count: 7, previous: null, next: `${PUBLIC_URL}${CODES(sid)}?limit=3&offset=3` });
    expect(sequences(first.body)).toEqual([1, 2, 3]);
    const second = await t.call('GET', first.body.next.slice(PUBLIC_URL.length), bo);
    expect(second.body).toMatchObject({ count: 7, previous: `${PUBLIC_URL}${CODES(sid)}?limit=3`, next: `${PUBLIC_URL}${CODES(sid)}?limit=3&offset=6` });
    expect(sequences(second.body)).toEqual([4, 5, 6]);
    const last = await t.call('GET', second.body.next.slice(PUBLIC_URL.length), bo);
    expect(last.body).toMatchObject({ count: 7, next: null, previous: `${PUBLIC_URL}${CODES(sid)}?limit=3&offset=3` });
    expect(sequences(last.body)).toEqual([7]);
    expect(sequences((await t.call('GET', `${CODES(sid)}?offset=5&limit=1`, bo)).body)).toEqual([6]);
    const beyond = await t.call('GET', `${CODES(sid)}?offset=7`, bo);
    expect(beyond.body).toEqual({ count: 7, next: null, previous: `${PUBLIC_URL}${CODES(sid)}?limit=20`, results: [] });
    expect((await t.call('GET', `${CODES(sid)}?offset=9007199254740991`, bo)).body).toMatchObject({ count: 7, results: [] });
  });

  it('shows an SCM change and scans; activation_status filters, counted and paged', async () => {
    const stored = await dbCodes(sid);
    const update = await t.call('POST', '/api/v2/scm/upload/', bo, {
      data_key: 'extended_id',
      items: [
        { extended_id: stored[1]!.extended_id, activation_status: 1 },
        { extended_id: stored[3]!.extended_id, activation_status: 1 },
        { extended_id: stored[4]!.extended_id, activation_status: 2, blacklist_reason: 4 },
      ],
    });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    expect((await scanCode(t, stored[1]!.extended_id)).status).toBeLessThan(400);
    await t.container.scans.flush();

    const page = await t.call('GET', `${CODES(sid)}?limit=2&offset=1`, bo);
    expect(sequences(page.body)).toEqual([2, 3]);
    const [activated, untouched] = page.body.results;
    expect(activated).toMatchObject({ extended_id: stored[1]!.extended_id, activation_status: 1, blacklist_reason: 0, scan_count: 1 });
    expect(activated.activated_at).toMatch(ISO_MICROS);
    expect(activated.first_scan_date).toMatch(ISO_MICROS);
    expect(activated.last_scan_date).toBe(activated.first_scan_date);
    expect(untouched).toMatchObject({ activation_status: 0, activated_at: null, scan_count: 0, first_scan_date: null });

    const active = await t.call('GET', `${CODES(sid)}?activation_status=1`, bo);
    expect(active.body).toMatchObject({ count: 2, next: null, previous: null });
    expect(sequences(active.body)).toEqual([2, 4]);
    const blacklisted = await t.call('GET', `${CODES(sid)}?activation_status=2`, bo);
    expect(blacklisted.body.results).toEqual([expect.objectContaining({ sequence: 5, activation_status: 2, blacklist_reason: 4 })]);
    const inactive = await t.call('GET', `${CODES(sid)}?activation_status=0&limit=2&offset=2`, bo);
    expect(inactive.body).toMatchObject({
      count: 4,
      next: null,
      previous: `${PUBLIC_URL}${CODES(sid)}?activation_status=0&limit=2`,
    });
    expect(sequences(inactive.body)).toEqual([6, 7]);
    expect(sequences((await t.call('GET', `${CODES(sid)}?activation_status=0&limit=2`, bo)).body)).toEqual([1, 3]);
  });

  it('the assigned printing partner sees an SSC order\'s codes; canceling shows them blacklisted (reason 9)', async () => {
    const forPartner = await t.call('GET', CODES(ssc), pp);
    expect(forPartner.status).toBe(200);
    expect(forPartner.body.count).toBe(5);
    expect(forPartner.body.results.map((c: { extended_id: string }) => c.extended_id)).toEqual((await dbCodes(ssc)).map((c) => c.extended_id));
    expect((await t.call('GET', CODES(ssc), bo)).body).toEqual(forPartner.body);
    expect((await t.call('GET', CODES(ssc), t.seed.platform.token)).body.count).toBe(5);

    const cancel = await t.call('POST', `${WO}/${ssc}/cancel/`, bo);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    await codeStatusSettled(t, ssc);
    const canceled = await t.call('GET', CODES(ssc), pp);
    expect(canceled.body.count).toBe(5);
    expect(canceled.body.results.every((c: { activation_status: number; blacklist_reason: number }) => c.activation_status === 2 && c.blacklist_reason === 9)).toBe(true);
    expect((await t.call('GET', `${CODES(ssc)}?activation_status=2`, pp)).body.count).toBe(5);
  });

  it('an order whose codes are not generated has an empty page', async () => {
    for (const query of ['', '?activation_status=0', '?offset=2&limit=1']) {
      const reply = await t.call('GET', `${CODES(unconfirmed)}${query}`, bo);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ count: 0, next: null, previous: query.includes('offset') ? `${PUBLIC_URL}${CODES(unconfirmed)}?offset=1&limit=1` : null, results: [] });
    }
    expect((await t.call('GET', CODES(unconfirmed), pp)).body.count).toBe(0);
  });

  it('another tenant\'s order, or one that does not exist, is a 404', async () => {
    const cases: Array<[number, string]> = [
      [sid, other.brandToken], [sid, other.partnerToken], [sid, pp], // a SID order has no printing partner
      [ssc, other.brandToken], [ssc, other.partnerToken], [unconfirmed, other.partnerToken],
      [999_999, bo],
    ];
    for (const [id, token] of cases) {
      const reply = await t.call('GET', CODES(id), token);
      expect(reply.status, `${id}`).toBe(404);
      expect(reply.body).toEqual({ detail: 'Not found.' });
      expect((await t.call('GET', `${CODES(id)}?activation_status=1`, token)).status).toBe(404);
    }
    for (const id of ['abc', '0', '-1', '1.5']) expect((await t.call('GET', `${WO}/${id}/codes/`, bo)).status, id).toBe(404);
  });

  it('401 without credentials, 403 without codes_view', async () => {
    expect((await t.call('GET', CODES(sid), null)).status).toBe(401);
    const without = await tokenFor(t, t.seed.brand_owner.company_id, allBut('codes_view'));
    const denied = await t.call('GET', CODES(sid), without.key);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain('codes_view');
    const only = await tokenFor(t, t.seed.brand_owner.company_id, ['codes_view']);
    expect((await t.call('GET', CODES(sid), only.key)).body.count).toBe(7);
  });

  const badQueries: Array<[string, unknown]> = [
    ['limit=0', { limit: ['Ensure this value is greater than or equal to 1.'] }],
    ['limit=-3', { limit: ['Ensure this value is greater than or equal to 1.'] }],
    ['limit=1001', { limit: ['Ensure this value is less than or equal to 1000.'] }],
    ['limit=abc', { limit: ['A valid integer is required.'] }],
    ['offset=-1', { offset: ['Ensure this value is greater than or equal to 0.'] }],
    ['offset=1e3', { offset: ['A valid integer is required.'] }],
    ['offset=100000000000000000000', { offset: ['Ensure this value is less than or equal to 9007199254740991.'] }],
    ['activation_status=3', { activation_status: ['"3" is not a valid choice.'] }],
    ['activation_status=-1', { activation_status: ['"-1" is not a valid choice.'] }],
    ['activation_status=active', { activation_status: ['A valid integer is required.'] }],
    ['activation_status=3&limit=0', { activation_status: ['"3" is not a valid choice.'], limit: ['Ensure this value is greater than or equal to 1.'] }],
  ];
  for (const [query, expected] of badQueries) {
    it(`${query} → 400 naming the parameter, nothing changed`, async () => {
      const before = await snapshot(t);
      const reply = await t.call('GET', `${CODES(sid)}?${query}`, bo);
      expect(reply.status).toBe(400);
      expectDrfBody(reply.body);
      expect(reply.body).toEqual(expected);
      expect(await snapshot(t)).toEqual(before);
    });
  }

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v2/schema/' })).json();
    const operation = doc.paths['/api/v2/workorders/{id}/codes/'].get;
    expect(operation.tags).toEqual(['workorders']);
    expect(operation.summary).toMatch(/codes_view/);
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'limit', 'offset', 'activation_status']));
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    const item = listItemSchema(doc, operation);
    expect(Object.keys(item.properties).sort()).toEqual([
      'activated_at', 'activation_status', 'blacklist_reason', 'extended_id', 'first_scan_date', 'last_scan_date', 'scan_count', 'sequence', 'serial_number',
    ]);
  });
});
