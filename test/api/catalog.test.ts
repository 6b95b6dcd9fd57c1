import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBut, createSg, createSid, expectDrfBody, send, snapshot } from '../helpers/api-fixtures.js';
import { listItemSchema } from '../helpers/openapi-doc.js';
import { createOtherTenants, createTestApp, PUBLIC_URL, tokenFor, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

const PRODUCTS = '/api/v2/products/';
const BRANDS = '/api/v2/brands/';
const EQUIPMENT = '/api/v2/equipment/';
const SUBSTRATES = '/api/v2/substrates/';
const PARTNERS = '/api/v2/printing-partners/';

describe('catalogue lists: products, brands, equipment, substrates, printing partners', () => {
  let t: TestApp;
  let bo: string;
  let pp: string;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  /** The demo brand owner's products by SKU (the seeded P2 and three more, one archived). */
  const products: Record<string, number> = {};
  let otherProduct: number;
  let archivedPress: number;
  let spare: { press: number; paper: number; archivedPaper: number };

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    pp = t.seed.printing_partner.token;
    other = await createOtherTenants(t);
    const admin = t.container.admin;
    const company = t.seed.brand_owner.company_id;
    const brand = await admin.createBrand({ company, name: 'Second Brand', reference: 'BR-2' });
    products.P2 = t.seed.product_id;
    for (const [sku, name] of [['A-100', 'Gamma'], ['C-300', 'Alpha'], ['B-200', 'Beta']] as const) {
      products[sku] = (await admin.createProduct({ company, sku, name, brand: brand.id, description: `${name} product` })).id;
    }
    products.ARCHIVED = (await admin.createProduct({ company, sku: 'Z-999', name: 'Old' })).id;
    await t.container.db.updateTable('products').set({ is_archived: 1 }).where('id', '=', products.ARCHIVED).execute();
    await admin.createBrand({ company: other.brand.id, name: 'Other Brand Line' });
    otherProduct = (await admin.createProduct({ company: other.brand.id, sku: 'P2', name: 'Other P2' })).id;

    // The demo partner: a second press with its own paper, an archived press, and an archived paper calibrated for the first press.
    const partner = t.seed.printing_partner.company_id;
    const press = await admin.createEquipment({ company: partner, name: 'Second press', dpi: 1200, description: 'wide' });
    const paper = await admin.createSubstrate({ company: partner, name: 'Gloss', description: 'coated' });
    const archivedPaper = await admin.createSubstrate({ company: partner, name: 'Retired paper' });
    await admin.createCalibration({ equipment: press.id, substrate: paper.id, cellSizeDots: 3, blackDensity: 0.5 });
    await admin.createCalibration({ equipment: t.seed.equipment_id, substrate: archivedPaper.id, cellSizeDots: 2, blackDensity: 0.4 });
    const archived = await admin.createEquipment({ company: partner, name: 'Archived press', dpi: 600 });
    await admin.createCalibration({ equipment: archived.id, substrate: paper.id, cellSizeDots: 2, blackDensity: 0.42 });
    await t.container.db.updateTable('equipment').set({ is_archived: 1 }).where('id', '=', archived.id).execute();
    await t.container.db.updateTable('substrates').set({ is_archived: 1 }).where('id', '=', archivedPaper.id).execute();
    archivedPress = archived.id;
    spare = { press: press.id, paper: paper.id, archivedPaper: archivedPaper.id };
  });
  afterAll(async () => t.close());

  const skus = async (query: string, token = bo) => {
    const reply = await t.call('GET', `${PRODUCTS}${query}`, token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return (reply.body.results as Array<{ sku: string }>).map((p) => p.sku);
  };

  describe('products', () => {
    it('every item equals the product detail; code_count sums the generated orders of the product', async () => {
      // Two generated SID orders of P2 (3 + 4 codes); an SSC order of P2 that is never confirmed has no codes.
      for (const quantity of [3, 4]) {
        const wo = await createSid(t, { product: 'P2', quantity });
        await waitForWorkorder(t, wo.id, bo, (o) => o.codegen_status === 4);
      }
      await createSg(t, { quantity: '50' });
      const reply = await t.call('GET', PRODUCTS, bo);
      expect(reply.status).toBe(200);
      expect(reply.body.count).toBe(4);
      for (const item of reply.body.results) {
        const detail = await t.call('GET', `${PRODUCTS}${item.id}/`, bo);
        expect(item).toEqual(detail.body);
      }
      const p2 = reply.body.results.find((p: { id: number }) => p.id === products.P2);
      expect(p2).toEqual({
        id: products.P2, sku: 'P2', name: 'Demo Product', description: '', image: null,
        brand: { id: expect.any(Number), name: 'Demo Brand', reference: null, image: null },
        creation_date: expect.any(String), is_archived: false, client_url: null, company: t.seed.brand_owner.company_id,
        code_count: 7, max_scan_count: null, max_scan_action: null,
      });
      const gamma = reply.body.results.find((p: { id: number }) => p.id === products['A-100']);
      expect(gamma).toMatchObject({ name: 'Gamma', description: 'Gamma product', brand: { name: 'Second Brand', reference: 'BR-2' }, code_count: 0 });
      expect(reply.body.results.some((p: { code_count: unknown }) => 'active_code_count' in (p as object))).toBe(false);
    });

    it('is_archived, sku__exact and ordering', async () => {
      expect(await skus('')).toEqual(['B-200', 'C-300', 'A-100', 'P2']); // newest first
      expect(await skus('?ordering=-creation_date')).toEqual(['B-200', 'C-300', 'A-100', 'P2']);
      expect(await skus('?ordering=creation_date')).toEqual(['P2', 'A-100', 'C-300', 'B-200']);
      expect(await skus('?ordering=name')).toEqual(['C-300', 'B-200', 'P2', 'A-100']); // Alpha, Beta, Demo Product, Gamma
      expect(await skus('?ordering=-name')).toEqual(['A-100', 'P2', 'B-200', 'C-300']);
      expect(await skus('?ordering=sku')).toEqual(['A-100', 'B-200', 'C-300', 'P2']);
      expect(await skus('?ordering=-sku')).toEqual(['P2', 'C-300', 'B-200', 'A-100']);
      for (const archived of ['1', 'true', 'True']) expect(await skus(`?is_archived=${archived}`)).toEqual(['Z-999']);
      for (const current of ['0', 'false', 'False']) expect(await skus(`?is_archived=${current}`)).toHaveLength(4);
      expect(await skus('?sku__exact=B-200')).toEqual(['B-200']);
      expect(await skus('?sku__exact=b-200')).toEqual([]);
      expect(await skus('?sku__exact=B-20')).toEqual([]);
      expect(await skus('?sku__exact=Z-999')).toEqual([]);
      expect(await skus('?sku__exact=Z-999&is_archived=1')).toEqual(['Z-999']);
    });

    it('pages with absolute next and previous links that keep the other parameters', async () => {
      const first = await t.call('GET', `${PRODUCTS}?ordering=sku&limit=3`, bo);
      expect(first.body).toMatchObject({ count: 4, previous: null, next: `${PUBLIC_URL}${PRODUCTS}?ordering=sku&limit=3&offset=3` });
      expect(first.body.results.map((p: { sku: string }) => p.sku)).toEqual(['A-100', 'B-200', 'C-300']);
      const second = await t.call('GET', first.body.next.slice(PUBLIC_URL.length), bo);
      expect(second.body).toMatchObject({ count: 4, next: null, previous: `${PUBLIC_URL}${PRODUCTS}?ordering=sku&limit=3` });
      expect(second.body.results.map((p: { sku: string }) => p.sku)).toEqual(['P2']);
      const beyond = await t.call('GET', `${PRODUCTS}?offset=10`, bo);
      expect(beyond.body).toMatchObject({ count: 4, next: null, results: [] });
      expect(beyond.body.previous).toBe(`${PUBLIC_URL}${PRODUCTS}?limit=20`);
    });

    it('each company sees its own products; a printing partner has none; platform staff see all', async () => {
      const theirs = await t.call('GET', PRODUCTS, other.brandToken);
      expect(theirs.body.count).toBe(1);
      expect(theirs.body.results[0]).toMatchObject({ id: otherProduct, sku: 'P2', name: 'Other P2', company: other.brand.id, code_count: 0 });
      expect(await skus('?sku__exact=P2')).toEqual(['P2']);
      expect((await t.call('GET', `${PRODUCTS}?sku__exact=P2`, bo)).body.results[0].id).toBe(products.P2);
      expect((await t.call('GET', PRODUCTS, pp)).body).toEqual({ count: 0, next: null, previous: null, results: [] });
      expect((await t.call('GET', PRODUCTS, other.partnerToken)).body.count).toBe(0);
      const all = await t.call('GET', `${PRODUCTS}?limit=100`, t.seed.platform.token);
      expect(all.body.results.map((p: { id: number }) => p.id).sort((a: number, b: number) => a - b))
        .toEqual([products.P2!, products['A-100']!, products['C-300']!, products['B-200']!, otherProduct].sort((a, b) => a - b));
    });
  });

  describe('brands', () => {
    it('the caller\'s brands by id, paged; another company\'s are not listed', async () => {
      const reply = await t.call('GET', BRANDS, bo);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ count: 2, next: null, previous: null });
      expect(reply.body.results).toEqual([
        { id: expect.any(Number), name: 'Demo Brand', reference: null, creation_date: expect.any(String) },
        { id: expect.any(Number), name: 'Second Brand', reference: 'BR-2', creation_date: expect.any(String) },
      ]);
      expect(reply.body.results[0].id).toBeLessThan(reply.body.results[1].id);
      const paged = await t.call('GET', `${BRANDS}?limit=1&offset=1`, bo);
      expect(paged.body).toMatchObject({ count: 2, next: null, previous: `${PUBLIC_URL}${BRANDS}?limit=1` });
      expect(paged.body.results.map((b: { name: string }) => b.name)).toEqual(['Second Brand']);
      expect((await t.call('GET', `${BRANDS}?limit=1`, bo)).body.next).toBe(`${PUBLIC_URL}${BRANDS}?limit=1&offset=1`);
      const theirs = await t.call('GET', BRANDS, other.brandToken);
      expect(theirs.body.results.map((b: { name: string }) => b.name)).toEqual(['Other Brand Line']);
      expect((await t.call('GET', BRANDS, pp)).body.count).toBe(0);
    });
  });

  describe('equipment and substrates', () => {
    it('a printing partner\'s presses with their calibrated, non-archived substrates', async () => {
      const reply = await t.call('GET', EQUIPMENT, pp);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ count: 2, next: null, previous: null });
      expect(reply.body.results).toEqual([
        {
          id: t.seed.equipment_id, name: 'Demo Indigo 7K', description: '', dpi: 812, is_archived: false, creation_date: expect.any(String),
          substrates: [{ id: t.seed.substrate_id, name: 'Plain Paper', cell_size_dots: 2, black_density: 0.45 }],
        },
        {
          id: spare.press, name: 'Second press', description: 'wide', dpi: 1200, is_archived: false, creation_date: expect.any(String),
          substrates: [{ id: spare.paper, name: 'Gloss', cell_size_dots: 3, black_density: 0.5 }],
        },
      ]);
      const archived = await t.call('GET', `${EQUIPMENT}?is_archived=1`, pp);
      expect(archived.body.results).toEqual([expect.objectContaining({
        id: archivedPress, is_archived: true, substrates: [{ id: spare.paper, name: 'Gloss', cell_size_dots: 2, black_density: 0.42 }],
      })]);
      const paged = await t.call('GET', `${EQUIPMENT}?limit=1`, pp);
      expect(paged.body).toMatchObject({ count: 2, previous: null, next: `${PUBLIC_URL}${EQUIPMENT}?limit=1&offset=1` });
      expect(paged.body.results.map((e: { id: number }) => e.id)).toEqual([t.seed.equipment_id]);
    });

    it('a printing partner\'s substrates with the non-archived presses they are calibrated for', async () => {
      const reply = await t.call('GET', SUBSTRATES, pp);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ count: 2, next: null, previous: null });
      expect(reply.body.results).toEqual([
        {
          id: t.seed.substrate_id, name: 'Plain Paper', description: '', is_archived: false, creation_date: expect.any(String),
          calibrated_for: [{ equipment_id: t.seed.equipment_id, equipment_name: 'Demo Indigo 7K', cell_size_dots: 2, black_density: 0.45 }],
        },
        {
          id: spare.paper, name: 'Gloss', description: 'coated', is_archived: false, creation_date: expect.any(String),
          calibrated_for: [{ equipment_id: spare.press, equipment_name: 'Second press', cell_size_dots: 3, black_density: 0.5 }],
        },
      ]);
      const archived = await t.call('GET', `${SUBSTRATES}?is_archived=true`, pp);
      expect(archived.body.results).toEqual([expect.objectContaining({
        id: spare.archivedPaper, is_archived: true,
        calibrated_for: [{ equipment_id: t.seed.equipment_id, equipment_name: 'Demo Indigo 7K', cell_size_dots: 2, black_density: 0.4 }],
      })]);
    });

    it('?equipment= keeps the substrates calibrated for that press; another company\'s press is a 400', async () => {
      const ids = async (query: string) => (await t.call('GET', `${SUBSTRATES}${query}`, pp)).body.results.map((s: { id: number }) => s.id);
      expect(await ids(`?equipment=${t.seed.equipment_id}`)).toEqual([t.seed.substrate_id]);
      expect(await ids(`?equipment=${spare.press}`)).toEqual([spare.paper]);
      expect(await ids(`?equipment=${archivedPress}`)).toEqual([spare.paper]);
      expect(await ids(`?equipment=${t.seed.equipment_id}&is_archived=1`)).toEqual([spare.archivedPaper]);
      const before = await snapshot(t);
      for (const [token, press] of [[pp, other.equipment.id], [other.partnerToken, t.seed.equipment_id], [bo, t.seed.equipment_id], [pp, 999_999]] as const) {
        const reply = await t.call('GET', `${SUBSTRATES}?equipment=${press}`, token);
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({ equipment: [`Invalid pk "${press}" - object does not exist.`] });
      }
      expect(await snapshot(t)).toEqual(before);
      // The other partner's own press works for it.
      const theirs = await t.call('GET', `${SUBSTRATES}?equipment=${other.equipment.id}`, other.partnerToken);
      expect(theirs.body.results.map((s: { id: number }) => s.id)).toEqual([other.substrate.id]);
    });

    it('each partner sees only its own; brand owners and platform staff have none', async () => {
      const theirs = await t.call('GET', EQUIPMENT, other.partnerToken);
      expect(theirs.body.results).toEqual([expect.objectContaining({
        id: other.equipment.id, name: 'Other press', substrates: [{ id: other.substrate.id, name: 'Other paper', cell_size_dots: 2, black_density: 0.4 }],
      })]);
      const theirPapers = await t.call('GET', SUBSTRATES, other.partnerToken);
      expect(theirPapers.body.results.map((s: { id: number }) => s.id)).toEqual([other.substrate.id]);
      for (const token of [bo, other.brandToken, t.seed.platform.token]) {
        for (const url of [EQUIPMENT, SUBSTRATES, `${EQUIPMENT}?is_archived=1`]) {
          expect((await t.call('GET', url, token)).body, url).toEqual({ count: 0, next: null, previous: null, results: [] });
        }
      }
    });
  });

  describe('printing partners', () => {
    it('a brand owner lists every printing partner by name', async () => {
      const reply = await t.call('GET', PARTNERS, bo);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        count: 2, next: null, previous: null,
        results: [
          { id: t.seed.printing_partner.company_id, uuid: expect.any(String), name: 'Demo Print' },
          { id: other.partner.id, uuid: other.partner.uuid, name: other.partner.name },
        ],
      });
      const paged = await t.call('GET', `${PARTNERS}?limit=1&offset=1`, other.brandToken);
      expect(paged.body).toMatchObject({ count: 2, next: null, previous: `${PUBLIC_URL}${PARTNERS}?limit=1` });
      expect(paged.body.results).toEqual([{ id: other.partner.id, uuid: other.partner.uuid, name: other.partner.name }]);
      // What the list offers, creation accepts.
      const listed = reply.body.results[1].id;
      expect((await t.call('POST', '/api/v2/workorders/create-sg/', bo, {
        reference: 'partner-from-list', quantity: 1, code_layout: 'sg-outside', printing_partner: listed,
      })).status).toBe(201);
    });

    it('printing partners and platform staff cannot create orders, so they get a 403', async () => {
      for (const token of [pp, other.partnerToken, t.seed.platform.token]) {
        const reply = await t.call('GET', PARTNERS, token);
        expect(reply.status).toBe(403);
        expect(reply.body).toEqual({ detail: 'Only brand owners can create work orders.' });
      }
    });
  });

  describe('authentication, permissions and bad input', () => {
    const routes: Array<[string, string]> = [
      [PRODUCTS, 'product_view'], [BRANDS, 'product_view'], [EQUIPMENT, 'workorder_view'], [SUBSTRATES, 'workorder_view'],
      [PARTNERS, 'workorder_create'],
    ];

    it('401 without credentials, 403 without the permission', async () => {
      for (const [url, permission] of routes) {
        expect((await t.call('GET', url, null)).status, url).toBe(401);
        expect((await send(t, { method: 'GET', url, authorization: 'UAT not-a-key' })).status, url).toBe(401);
        const company = url === EQUIPMENT || url === SUBSTRATES ? t.seed.printing_partner.company_id : t.seed.brand_owner.company_id;
        const without = await tokenFor(t, company, allBut(permission));
        const denied = await t.call('GET', url, without.key);
        expect(denied.status, url).toBe(403);
        expect(denied.body.detail).toContain(permission);
        const only = await tokenFor(t, company, [permission]);
        expect((await t.call('GET', url, only.key)).status, url).toBe(200);
      }
    });

    const cases: Array<[string, unknown]> = [
      [`${PRODUCTS}?ordering=price`, { ordering: ['"price" is not a valid choice.'] }],
      [`${PRODUCTS}?ordering=-id`, { ordering: ['"-id" is not a valid choice.'] }],
      [`${PRODUCTS}?is_archived=yes`, { is_archived: ['"yes" is not a valid choice.'] }],
      [`${PRODUCTS}?limit=0`, { limit: ['Ensure this value is greater than or equal to 1.'] }],
      [`${PRODUCTS}?limit=-5`, { limit: ['Ensure this value is greater than or equal to 1.'] }],
      [`${PRODUCTS}?limit=1001`, { limit: ['Ensure this value is less than or equal to 1000.'] }],
      [`${PRODUCTS}?limit=abc`, { limit: ['A valid integer is required.'] }],
      [`${PRODUCTS}?offset=-1`, { offset: ['Ensure this value is greater than or equal to 0.'] }],
      [`${PRODUCTS}?offset=1.5`, { offset: ['A valid integer is required.'] }],
      [`${PRODUCTS}?limit=1e2`, { limit: ['A valid integer is required.'] }],
      [`${PRODUCTS}?sku__exact=${'s'.repeat(256)}`, { sku__exact: ['Ensure this field has no more than 255 characters.'] }],
      [`${PRODUCTS}?ordering=x&limit=0`, { ordering: ['"x" is not a valid choice.'], limit: ['Ensure this value is greater than or equal to 1.'] }],
      [`${BRANDS}?limit=abc`, { limit: ['A valid integer is required.'] }],
      [`${BRANDS}?offset=-1`, { offset: ['Ensure this value is greater than or equal to 0.'] }],
      [`${EQUIPMENT}?is_archived=2`, { is_archived: ['"2" is not a valid choice.'] }],
      [`${EQUIPMENT}?limit=-1`, { limit: ['Ensure this value is greater than or equal to 1.'] }],
      [`${SUBSTRATES}?equipment=abc`, { equipment: ['A valid integer is required.'] }],
      [`${SUBSTRATES}?equipment=0`, { equipment: ['Ensure this value is greater than or equal to 1.'] }],
      [`${SUBSTRATES}?equipment=1.5`, { equipment: ['A valid integer is required.'] }],
      [`${SUBSTRATES}?equipment=1e0`, { equipment: ['A valid integer is required.'] }],
      [`${SUBSTRATES}?is_archived=maybe`, { is_archived: ['"maybe" is not a valid choice.'] }],
      [`${PARTNERS}?offset=abc`, { offset: ['A valid integer is required.'] }],
      [`${PARTNERS}?limit=0`, { limit: ['Ensure this value is greater than or equal to 1.'] }],
    ];
    for (const [url, expected] of cases) {
      it(`${url.slice(0, 50)} → 400 naming the parameter, nothing changed`, async () => {
        const token = url.startsWith(EQUIPMENT) || url.startsWith(SUBSTRATES) ? pp : bo;
        const before = await snapshot(t);
        const reply = await t.call('GET', url, token);
        expect(reply.status).toBe(400);
        expectDrfBody(reply.body);
        expect(reply.body).toEqual(expected);
        expect(await snapshot(t)).toEqual(before);
      });
    }

    it('the routes are in the OpenAPI document, tagged and described', async () => {
      const doc = (await send(t, { method: 'GET', url: '/api/v2/schema/' })).body;
      for (const [url] of routes) {
        const operation = doc.paths[url]?.get;
        expect(operation, url).toBeDefined();
        expect(operation.tags.length, url).toBeGreaterThan(0);
        expect(operation.summary, url).toMatch(/needs /);
        expect(Object.keys(operation.responses), url).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
      }
      const list = doc.paths[PRODUCTS].get;
      expect(list.description).toMatch(/active_code_count/);
      const parameters = list.parameters.map((p: { name: string }) => p.name);
      expect(parameters).toEqual(expect.arrayContaining(['limit', 'offset', 'is_archived', 'sku__exact', 'ordering']));
      const item = listItemSchema(doc, list);
      expect(Object.keys(item.properties)).toEqual(expect.arrayContaining(['code_count', 'max_scan_count', 'brand', 'sku']));
      expect(doc.paths[SUBSTRATES].get.parameters.map((p: { name: string }) => p.name)).toContain('equipment');
    });
  });
});
