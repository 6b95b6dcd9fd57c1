import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, WO } from '../helpers/api-fixtures.js';
import { createOtherTenants, createTestApp, PUBLIC_URL, type TestApp } from '../helpers/test-app.js';

const TEMPLATES = `${WO}/templates/`;

describe('GET /api/v2/workorders/templates/', () => {
  let t: TestApp;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  let withSubstrate: { id: number };
  let noPartner: { id: number };
  let otherTemplate: { id: number };

  const names = async (token: string, query = '') => {
    const reply = await t.call('GET', `${TEMPLATES}${query}`, token);
    expect(reply.status).toBe(200);
    return (reply.body.results as Array<{ name: string }>).map((r) => r.name);
  };

  beforeAll(async () => {
    t = await createTestApp();
    other = await createOtherTenants(t);
    const admin = t.container.admin;
    const brand = t.seed.brand_owner.company_id;
    withSubstrate = await admin.createTemplate({
      company: brand, name: 'T2', code_layout: 'sg-inside', printing_partner: t.seed.printing_partner.company_id,
      substrate: t.seed.substrate_id, partner_permissions: ['activate_codes'], activate_on_complete: true, url_prefix: 'https://qr.example/q/',
    });
    noPartner = await admin.createTemplate({ company: brand, name: 'T3' });
    const archived = await admin.createTemplate({ company: brand, name: 'Archived' });
    await t.container.db.updateTable('templates').set({ is_archived: 1 }).where('id', '=', archived.id).execute();
    otherTemplate = await admin.createTemplate({ company: other.brand.id, name: 'OT', code_layout: 'sg-outside', printing_partner: other.partner.id });
  });
  afterAll(async () => t.close());

  it('lists the brand owner\'s templates with every attribute of the reference example', async () => {
    const reply = await t.call('GET', TEMPLATES, t.seed.brand_owner.token);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ count: 3, next: null, previous: null });
    const [t3, t2, demo] = reply.body.results;
    expect(demo).toEqual({
      id: t.seed.template_id,
      name: 'SG_Template_1',
      description: 'Demo secure-graphic template (SG beside the QR)',
      company: t.seed.brand_owner.company_id,
      custom_layout: null,
      substrate: null,
      substrate_name: '',
      printing_partner: t.seed.printing_partner.company_id,
      image: null,
      code_layout: 'sg-outside',
      use_serial_number: true,
      is_hybrid: false,
      is_fp_serialized: null,
      is_static_print: false,
      is_archived: false,
      activate_on_complete: null,
      url_prefix: '',
      extended_id_style: 'legacy',
      partner_permissions: [],
      size_mm: 10,
      graphic_cells: 32,
      image_format: 'png',
    });
    expect(t2).toMatchObject({
      id: withSubstrate.id, name: 'T2', substrate: t.seed.substrate_id, substrate_name: 'Plain Paper',
      partner_permissions: ['activate_codes'], activate_on_complete: true, url_prefix: 'https://qr.example/q/', code_layout: 'sg-inside',
    });
    expect(t3).toMatchObject({ id: noPartner.id, name: 'T3', code_layout: null, printing_partner: null, use_serial_number: null, partner_permissions: [] });
  });

  it('paginates with absolute next/previous links, newest first', async () => {
    const first = await t.call('GET', `${TEMPLATES}?limit=1`, t.seed.brand_owner.token);
    expect(first.body).toMatchObject({ count: 3, previous: null, next: `${PUBLIC_URL}${TEMPLATES}?limit=1&offset=1` });
    expect(first.body.results.map((r: any) => r.name)).toEqual(['T3']);
    const second = await t.call('GET', `${TEMPLATES}?limit=1&offset=1`, t.seed.brand_owner.token);
    expect(second.body).toMatchObject({ previous: `${PUBLIC_URL}${TEMPLATES}?limit=1`, next: `${PUBLIC_URL}${TEMPLATES}?limit=1&offset=2` });
    expect(second.body.results.map((r: any) => r.name)).toEqual(['T2']);
    const last = await t.call('GET', `${TEMPLATES}?limit=1&offset=2`, t.seed.brand_owner.token);
    expect(last.body).toMatchObject({ next: null, previous: `${PUBLIC_URL}${TEMPLATES}?limit=1&offset=1` });
    expect(last.body.results.map((r: any) => r.name)).toEqual(['SG_Template_1']);
    const beyond = await t.call('GET', `${TEMPLATES}?offset=10`, t.seed.brand_owner.token);
    expect(beyond.body).toMatchObject({ count: 3, results: [], next: null });
  });

  it('is scoped by company type: partners see the templates naming them, platform staff all', async () => {
    expect(await names(t.seed.printing_partner.token)).toEqual(['T2', 'SG_Template_1']);
    expect(await names(other.partnerToken)).toEqual(['OT']);
    expect(await names(other.brandToken)).toEqual(['OT']);
    expect(await names(t.seed.platform.token)).toEqual(['OT', 'T3', 'T2', 'SG_Template_1']);
  });

  it('hides archived templates', async () => {
    expect(await names(t.seed.brand_owner.token)).not.toContain('Archived');
    expect(await names(t.seed.platform.token)).not.toContain('Archived');
  });

  it('validates the paging parameters', async () => {
    const zero = await t.call('GET', `${TEMPLATES}?limit=0`, t.seed.brand_owner.token);
    expect(zero.status).toBe(400);
    expect(zero.body).toEqual({ limit: ['Ensure this value is greater than or equal to 1.'] });
    const negative = await t.call('GET', `${TEMPLATES}?offset=-1`, t.seed.brand_owner.token);
    expect(negative.status).toBe(400);
    expect(negative.body).toEqual({ offset: ['Ensure this value is greater than or equal to 0.'] });
  });

  it('a template of another company cannot be used to create an order', async () => {
    const reply = await t.call('POST', `${WO}/create-sg/`, t.seed.brand_owner.token, {
      template: otherTemplate.id, reference: 'OTHER-TPL', quantity: 1, code_layout: 'sg-outside', printing_partner: t.seed.printing_partner.company_id,
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ template: [`Invalid pk "${otherTemplate.id}" - object does not exist.`] });
  });
});

describe('OpenAPI document and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('serves an OpenAPI 3 document with every work-order path, without credentials', async () => {
    const reply = await send(t, { method: 'GET', url: '/api/v2/schema/' });
    expect(reply.status).toBe(200);
    const doc = reply.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Sigil API');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['ConsumerKey', 'JWT', 'UAT']);
    const expected: Record<string, string[]> = {
      '/api/v2/auth/login/': ['post'],
      '/api/v2/me/': ['get'],
      '/api/v2/workorders/': ['get'],
      '/api/v2/workorders/templates/': ['get'],
      '/api/v2/workorders/create-sg/': ['post'],
      '/api/v2/workorders/create-sid/': ['post'],
      '/api/v2/workorders/{id}/': ['delete', 'get', 'patch'],
      '/api/v2/workorders/{id}/printer-confirm/': ['patch'],
      '/api/v2/workorders/{id}/cancel/': ['post'],
      '/api/v2/workorders/{id}/archive/': ['post'],
      '/api/v2/workorders/{id}/unarchive/': ['post'],
      '/api/v2/workorders/{id}/printed/': ['post'],
      '/api/v2/workorders/{id}/complete/': ['post'],
      '/api/v2/workorders/{id}/download/': ['get'],
      '/api/v2/workorders/{id}/serial-numbers/': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(doc.paths[path], path).toBeDefined();
      for (const method of methods) expect(doc.paths[path][method], `${method} ${path}`).toBeDefined();
    }
    const createSg = doc.paths['/api/v2/workorders/create-sg/'].post;
    const body = createSg.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['quantity', 'reference']));
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['template', 'code_layout', 'printing_partner', 'substrate', 'product']));
    expect(Object.keys(createSg.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']));
    // Internal routes stay out of the document.
    expect(doc.paths['/api/v2/schema/']).toBeUndefined();
    expect(doc.paths['/healthz']).toBeUndefined();
  });

  it('serves the docs UI as HTML without credentials', async () => {
    for (const url of ['/api/v2/docs/', '/api/v2/docs']) {
      const reply = await send(t, { method: 'GET', url });
      expect(reply.status, url).toBe(200);
      expect(String(reply.headers['content-type'])).toMatch(/^text\/html/);
      expect(String(reply.body)).toMatch(/<html/i);
    }
  });
});
