import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBut, codeStatusSettled, createSid, expectDrfBody } from '../helpers/api-fixtures.js';
import { extendedIdsOf, scanCode } from '../helpers/scans.js';
import { createOtherTenants, createTestApp, tokenFor, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

const SCANS = '/api/v2/dashboard/scans/';

describe('scan data: GET /api/v2/dashboard/scans/', () => {
  let t: TestApp;
  let bo: string;
  let withProduct: { id: number; codes: string[] };
  let plain: { id: number; codes: string[] };
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    const order = async (overrides: Record<string, unknown>) => {
      const wo = await createSid(t, { quantity: 3, activate_on_complete: true, ...overrides });
      await waitForWorkorder(t, wo.id, bo, (o) => o.state === 'completed');
      await codeStatusSettled(t, wo.id);
      return { id: wo.id as number, codes: await extendedIdsOf(t, wo.id) };
    };
    withProduct = await order({ product: t.seed.product_sku });
    plain = await order({ activate_on_complete: false });
    other = await createOtherTenants(t);
    await t.call('PATCH', '/api/v2/scan-settings/', bo, { max_scan_count: 2 });
    for (let i = 0; i < 3; i++) await scanCode(t, withProduct.codes[0]!, { remoteAddress: '203.0.113.9', language: 'de-CH' });
    await scanCode(t, withProduct.codes[1]!);
    await scanCode(t, plain.codes[0]!);
    await t.container.scans.flush();
  });
  afterAll(async () => t.close());

  it('lists the brand owner\'s scans newest first, in the reference\'s sections', async () => {
    const reply = await t.call('GET', SCANS, bo);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ count: 5, next: null, previous: null });
    const [newest] = reply.body.results;
    expect(newest.code).toMatchObject({ extended_id: plain.codes[0], activation_status: 0, workorder: plain.id });
    expect(newest.product).toBeNull();
    const third = reply.body.results.find((r: any) => r.scan.scan_number === 3);
    expect(third).toMatchObject({
      scan: { reason: 'query', result: 'ok', flags: ['max-scan-count-exceeded'] },
      code: { extended_id: withProduct.codes[0], activation_status: 1, blacklist_reason: 0, workorder: withProduct.id },
      product: { id: t.seed.product_id, sku: t.seed.product_sku, name: 'Demo Product' },
      device: { accept_language: 'de-CH' },
      location: { network: '203.0.113.0/24' },
    });
    expect(JSON.stringify(reply.body)).not.toContain('203.0.113.9');
    const dates = reply.body.results.map((r: any) => r.scan.date);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('filters by product, work order, status, flags and time', async () => {
    const count = async (query: string) => {
      const reply = await t.call('GET', `${SCANS}?${query}`, bo);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.count as number;
    };
    expect(await count(`product=${t.seed.product_id}`)).toBe(4);
    expect(await count(`workorder=${plain.id}`)).toBe(1);
    expect(await count('activation_status=0')).toBe(1);
    expect(await count('flags=max-scan-count-exceeded')).toBe(1);
    expect(await count('timeframe=1d')).toBe(5);
    expect(await count('timeframe=-1y')).toBe(5);
    const today = new Date().toISOString().slice(0, 10);
    expect(await count(`date_from=${today}&date_to=${today}`)).toBe(5);
    expect(await count('date_to=2020-01-01')).toBe(0);
    expect(await count(`date_from=${new Date(Date.now() + 60_000).toISOString()}`)).toBe(0);
  });

  it('page_mode=cursor walks every scan once, page by page, until next is null', async () => {
    const seen: string[] = [];
    let url: string | null = `${SCANS}?page_mode=cursor&limit=2`;
    let pages = 0;
    while (url) {
      const reply = await t.call('GET', url.replace('http://sigil.test', ''), bo);
      expect(reply.status).toBe(200);
      expect(reply.body.count).toBeUndefined();
      seen.push(...reply.body.results.map((r: any) => r.scan.id));
      url = reply.body.next;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const offsetPage = await t.call('GET', `${SCANS}?limit=2&offset=2`, bo);
    expect(offsetPage.body.results.map((r: any) => r.scan.id)).toEqual(seen.slice(2, 4));
  });

  it('another company sees none of them; a foreign product or order is a 400', async () => {
    expect((await t.call('GET', SCANS, other.brandToken)).body).toMatchObject({ count: 0, results: [] });
    expect((await t.call('GET', SCANS, other.partnerToken)).body).toMatchObject({ count: 0, results: [] });
    expect((await t.call('GET', `${SCANS}?workorder=${plain.id}`, other.brandToken)).status).toBe(400);
    expect((await t.call('GET', `${SCANS}?product=${t.seed.product_id}`, other.brandToken)).status).toBe(400);
    // The demo partner prints no order here: none of these scans are its.
    expect((await t.call('GET', SCANS, t.seed.printing_partner.token)).body.count).toBe(0);
  });

  it('malformed queries are a 400; scans_download is needed', async () => {
    for (const query of ['timeframe=1q', 'timeframe=0d', 'date_from=yesterday', 'date_from=2026-02-30', 'date_from=2026-02-02&date_to=2026-02-01',
      'activation_status=3', 'flags=counterfeit', 'flags=,', 'page_mode=pages', 'cursor=abc', 'page_mode=cursor&cursor=bm90LWpzb24',
      'page_mode=cursor&offset=2', 'limit=0', 'limit=5000', 'product=x']) {
      const reply = await t.call('GET', `${SCANS}?${query}`, bo);
      expect(reply.status, query).toBe(400);
      expectDrfBody(reply.body);
    }
    const noScans = await tokenFor(t, t.seed.brand_owner.company_id, allBut('scans_download'));
    expect((await t.call('GET', SCANS, noScans.key)).status).toBe(403);
    expect((await t.call('GET', SCANS, null)).status).toBe(401);
  });
});
