import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_ID_PATTERN } from '../../src/domain/scans/scan-id.js';
import { codeStatusSettled, confirm, createSg, createSid, ISO_MICROS, WO } from '../helpers/api-fixtures.js';
import { codeRow, extendedIdsOf, scanCode, scansOf } from '../helpers/scans.js';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

/** A completed SID order's codes (active when `activate`), once the code-status job has run. */
async function completedSid(t: TestApp, overrides: Record<string, unknown> = {}): Promise<{ id: number; codes: string[] }> {
  const wo = await createSid(t, { quantity: 4, activate_on_complete: true, ...overrides });
  await waitForWorkorder(t, wo.id, t.seed.brand_owner.token, (o) => o.state === 'completed');
  await codeStatusSettled(t, wo.id);
  return { id: wo.id, codes: await extendedIdsOf(t, wo.id) };
}

const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

describe('GET /q/{extended_id}: the verdict page', () => {
  let t: TestApp;
  let active: { id: number; codes: string[] };
  let inactive: { id: number; codes: string[] };
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    active = await completedSid(t, { product: t.seed.product_sku });
    inactive = await completedSid(t, { activate_on_complete: false });
  });
  afterAll(async () => t.close());

  it('an active code is genuine; each scan is recorded and counted', async () => {
    const id = active.codes[0]!;
    const first = await scanCode(t, id);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['content-security-policy']).toContain("default-src 'none'");
    expect(heading(first.body)).toBe('Genuine product');
    expect(first.body).toContain('This is the first scan of this code.');
    expect(first.body).toContain(id);
    expect(first.body).toContain('Demo Brand');
    // No external asset of any kind: no src/href attributes, no url() in the style.
    expect(first.body).not.toMatch(/\s(src|href)=|url\(/);

    const second = await scanCode(t, id);
    expect(second.body).toMatch(/Scanned 2 times since \d{1,2} \w+ \d{4}\./);

    const rows = await scansOf(t, id);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.scan_number)).toEqual([1, 2]);
    for (const row of rows) {
      expect(row.id).toMatch(SCAN_ID_PATTERN);
      expect(row.scan_date).toMatch(ISO_MICROS);
      expect(row).toMatchObject({ workorder_id: active.id, company_id: t.seed.brand_owner.company_id, activation_status: 1, blacklist_reason: 0, flags: '' });
      expect(row.user_agent).toContain('iPhone');
    }
    const code = await codeRow(t, id);
    expect(code.scan_count).toBe(2);
    expect(code.first_scan_date).toBe(rows[0]!.scan_date);
    expect(code.last_scan_date).toBe(rows[1]!.scan_date);
  });

  it('matches the prefix in either case, as a QR code in alphanumeric mode upper-cases it, and a trailing slash', async () => {
    const id = active.codes[1]!;
    for (const prefix of ['/Q/', '/q/']) {
      const reply = await scanCode(t, id, { prefix });
      expect(reply.status).toBe(200);
      expect(heading(reply.body)).toBe('Genuine product');
    }
    expect((await scanCode(t, `${id}/`)).status).toBe(200);
    expect((await scansOf(t, id))).toHaveLength(3);
  });

  it('the ID itself is case-sensitive (compact-12 IDs mix cases)', async () => {
    const wo = await completedSid(t, { extended_id_style: 'compact-12' });
    const id = wo.codes.find((c) => c !== c.toUpperCase())!;
    expect(id).toBeDefined();
    expect((await scanCode(t, id)).status).toBe(200);
    const swapped = await scanCode(t, id.toUpperCase());
    expect(swapped.status).toBe(404);
  });

  it('an inactive code is not yet activated', async () => {
    const reply = await scanCode(t, inactive.codes[0]!);
    expect(reply.status).toBe(200);
    expect(heading(reply.body)).toBe('Not yet activated');
    expect((await scansOf(t, inactive.codes[0]!))[0]).toMatchObject({ activation_status: 0, blacklist_reason: 0 });
  });

  it('a blacklisted code says why', async () => {
    const id = inactive.codes[1]!;
    await t.container.db.updateTable('codes').set({ activation_status: 2, blacklist_reason: 4 }).where('extended_id', '=', id).execute();
    const reply = await scanCode(t, id);
    expect(heading(reply.body)).toBe('Warning: this code is blocked');
    expect(reply.body).toContain('Reported stolen');
    expect((await scansOf(t, id))[0]).toMatchObject({ activation_status: 2, blacklist_reason: 4 });
  });

  it('a code of a canceled order reads as blacklisted (reason 9), even before its codes are updated', async () => {
    const wo = await createSg(t, { quantity: '3' });
    // A secure workflow keeps the generated order in "ready to print", where it may still be canceled.
    await t.container.db.updateTable('workorders').set({ has_secure_workflow: 1 }).where('id', '=', wo.id).execute();
    await confirm(t, wo.id);
    await waitForWorkorder(t, wo.id, t.seed.brand_owner.token, (o) => o.codegen_status === 4);
    const [id] = await extendedIdsOf(t, wo.id);
    expect((await t.call('POST', `${WO}/${wo.id}/cancel/`, t.seed.brand_owner.token)).status).toBe(200);
    const reply = await scanCode(t, id!);
    expect(heading(reply.body)).toBe('Warning: this code is blocked');
    expect(reply.body).toContain('Order canceled');
    expect((await scansOf(t, id!))[0]).toMatchObject({ activation_status: 2, blacklist_reason: 9 });
  });

  it('an unknown or malformed ID gets a 404 page and records nothing', async () => {
    const before = await t.container.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const id of ['NOSUCHCODE000000000000', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'a'.repeat(65), 'b'.repeat(300), '..%2F..%2Fetc%2Fpasswd', '%00']) {
      const reply = await scanCode(t, id);
      expect(reply.status, id).toBe(404);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(heading(reply.body)).toBe('Unknown code');
      expect(reply.body).not.toContain('<script>');
    }
    await t.container.scans.flush();
    const after = await t.container.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('speaks the visitor\'s language where Accept-Language allows English, French, German or Chinese', async () => {
    const id = active.codes[2]!;
    const cases: Array<[string | undefined, string, string]> = [
      ['fr-CH, fr;q=0.9, en;q=0.8', 'fr', 'Produit authentique'],
      ['de-DE', 'de', 'Echtes Produkt'],
      ['zh-CN,zh;q=0.9', 'zh', '正品'],
      ['es-ES, fr;q=0.5', 'fr', 'Produit authentique'],
      ['en;q=0.2, de;q=0.8', 'de', 'Echtes Produkt'],
      ['es, it', 'en', 'Genuine product'],
      [undefined, 'en', 'Genuine product'],
    ];
    for (const [language, lang, text] of cases) {
      const reply = await scanCode(t, id, language === undefined ? {} : { language });
      expect(reply.body, String(language)).toContain(`<html lang="${lang}">`);
      expect(heading(reply.body), String(language)).toBe(text);
      expect(reply.headers.vary).toBe('Accept-Language');
    }
    const unknown = await scanCode(t, 'NOSUCHCODE', { language: 'de' });
    expect(heading(unknown.body)).toBe('Unbekannter Code');
  });

  it('HEAD answers the same and records nothing', async () => {
    const id = active.codes[3]!;
    const head = await scanCode(t, id, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await scanCode(t, 'NOSUCHCODE', { method: 'HEAD' })).status).toBe(404);
    expect(await scansOf(t, id)).toHaveLength(0);
    expect((await codeRow(t, id)).scan_count).toBe(0);
  });

  it('keeps the client\'s network (/24, /48), never its address', async () => {
    const id = inactive.codes[2]!;
    await scanCode(t, id, { remoteAddress: '203.0.113.77' });
    await scanCode(t, id, { remoteAddress: '2001:db8:abcd:12::1' });
    await scanCode(t, id, { remoteAddress: '::ffff:198.51.100.9' });
    const rows = await scansOf(t, id);
    expect(rows.map((r) => r.client_network)).toEqual(['203.0.113.0/24', '2001:db8:abcd::/48', '198.51.100.0/24']);
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113\.77|2001:db8:abcd:12|198\.51\.100\.9/);
  });
});

describe('GET /q/{extended_id}: landing pages and scan limits', () => {
  let t: TestApp;
  let bo: string;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
  });
  afterAll(async () => t.close());

  it('redirects to the product\'s landing page, else the brand owner\'s, with the scan id', async () => {
    const withProduct = await completedSid(t, { product: t.seed.product_sku });
    const withoutProduct = await completedSid(t);

    const company = await t.call('PATCH', '/api/v2/scan-settings/', bo, { landing_url: 'https://brand.example/verify' });
    expect(company.status, JSON.stringify(company.body)).toBe(200);
    expect(company.body).toEqual({ landing_url: 'https://brand.example/verify', max_scan_count: null, max_scan_action: null });
    const product = await t.call('PATCH', `/api/v2/products/${t.seed.product_id}/`, bo, { client_url: 'https://brand.example/p2?src=qr' });
    expect(product.status, JSON.stringify(product.body)).toBe(200);
    expect(product.body).toMatchObject({ id: t.seed.product_id, sku: t.seed.product_sku, client_url: 'https://brand.example/p2?src=qr' });

    const viaProduct = await scanCode(t, withProduct.codes[0]!);
    expect(viaProduct.status).toBe(302);
    const location = new URL(String(viaProduct.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe('https://brand.example/p2');
    expect(location.searchParams.get('src')).toBe('qr');
    const scanId = location.searchParams.get('scan_id')!;
    expect(scanId).toMatch(SCAN_ID_PATTERN);
    expect((await scansOf(t, withProduct.codes[0]!)).map((r) => r.id)).toEqual([scanId]);

    const viaCompany = await scanCode(t, withoutProduct.codes[0]!);
    expect(viaCompany.status).toBe(302);
    expect(String(viaCompany.headers.location)).toMatch(/^https:\/\/brand\.example\/verify\?scan_id=[0-9A-Z]{26}$/);

    // HEAD follows the same way without a scan id (nothing was recorded).
    const head = await scanCode(t, withoutProduct.codes[0]!, { method: 'HEAD' });
    expect(head.status).toBe(302);
    expect(head.headers.location).toBe('https://brand.example/verify');

    // Cleared: back to Sigil's page.
    await t.call('PATCH', '/api/v2/scan-settings/', bo, { landing_url: null });
    await t.call('PATCH', `/api/v2/products/${t.seed.product_id}/`, bo, { client_url: null });
    expect((await scanCode(t, withProduct.codes[1]!)).status).toBe(200);
  });

  it('past max_scan_count a scan is flagged, or the code blacklisted (reason 10) if so configured', async () => {
    const wo = await completedSid(t, { product: t.seed.product_sku });
    expect((await t.call('PATCH', '/api/v2/scan-settings/', bo, { max_scan_count: 2 })).status).toBe(200);
    const flagged = wo.codes[0]!;
    for (let i = 0; i < 2; i++) expect(heading((await scanCode(t, flagged)).body)).toBe('Genuine product');
    const third = await scanCode(t, flagged);
    expect(heading(third.body)).toBe('Genuine product');
    expect(third.body).toContain('scanned more often than expected');
    expect((await scansOf(t, flagged)).map((r) => r.flags)).toEqual(['', '', 'max-scan-count-exceeded']);
    expect((await codeRow(t, flagged)).activation_status).toBe(1);

    // The product's own setting comes first.
    const product = await t.call('PATCH', `/api/v2/products/${t.seed.product_id}/`, bo, { max_scan_count: 1, max_scan_action: 'blacklist' });
    expect(product.body).toMatchObject({ max_scan_count: 1, max_scan_action: 'blacklist' });
    const blocked = wo.codes[1]!;
    expect(heading((await scanCode(t, blocked)).body)).toBe('Genuine product');
    const over = await scanCode(t, blocked);
    expect(heading(over.body)).toBe('Warning: this code is blocked');
    expect(over.body).toContain('Scanned too many times');
    expect(await codeRow(t, blocked)).toMatchObject({ activation_status: 2, blacklist_reason: 10, scan_count: 2 });
    expect((await scansOf(t, blocked)).map((r) => [r.activation_status, r.blacklist_reason, r.flags])).toEqual([
      [1, 0, ''], [2, 10, 'max-scan-count-exceeded'],
    ]);
    const later = await scanCode(t, blocked);
    expect(later.body).toContain('Scanned too many times');
  });
});
