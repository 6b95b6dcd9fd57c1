import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTokenKey } from '../../src/domain/auth/token-key.js';
import { scanIdFactory } from '../../src/domain/scans/scan-id.js';
import { systemClock } from '../../src/shared/clock.js';
import { secureRandom } from '../../src/shared/random.js';
import { codeStatusSettled, createSid, expectDrfBody, ISO_MICROS, send, snapshot, WO } from '../helpers/api-fixtures.js';
import { extendedIdsOf, scanCode } from '../helpers/scans.js';
import { createOtherTenants, createTestApp, PUBLIC_URL, waitForWorkorder, type Reply, type TestApp } from '../helpers/test-app.js';
import { TEST_SECRET_KEY } from '../helpers/test-database.js';

const KEY_HEADER = 'X-ScanTrust-Consumer-Api-Key';
const CLIENT_ADDRESS = '203.0.113.77';
const USER_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) ConsumerTest/1.0';

interface Order {
  id: number;
  codes: string[];
}

/** A completed SID order of the brand owner whose UAT is `token`, its codes active (or not), once the status job has run. */
async function completedSid(t: TestApp, token: string, overrides: Record<string, unknown> = {}): Promise<Order> {
  const wo = await createSid(t, { quantity: 4, activate_on_complete: true, use_serial_number: true, ...overrides }, token);
  await waitForWorkorder(t, wo.id, token, (o) => o.state === 'completed');
  await codeStatusSettled(t, wo.id);
  return { id: wo.id, codes: await extendedIdsOf(t, wo.id) };
}

async function codeOf(t: TestApp, extendedId: string) {
  return t.container.db.selectFrom('codes').selectAll().where('extended_id', '=', extendedId).executeTakeFirstOrThrow();
}

async function scanCount(t: TestApp): Promise<number> {
  const row = await t.container.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The scan id the resolver put in the landing page's URL. */
function scanIdOf(reply: Reply): string {
  expect(reply.status).toBe(302);
  const scanId = new URL(String(reply.headers.location)).searchParams.get('scan_id');
  expect(scanId).toMatch(/^[0-9A-Z]{26}$/);
  return scanId!;
}

/**
 * Returns right after the recorder's timer has written what it held, so the next timed flush is a whole
 * interval (200 ms) away: a scan taken now stays in the buffer, and a flush started now is the only one.
 */
async function justAfterTimedFlush(t: TestApp, extendedId: string): Promise<void> {
  scanIdOf(await scanCode(t, extendedId)); // something for the timer to write
  while (t.container.scans.buffered > 0) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('Consumer API (X-ScanTrust-Consumer-Api-Key)', () => {
  let t: TestApp;
  let bo: string;
  let key: string;
  let active: Order;
  let inactive: Order;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  let otherKey: string;
  let otherOrder: Order;
  /** Every consumer reply of the suite, checked at the end for anything secret or about the client. */
  const replies: Reply[] = [];

  /** A Consumer API request with the key (or none, or any header value). */
  async function consumer(method: 'GET' | 'POST', url: string, options: { key?: string | null; body?: unknown; raw?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    const apiKey = options.key === undefined ? key : options.key;
    if (apiKey !== null) headers[KEY_HEADER] = apiKey;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    const raw = response.rawPayload;
    const reply: Reply = {
      status: response.statusCode,
      body: String(response.headers['content-type'] ?? '').includes('application/json') ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8'),
      headers: response.headers,
      raw,
    };
    replies.push(reply);
    return reply;
  }
  const details = (extendedId: string, apiKey?: string | null) => consumer('GET', `/api/v2/consumer/${extendedId}/details/`, { key: apiKey });
  const combinedInfo = (scanId: string, apiKey?: string | null) => consumer('GET', `/api/v2/consumer/scan/${scanId}/combined-info/`, { key: apiKey });
  const find = (body: unknown, apiKey?: string | null) => consumer('POST', '/api/v2/consumer/find/', { key: apiKey, body });

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    key = (await t.container.consumerKeys.create(t.seed.brand_owner.company_id)).key;
    active = await completedSid(t, bo, { product: t.seed.product_sku });
    inactive = await completedSid(t, bo, { activate_on_complete: false });
    // Scans of the demo brand's codes go to its landing page (with ?scan_id=…).
    await t.container.scanSettings.updateCompanySettingsAsOperator(t.seed.brand_owner.company_id, { landing_url: 'https://brand.example/verify' });

    other = await createOtherTenants(t);
    otherKey = (await t.container.consumerKeys.create(other.brand.id)).key;
    // More codes than the demo brand has, so its last serial numbers are the other brand's only.
    otherOrder = await completedSid(t, other.brandToken, { quantity: 30 });
    await t.container.scanSettings.updateCompanySettingsAsOperator(other.brand.id, { landing_url: 'https://other.example/landing' });
  });
  afterAll(async () => t?.close());

  describe('authentication', () => {
    it('401 without the key, with an unknown or malformed key, and with a revoked key', async () => {
      const id = active.codes[0]!;
      const missing = await details(id, null);
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect(String(missing.headers['www-authenticate'])).toContain('X-ScanTrust-Consumer-Api-Key');

      for (const wrong of ['A'.repeat(40), `${key.slice(0, 39)}x`, 'short', key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase(), `${key} `.repeat(2)]) {
        const reply = await details(id, wrong);
        expect(reply.status, wrong).toBe(401);
        expect(reply.body).toEqual({ detail: 'Invalid consumer API key.' });
      }

      const revoked = await t.container.consumerKeys.create(t.seed.brand_owner.company_id);
      expect((await details(id, revoked.key)).status).toBe(200);
      await t.container.consumerKeys.revoke(revoked.id);
      for (const reply of [
        await details(id, revoked.key),
        await combinedInfo('01JABCDEFGHJKMNPQRSTVWXYZ0', revoked.key),
        await find({ serial_number: '0000000001' }, revoked.key),
      ]) {
        expect(reply.status).toBe(401);
        expect(reply.body).toEqual({ detail: 'Invalid consumer API key.' });
      }
    });

    it('every route needs the key, and the key alone: a UAT does not stand in for it, nor the key for a UAT', async () => {
      for (const [method, url] of [
        ['GET', `/api/v2/consumer/${active.codes[0]}/details/`],
        ['GET', '/api/v2/consumer/scan/01JABCDEFGHJKMNPQRSTVWXYZ0/combined-info/'],
        ['POST', '/api/v2/consumer/find/'],
      ] as const) {
        const reply = await send(t, { method, url, token: bo });
        expect(reply.status, url).toBe(401);
        expect(reply.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      }
      expect((await send(t, { method: 'GET', url: `${WO}/`, authorization: `UAT ${key}` })).status).toBe(401);
    });

    it('401 comes before 400 and 404: a bad body or an unknown code without a key is a 401', async () => {
      expect((await consumer('POST', '/api/v2/consumer/find/', { key: null, raw: '{"serial_number": ' })).status).toBe(401);
      expect((await find({}, null)).status).toBe(401);
      expect((await details('NOSUCHCODE', null)).status).toBe(401);
    });
  });

  describe('GET /api/v2/consumer/{extended_id}/details/', () => {
    it('an active code of the key\'s brand owner', async () => {
      const id = active.codes[0]!;
      const code = await codeOf(t, id);
      const reply = await details(id);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toEqual({
        qrcode: {
          message: id,
          creation_date: code.creation_date,
          serial_number: code.serial_number,
          is_blacklisted: false,
          activation_status: 'active',
          blacklist_reason: 'none',
          is_consumed: false,
          scm_data: [],
          scan_count: 0,
        },
      });
      expect(reply.body.qrcode.creation_date).toMatch(ISO_MICROS);
      expect(reply.body.qrcode.serial_number).toMatch(/^\d{10}$/);
      // Without the trailing slash too, as every route.
      expect((await consumer('GET', `/api/v2/consumer/${id}/details`)).body).toEqual(reply.body);
    });

    it('inactive, blacklisted (each reason by name) and canceled-order codes', async () => {
      const inactiveReply = await details(inactive.codes[0]!);
      expect(inactiveReply.body.qrcode).toMatchObject({ activation_status: 'inactive', is_blacklisted: false, blacklist_reason: 'none' });

      const blacklisted = inactive.codes[1]!;
      await t.container.db.updateTable('codes').set({ activation_status: 2, blacklist_reason: 4 }).where('extended_id', '=', blacklisted).execute();
      expect((await details(blacklisted)).body.qrcode).toMatchObject({ activation_status: 'blacklisted', is_blacklisted: true, blacklist_reason: 'stolen' });
      const names = ['none', 'counterfeits_detected', 'low_quality', 'overprint', 'stolen', 'damage', 'lost', 'misprint', 'not_sold', 'wo_canceled', 'max_scan_count_exceeded'];
      for (const [reason, name] of names.entries()) {
        await t.container.db.updateTable('codes').set({ blacklist_reason: reason }).where('extended_id', '=', blacklisted).execute();
        expect((await details(blacklisted)).body.qrcode.blacklist_reason, name).toBe(name);
      }

      // A canceled order's code reads as blacklisted (reason 9) even before the status job reaches it, as the resolver reads it.
      const canceled = await completedSid(t, bo, { quantity: 2 });
      await t.container.db.updateTable('workorders').set({ state: 'canceled' }).where('id', '=', canceled.id).execute();
      expect((await details(canceled.codes[0]!)).body.qrcode).toMatchObject({
        activation_status: 'blacklisted', is_blacklisted: true, blacklist_reason: 'wo_canceled',
      });
    });

    it('scan_count includes the scans this process has not written yet', async () => {
      const id = active.codes[1]!;
      scanIdOf(await scanCode(t, id));
      scanIdOf(await scanCode(t, id));
      expect((await details(id)).body.qrcode.scan_count).toBe(2);
      await t.container.scans.flush();
      expect((await codeOf(t, id)).scan_count).toBe(2);
      expect((await details(id)).body.qrcode.scan_count).toBe(2);
    });

    it('404 for an unknown or malformed ID and for another brand owner\'s code; nothing is recorded', async () => {
      const before = await scanCount(t);
      for (const id of ['NOSUCHCODE000000000000', 'a'.repeat(65), '%3Cscript%3E', '..%2F..%2Fetc', otherOrder.codes[0]!]) {
        const reply = await details(id);
        expect(reply.status, id).toBe(404);
        expect(reply.body).toEqual({ detail: 'Not found.' });
      }
      // The other brand owner's own key sees it.
      expect((await details(otherOrder.codes[0]!, otherKey)).body.qrcode.message).toBe(otherOrder.codes[0]);
      expect((await details(active.codes[0]!, otherKey)).status).toBe(404);
      await t.container.scans.flush();
      expect(await scanCount(t)).toBe(before);
    });
  });

  describe('GET /api/v2/consumer/scan/{scan_id}/combined-info/', () => {
    it('a scan taken a moment ago, right after the redirect and before it is written', async () => {
      const id = active.codes[2]!;
      await justAfterTimedFlush(t, inactive.codes[3]!);
      const reply = await scanCode(t, id, { remoteAddress: CLIENT_ADDRESS, userAgent: USER_AGENT, language: 'fr-CH' });
      const scanId = scanIdOf(reply);
      // Still in the recorder's buffer, not in the database.
      expect(t.container.scans.bufferedScan(scanId)).toBeDefined();
      expect(await t.container.db.selectFrom('scans').select('id').where('id', '=', scanId).executeTakeFirst()).toBeUndefined();

      const info = await combinedInfo(scanId);
      expect(info.status, JSON.stringify(info.body)).toBe(200);
      const code = await codeOf(t, id);
      expect(info.body).toEqual({
        scan: {
          id: scanId,
          scan_date: expect.stringMatching(ISO_MICROS),
          scan_number: 1,
          activation_status: 'active',
          blacklist_reason: 'none',
          flags: [],
        },
        qrcode: {
          message: id,
          creation_date: code.creation_date,
          serial_number: code.serial_number,
          is_blacklisted: false,
          activation_status: 'active',
          blacklist_reason: 'none',
          is_consumed: false,
          scm_data: [],
          scan_count: 1,
        },
        product: { id: t.seed.product_id, sku: t.seed.product_sku, name: 'Demo Product', client_url: null },
        brand: { id: expect.any(Number), name: 'Demo Brand' },
      });

      // Once written, the same answer from the database.
      await t.container.scans.flush();
      expect(t.container.scans.bufferedScan(scanId)).toBeUndefined();
      const written = await combinedInfo(scanId);
      expect(written.body).toEqual(info.body);
      const row = await t.container.db.selectFrom('scans').selectAll().where('id', '=', scanId).executeTakeFirstOrThrow();
      expect(written.body.scan.scan_date).toBe(row.scan_date);
    });

    it('a scan being written at that moment (in neither the buffer nor the database) is waited for', async () => {
      const id = active.codes[3]!;
      await justAfterTimedFlush(t, inactive.codes[3]!);
      const scanId = scanIdOf(await scanCode(t, id));
      const writing = t.container.scans.flush(); // takes the scan out of the buffer at once, commits later
      expect(t.container.scans.bufferedScan(scanId)).toBeUndefined();
      const info = await combinedInfo(scanId);
      await writing;
      expect(info.status, JSON.stringify(info.body)).toBe(200);
      expect(info.body.scan).toMatchObject({ id: scanId, scan_number: 1 });
      expect(info.body.qrcode.scan_count).toBe(1);
    });

    it('the scan as it was taken (number, flags) and the code as it is now; no product or brand when the order has none', async () => {
      const id = inactive.codes[2]!;
      await t.container.scanSettings.updateCompanySettingsAsOperator(t.seed.brand_owner.company_id, { max_scan_count: 1 });
      try {
        scanIdOf(await scanCode(t, id));
        const second = scanIdOf(await scanCode(t, id));
        const info = await combinedInfo(second);
        expect(info.status).toBe(200);
        expect(info.body.scan).toMatchObject({ id: second, scan_number: 2, activation_status: 'inactive', flags: ['max-scan-count-exceeded'] });
        expect(info.body.qrcode).toMatchObject({ message: id, activation_status: 'inactive', scan_count: 2 });
        expect(info.body.product).toBeNull();
        expect(info.body.brand).toBeNull();
      } finally {
        await t.container.scanSettings.updateCompanySettingsAsOperator(t.seed.brand_owner.company_id, { max_scan_count: null });
      }
    });

    it('404 for another brand owner\'s scan (buffered or written), an unknown scan id or a malformed one', async () => {
      const theirs = scanIdOf(await scanCode(t, otherOrder.codes[1]!));
      expect((await combinedInfo(theirs)).status).toBe(404);
      expect((await combinedInfo(theirs, otherKey)).body.qrcode.message).toBe(otherOrder.codes[1]);
      await t.container.scans.flush();
      const written = await combinedInfo(theirs);
      expect(written.status).toBe(404);
      expect(written.body).toEqual({ detail: 'Not found.' });
      expect((await combinedInfo(theirs, otherKey)).status).toBe(200);

      // An old id, and a recent one that never comes (waited for, one flush interval: see
      // test/integration/consumer-scan-wait.test.ts), are not found.
      const old = scanIdFactory({ now: () => new Date(Date.now() - 3_600_000) }, secureRandom)();
      expect((await combinedInfo(old)).status).toBe(404);
      const recent = scanIdFactory(systemClock, secureRandom)();
      const started = Date.now();
      const waited = await combinedInfo(recent);
      expect(waited.status).toBe(404);
      expect(waited.body).toEqual({ detail: 'Not found.' });
      expect(Date.now() - started).toBeLessThan(5_000);

      for (const malformed of ['nope', '01jabcdefghjkmnpqrstvwxyz0', '01JABCDEFGHJKMNPQRSTVWXYZU', 'X'.repeat(27), 'X'.repeat(90)]) {
        const reply = await combinedInfo(malformed);
        expect(reply.status, malformed).toBe(404);
        expect(reply.body).toEqual({ detail: 'Not found.' });
      }
    });
  });

  describe('POST /api/v2/consumer/find/', () => {
    it('a code by its serial number, with its URL; no scan is made', async () => {
      const id = active.codes[0]!;
      const code = await codeOf(t, id);
      const before = await scanCount(t);
      const reply = await find({ serial_number: code.serial_number });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toEqual({
        qr: {
          message: id,
          creation_date: code.creation_date,
          serial_number: code.serial_number,
          is_blacklisted: false,
          activation_status: 'active',
          blacklist_reason: 'none',
          is_consumed: false,
          scm_data: [],
          scan_count: expect.any(Number),
        },
        scan_id: null,
        region: null,
        url: `${PUBLIC_URL}/q/${id}`,
      });
      // Surrounding white space is ignored, as DRF's CharField trims it.
      expect((await find({ serial_number: ` ${code.serial_number} ` })).body.qr.message).toBe(id);
      await t.container.scans.flush();
      expect(await scanCount(t)).toBe(before);
    });

    it('the same serial number is each brand owner\'s own code; one only another brand owner has is 404', async () => {
      const serial = (await codeOf(t, otherOrder.codes[0]!)).serial_number!;
      const mine = await find({ serial_number: serial });
      const theirs = await find({ serial_number: serial }, otherKey);
      expect(theirs.body.qr.message).toBe(otherOrder.codes[0]);
      if (mine.status === 200) expect(mine.body.qr.message).not.toBe(otherOrder.codes[0]);

      const last = (await codeOf(t, otherOrder.codes[otherOrder.codes.length - 1]!)).serial_number!;
      const ours = await t.container.db.selectFrom('codes').innerJoin('workorders', 'workorders.id', 'codes.workorder_id')
        .select('codes.id').where('workorders.company_id', '=', t.seed.brand_owner.company_id).where('codes.serial_number', '=', last).execute();
      expect(ours).toHaveLength(0);
      const reply = await find({ serial_number: last });
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ detail: 'Not found.' });
      expect((await find({ serial_number: last }, otherKey)).status).toBe(200);
    });

    it('404 for a serial number nobody has, or not written as printed', async () => {
      const printed = (await codeOf(t, active.codes[0]!)).serial_number!;
      for (const serial of ['9999999999', String(Number(printed)), `${printed}0`, 'ABC', '-1', '1e3', '0x1', '99999999999999999999']) {
        const reply = await find({ serial_number: serial });
        expect(reply.status, serial).toBe(404);
        expect(reply.body).toEqual({ detail: 'Not found.' });
      }
    });

    it('400 with a DRF body for a malformed request, and nothing changes', async () => {
      const before = await snapshot(t);
      const scansBefore = await scanCount(t);
      const cases: Array<[string | unknown, Record<string, unknown>]> = [
        [{}, { serial_number: ['This field is required.'] }],
        ['', { serial_number: ['This field is required.'] }],
        [{ serial_number: null }, { serial_number: ['This field may not be null.'] }],
        [{ serial_number: '' }, { serial_number: ['This field may not be blank.'] }],
        [{ serial_number: '   ' }, { serial_number: ['This field may not be blank.'] }],
        [{ serial_number: true }, { serial_number: ['Not a valid string.'] }],
        [{ serial_number: 'x'.repeat(65) }, { serial_number: ['Ensure this field has no more than 64 characters.'] }],
        [{ serial_number: ['0000000001'] }, { serial_number: ['Not a valid string.'] }],
        [{ serial_number: { a: 1 } }, { serial_number: ['Not a valid string.'] }],
        [[], { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
      ];
      for (const [body, expected] of cases) {
        const reply = typeof body === 'string' ? await consumer('POST', '/api/v2/consumer/find/', { raw: body }) : await find(body);
        expect(reply.status, JSON.stringify(body)).toBe(400);
        expect(reply.body, JSON.stringify(body)).toEqual(expected);
      }
      const broken = await consumer('POST', '/api/v2/consumer/find/', { raw: '{"serial_number": ' });
      expect(broken.status).toBe(400);
      expectDrfBody(broken.body);
      const typed = await t.app.inject({ method: 'POST', url: '/api/v2/consumer/find/', headers: { [KEY_HEADER]: key, 'content-type': 'text/plain' }, payload: 'serial' });
      expect(typed.statusCode).toBe(415);
      expect(await snapshot(t)).toEqual(before);
      await t.container.scans.flush();
      expect(await scanCount(t)).toBe(scansBefore);
    });
  });

  it('is documented in the OpenAPI document under the "consumer" tag', async () => {
    const reply = await send(t, { method: 'GET', url: '/api/v2/schema/' });
    expect(reply.status).toBe(200);
    const paths = reply.body.paths as Record<string, Record<string, any>>;
    const operations = [
      paths['/api/v2/consumer/{extended_id}/details/']?.get,
      paths['/api/v2/consumer/scan/{scan_id}/combined-info/']?.get,
      paths['/api/v2/consumer/find/']?.post,
    ];
    for (const operation of operations) {
      expect(operation).toBeDefined();
      expect(operation.tags).toEqual(['consumer']);
      expect(operation.summary).toBeTypeOf('string');
      // The key header is the operation's security scheme (not a UAT or JWT), so it is not listed again as a parameter.
      expect(operation.security).toEqual([{ ConsumerKey: [] }]);
      expect(reply.body.components.securitySchemes.ConsumerKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-scantrust-consumer-api-key' });
      expect(operation.responses['401']).toBeDefined();
      expect(operation.responses['404']).toBeDefined();
    }
    expect(operations[2].requestBody.content['application/json'].schema.required).toEqual(['serial_number']);
  });

  it('no reply carries a key, a secret or anything about the scanning client', async () => {
    expect(replies.length).toBeGreaterThan(40);
    const hashes = [key, otherKey].map(hashTokenKey);
    for (const reply of replies) {
      const text = reply.raw.toString('utf8');
      for (const secret of [key, otherKey, ...hashes, TEST_SECRET_KEY, CLIENT_ADDRESS, '203.0.113', 'ConsumerTest', 'fr-CH', 'client_network', 'user_agent', 'accept_language', 'key_hash']) {
        expect(text).not.toContain(secret);
      }
    }
    // The scan itself did keep its network and user agent (for the brand's own scan reports), just not for the landing page.
    const rows = await t.container.db.selectFrom('scans').select(['client_network', 'user_agent']).where('user_agent', 'like', '%ConsumerTest%').execute();
    expect(rows).toEqual([{ client_network: '203.0.113.0/24', user_agent: USER_AGENT }]);
  });
});
