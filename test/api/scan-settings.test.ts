import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBut, expectDrfBody, snapshot } from '../helpers/api-fixtures.js';
import { createOtherTenants, createTestApp, tokenFor, type TestApp } from '../helpers/test-app.js';

const PRODUCT = (id: number) => `/api/v2/products/${id}/`;
const SETTINGS = '/api/v2/scan-settings/';

describe('scan settings: a product\'s landing page and limit, and the brand owner\'s defaults', () => {
  let t: TestApp;
  let bo: string;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  beforeAll(async () => {
    t = await createTestApp();
    bo = t.seed.brand_owner.token;
    other = await createOtherTenants(t);
  });
  afterAll(async () => t.close());

  it('GET and PATCH a product: set, leave alone, clear', async () => {
    const before = await t.call('GET', PRODUCT(t.seed.product_id), bo);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      id: t.seed.product_id, sku: t.seed.product_sku, name: 'Demo Product', company: t.seed.brand_owner.company_id,
      brand: { name: 'Demo Brand' }, client_url: null, max_scan_count: null, max_scan_action: null,
    });
    const set = await t.call('PATCH', PRODUCT(t.seed.product_id), bo, { client_url: 'https://brand.example/p', max_scan_count: '5', max_scan_action: 'blacklist' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ client_url: 'https://brand.example/p', max_scan_count: 5, max_scan_action: 'blacklist' });
    const partly = await t.call('PATCH', PRODUCT(t.seed.product_id), bo, { max_scan_count: null });
    expect(partly.body).toMatchObject({ client_url: 'https://brand.example/p', max_scan_count: null, max_scan_action: 'blacklist' });
    const cleared = await t.call('PATCH', PRODUCT(t.seed.product_id), bo, { client_url: null, max_scan_action: null });
    expect(cleared.body).toMatchObject({ client_url: null, max_scan_count: null, max_scan_action: null });
  });

  it('GET and PATCH the brand owner\'s settings', async () => {
    expect((await t.call('GET', SETTINGS, bo)).body).toEqual({ landing_url: null, max_scan_count: null, max_scan_action: null });
    const set = await t.call('PATCH', SETTINGS, bo, { landing_url: 'http://brand.example:8080/landing', max_scan_count: 100 });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ landing_url: 'http://brand.example:8080/landing', max_scan_count: 100, max_scan_action: null });
    expect((await t.call('GET', SETTINGS, bo)).body).toEqual(set.body);
    // Another brand owner's settings are its own.
    expect((await t.call('GET', SETTINGS, other.brandToken)).body).toEqual({ landing_url: null, max_scan_count: null, max_scan_action: null });
    await t.call('PATCH', SETTINGS, bo, { landing_url: null, max_scan_count: null });
  });

  it('malformed input is a 400 naming each field, and changes nothing', async () => {
    const before = await snapshot(t);
    const cases: Array<[string, unknown, string[]]> = [
      [PRODUCT(t.seed.product_id), { client_url: 'ftp://brand.example/x' }, ['client_url']],
      [PRODUCT(t.seed.product_id), { client_url: 'javascript:alert(1)', max_scan_action: 'flag' }, ['client_url']],
      [PRODUCT(t.seed.product_id), { max_scan_count: 0, max_scan_action: 'delete' }, ['max_scan_count', 'max_scan_action']],
      [PRODUCT(t.seed.product_id), { client_url: `https://x.example/${'a'.repeat(3000)}` }, ['client_url']],
      [PRODUCT(t.seed.product_id), { max_scan_count: 1.5 }, ['max_scan_count']],
      [PRODUCT(t.seed.product_id), { max_scan_count: 'many' }, ['max_scan_count']],
      [SETTINGS, { landing_url: 'not a url' }, ['landing_url']],
      [SETTINGS, { landing_url: 'https://user:secret@brand.example/' }, ['landing_url']],
      [SETTINGS, { max_scan_count: -1 }, ['max_scan_count']],
      [SETTINGS, { max_scan_action: ['flag'] }, ['max_scan_action']],
    ];
    for (const [url, body, fields] of cases) {
      const reply = await t.call('PATCH', url, bo, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expectDrfBody(reply.body);
      expect(Object.keys(reply.body).sort(), JSON.stringify(body)).toEqual([...fields].sort());
    }
    for (const raw of ['{"landing_url":', '[]', 'null']) {
      const reply = await t.call('PATCH', SETTINGS, bo, raw);
      expect(reply.status, raw).toBe(400);
      expectDrfBody(reply.body);
    }
    expect(await snapshot(t)).toEqual(before);
    const product = await t.container.db.selectFrom('products').selectAll().where('id', '=', t.seed.product_id).executeTakeFirstOrThrow();
    expect(product).toMatchObject({ client_url: null, max_scan_count: null, max_scan_action: null });
  });

  it('another company\'s product is 404, whoever asks; a missing or bad id too', async () => {
    for (const token of [other.brandToken, other.partnerToken, t.seed.printing_partner.token]) {
      expect((await t.call('GET', PRODUCT(t.seed.product_id), token)).status).toBe(404);
      const patch = await t.call('PATCH', PRODUCT(t.seed.product_id), token, { client_url: 'https://evil.example/' });
      expect(patch.status).toBe(404);
      expect(patch.body).toEqual({ detail: 'Not found.' });
    }
    expect((await t.call('GET', PRODUCT(999_999), bo)).status).toBe(404);
    expect((await t.call('GET', '/api/v2/products/abc/', bo)).status).toBe(404);
    const product = await t.container.db.selectFrom('products').select('client_url').where('id', '=', t.seed.product_id).executeTakeFirstOrThrow();
    expect(product.client_url).toBeNull();
    // Platform staff see every product.
    expect((await t.call('GET', PRODUCT(t.seed.product_id), t.seed.platform.token)).status).toBe(200);
  });

  it('needs product_view to read and product_edit to change; printing partners have no scan settings', async () => {
    const noView = await tokenFor(t, t.seed.brand_owner.company_id, allBut('product_view'));
    const noEdit = await tokenFor(t, t.seed.brand_owner.company_id, allBut('product_edit'));
    expect((await t.call('GET', PRODUCT(t.seed.product_id), noView.key)).status).toBe(403);
    expect((await t.call('GET', SETTINGS, noView.key)).status).toBe(403);
    expect((await t.call('GET', PRODUCT(t.seed.product_id), noEdit.key)).status).toBe(200);
    const denied = await t.call('PATCH', PRODUCT(t.seed.product_id), noEdit.key, { client_url: 'https://brand.example/' });
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain('product_edit');
    expect((await t.call('PATCH', SETTINGS, noEdit.key, { max_scan_count: 3 })).status).toBe(403);
    expect((await t.call('GET', SETTINGS, t.seed.printing_partner.token)).status).toBe(403);
    expect((await t.call('GET', SETTINGS, null)).status).toBe(401);
    expect((await t.call('GET', PRODUCT(t.seed.product_id), null)).status).toBe(401);
  });
});
