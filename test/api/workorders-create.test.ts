import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSg, createSid, ISO_MICROS, snapshot, WO } from '../helpers/api-fixtures.js';
import { createOtherTenants, createTestApp, PUBLIC_URL, sgPayload, tokenFor, type TestApp } from '../helpers/test-app.js';

/** A valid custom layout (see src/codegen/render/custom-layout.ts). */
const CUSTOM_LAYOUT = { width_mm: 40, height_mm: 20, qr: { x_mm: 1, y_mm: 1, size_mm: 18 }, graphic: { x_mm: 24, y_mm: 5 } };

describe('POST /api/v2/workorders/create-sg/', () => {
  let t: TestApp;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  let bo: string;
  let partnerId: number;
  let templateId: number;
  let layoutId: number;
  let otherLayoutId: number;
  let ref = 0;
  const nextRef = () => `CREATE-${++ref}`;
  const post = (body: unknown, token = bo) => t.call('POST', `${WO}/create-sg/`, token, body);

  beforeAll(async () => {
    t = await createTestApp();
    bo = t.seed.brand_owner.token;
    partnerId = t.seed.printing_partner.company_id;
    templateId = t.seed.template_id;
    other = await createOtherTenants(t);
    layoutId = (await t.container.admin.createCustomLayout({ company: t.seed.brand_owner.company_id, name: 'Wide', definition: CUSTOM_LAYOUT })).id;
    otherLayoutId = (await t.container.admin.createCustomLayout({ company: other.brand.id, name: 'Theirs', definition: CUSTOM_LAYOUT })).id;
    await t.container.admin.createProduct({ company: other.brand.id, sku: 'OTHER-SKU', name: 'Other product' });
  });
  afterAll(async () => t.close());

  it('answers 201 with every field of the reference example for the seed payload', async () => {
    const started = Date.now();
    const reply = await post(sgPayload(t, { reference: 'SEED-1' }));
    expect(reply.status).toBe(201);
    const wo = reply.body;
    const referenceFields = [
      'id', 'company', 'printing_partner', 'equipment', 'state', 'due_date', 'reference', 'creation_date', 'code_layout',
      'use_serial_number', 'static_unique_codes_quantity', 'quantity', 'is_ready_to_print', 'date_codes_completed', 'is_archived',
      'codegen_status', 'codegen_file', 'data', 'product', 'brand', 'remarks', 'printed_date', 'has_secure_workflow',
      'static_impositions', 'designer', 'external_id', 'is_fingerprint_trained', 'substrate', 'template', 'template_image',
      'is_hybrid', 'is_static_print', 'is_fp_serialized', 'url_prefix', 'extended_id_style', 'partner_permissions',
    ];
    for (const field of referenceFields) expect(wo, field).toHaveProperty(field);
    expect(wo).toMatchObject({
      id: expect.any(Number),
      type: 'SSC',
      company: { id: t.seed.brand_owner.company_id, name: 'Demo Brand', company_type: 'brand_owner' },
      printing_partner: { id: partnerId, name: 'Demo Print', company_type: 'printing_partner' },
      equipment: null,
      state: 'new',
      due_date: null,
      reference: 'SEED-1',
      code_layout: 'sg-outside',
      use_serial_number: true,
      static_unique_codes_quantity: 0,
      quantity: 10,
      is_ready_to_print: false,
      date_codes_completed: null,
      is_archived: false,
      codegen_status: 1,
      codegen_file: null,
      codegen_progress: { codes_generated: 0, images_rendered: 0, percent: 0 },
      product: { sku: 'P2', name: 'Demo Product', brand: { name: 'Demo Brand' } },
      brand: { name: 'Demo Brand' },
      remarks: 'remarks 1',
      printed_date: null,
      has_secure_workflow: false,
      static_impositions: 0,
      designer: null,
      external_id: '',
      is_fingerprint_trained: false,
      substrate: { id: t.seed.substrate_id, name: 'Plain Paper', description: '' },
      template: templateId,
      template_image: null,
      is_hybrid: false,
      is_static_print: false,
      is_fp_serialized: false,
      url_prefix: `${PUBLIC_URL}/q/`,
      extended_id_style: 'legacy',
      partner_permissions: [],
    });
    expect(wo.data).toEqual({ remarks: 'remarks 1', static_unique_codes_quantity: 0, activate_on_complete: true });
    expect(wo.product.id).toEqual(expect.any(Number));
    expect(wo.brand.id).toBe(wo.product.brand.id);
    expect(wo.creation_date).toMatch(ISO_MICROS);
    expect(Date.parse(wo.creation_date)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(wo.creation_date)).toBeLessThanOrEqual(Date.now() + 1000);

    const detail = await t.call('GET', `${WO}/${wo.id}/`, bo);
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual(wo);
    // No generation job until the partner confirms.
    expect(await t.container.queue.listJobs()).toEqual([]);
  });

  it('accepts numbers and booleans sent as strings', async () => {
    const reply = await post(sgPayload(t, {
      reference: nextRef(), quantity: '25', template: String(templateId), substrate: String(t.seed.substrate_id),
      printing_partner: String(partnerId), is_fp_serialized: 'true', activate_on_complete: 'false', static_unique_codes_quantity: '3',
    }));
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      quantity: 25, template: templateId, substrate: { id: t.seed.substrate_id }, printing_partner: { id: partnerId },
      is_fp_serialized: true, static_unique_codes_quantity: 3, data: { activate_on_complete: false, static_unique_codes_quantity: 3 },
    });
  });

  it('applies the template presets to omitted attributes, and the defaults to the rest', async () => {
    const reply = await post({ template: templateId, quantity: 1, reference: nextRef() });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      template: templateId, code_layout: 'sg-outside', printing_partner: { id: partnerId }, use_serial_number: true, is_hybrid: false,
      is_static_print: false, extended_id_style: 'legacy', is_fp_serialized: true, substrate: null, product: null, brand: null,
      remarks: '', data: { remarks: '', activate_on_complete: false, static_unique_codes_quantity: 0 }, url_prefix: `${PUBLIC_URL}/q/`,
      partner_permissions: [], custom_layout: null,
    });
    // Sending the preset value itself is fine.
    const same = await post({ template: templateId, quantity: 1, reference: nextRef(), code_layout: 'sg-outside', is_hybrid: false, printing_partner: partnerId });
    expect(same.status).toBe(201);
  });

  it('without a template, takes the request values and defaults', async () => {
    const reply = await post({
      quantity: 3, reference: nextRef(), code_layout: 'sg-inside', printing_partner: partnerId, extended_id_style: 'compact-12',
      use_serial_number: false, is_hybrid: true, url_prefix: 'https://qr.example/q/', due_date: '2030-01-31', partner_permissions: ['activate_codes'],
      data: { remarks: 'in data', activate_on_complete: true, static_unique_codes_quantity: 2 },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      template: null, code_layout: 'sg-inside', extended_id_style: 'compact-12', use_serial_number: false, is_hybrid: true,
      url_prefix: 'https://qr.example/q/', due_date: '2030-01-31', partner_permissions: ['activate_codes'], remarks: 'in data',
      data: { remarks: 'in data', activate_on_complete: true, static_unique_codes_quantity: 2 }, static_unique_codes_quantity: 2,
    });
  });

  it('accepts a custom layout of the brand owner for code_layout "custom"', async () => {
    const reply = await post({ quantity: 1, reference: nextRef(), code_layout: 'custom', custom_layout: layoutId, printing_partner: partnerId });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ code_layout: 'custom', custom_layout: layoutId });
  });

  it('copies has_secure_workflow from the brand owner\'s company', async () => {
    const company = await t.container.admin.createCompany({ name: 'Secure Brand', type: 'brand_owner', hasSecureWorkflow: true });
    const token = (await tokenFor(t, company.id)).key;
    const reply = await post({ quantity: 1, reference: 'SW-1', code_layout: 'sg-inside', printing_partner: partnerId }, token);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ has_secure_workflow: true, company: { id: company.id, has_secure_workflow: true } });
  });

  describe('validation', () => {
    const preset = (value: string) => `This field is set by template ${templateId} to ${value}; omit it or send that value.`;
    const cases: Array<[string, () => Record<string, unknown>, () => Record<string, unknown>]> = [
      ['quantity missing', () => ({ quantity: undefined }), () => ({ quantity: ['This field is required.'] })],
      ['quantity 0', () => ({ quantity: 0 }), () => ({ quantity: ['Ensure this value is greater than or equal to 1.'] })],
      ['quantity negative', () => ({ quantity: -5 }), () => ({ quantity: ['Ensure this value is greater than or equal to 1.'] })],
      ['quantity too large', () => ({ quantity: 10_000_001 }), () => ({ quantity: ['Ensure this value is less than or equal to 10000000.'] })],
      ['quantity not a number', () => ({ quantity: 'abc' }), () => ({ quantity: ['A valid integer is required.'] })],
      ['quantity fractional', () => ({ quantity: 1.5 }), () => ({ quantity: ['A valid integer is required.'] })],
      ['quantity fractional string', () => ({ quantity: '2.5' }), () => ({ quantity: ['A valid integer is required.'] })],
      ['quantity an object', () => ({ quantity: { n: 1 } }), () => ({ quantity: ['A valid integer is required.'] })],
      ['reference missing', () => ({ reference: undefined }), () => ({ reference: ['This field is required.'] })],
      ['reference blank', () => ({ reference: '' }), () => ({ reference: ['This field may not be blank.'] })],
      ['reference whitespace', () => ({ reference: '   ' }), () => ({ reference: ['This field may not be blank.'] })],
      ['reference too long', () => ({ reference: 'r'.repeat(256) }), () => ({ reference: ['Ensure this field has no more than 255 characters.'] })],
      ['code_layout missing without template', () => ({ template: null, code_layout: undefined }), () => ({ code_layout: ['This field is required.'] })],
      ['code_layout null without template', () => ({ template: null, code_layout: null }), () => ({ code_layout: ['This field is required.'] })],
      ['code_layout not a choice', () => ({ template: null, code_layout: 'sg-middle' }), () => ({ code_layout: ['"sg-middle" is not a valid choice.'] })],
      ['extended_id_style not a choice', () => ({ extended_id_style: 'short' }), () => ({ extended_id_style: ['"short" is not a valid choice.'] })],
      ['custom layout missing', () => ({ template: null, code_layout: 'custom' }), () => ({ custom_layout: ['This field is required when code_layout is "custom".'] })],
      ['custom layout for another layout', () => ({ template: null, code_layout: 'sg-inside', custom_layout: layoutId }), () => ({ custom_layout: ['Only allowed when code_layout is "custom".'] })],
      ['custom layout of another company', () => ({ template: null, code_layout: 'custom', custom_layout: otherLayoutId }), () => ({ custom_layout: [`Invalid pk "${otherLayoutId}" - object does not exist.`] })],
      ['custom layout unknown', () => ({ template: null, code_layout: 'custom', custom_layout: 999_999 }), () => ({ custom_layout: ['Invalid pk "999999" - object does not exist.'] })],
      ['printing partner missing', () => ({ template: null, printing_partner: undefined, substrate: null }), () => ({ printing_partner: ['This field is required.'] })],
      ['printing partner unknown', () => ({ template: null, printing_partner: 999_999, substrate: null }), () => ({ printing_partner: ['Invalid pk "999999" - object does not exist.'] })],
      ['printing partner is a brand owner', () => ({ template: null, printing_partner: t.seed.brand_owner.company_id, substrate: null }), () => ({ printing_partner: [`Company ${t.seed.brand_owner.company_id} is not a printing partner.`] })],
      ['printing partner is the platform', () => ({ template: null, printing_partner: t.seed.platform.company_id, substrate: null }), () => ({ printing_partner: [`Company ${t.seed.platform.company_id} is not a printing partner.`] })],
      ['substrate of another partner', () => ({ substrate: other.substrate.id }), () => ({ substrate: [`Substrate ${other.substrate.id} does not belong to printing partner ${partnerId}.`] })],
      ['substrate unknown', () => ({ substrate: 999_999 }), () => ({ substrate: ['Invalid pk "999999" - object does not exist.'] })],
      ['product unknown', () => ({ product: 'NOPE' }), () => ({ product: ['Product with SKU "NOPE" does not exist.'] })],
      ['product of another company', () => ({ product: 'OTHER-SKU' }), () => ({ product: ['Product with SKU "OTHER-SKU" does not exist.'] })],
      ['template unknown', () => ({ template: 999_999 }), () => ({ template: ['Invalid pk "999999" - object does not exist.'] })],
      ['template 0', () => ({ template: 0 }), () => ({ template: ['Ensure this value is greater than or equal to 1.'] })],
      ['template not a number', () => ({ template: 'SG_Template_1' }), () => ({ template: ['A valid integer is required.'] })],
      ['partner permission unknown', () => ({ partner_permissions: ['fly'] }), () => ({ partner_permissions: { 0: ['"fly" is not a valid choice.'] } })],
      ['partner permissions not a list', () => ({ partner_permissions: 'activate_codes' }), () => ({ partner_permissions: ['Expected a list of items.'] })],
      ['due date unparsable', () => ({ due_date: 'soon' }), () => ({ due_date: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'] })],
      ['remarks too long', () => ({ remarks: 'x'.repeat(10_001) }), () => ({ remarks: ['Ensure this field has no more than 10000 characters.'] })],
      ['url prefix not http(s)', () => ({ url_prefix: 'ftp://qr.example/' }), () => ({ url_prefix: ['Enter a valid URL prefix such as "https://example.com/q/".'] })],
      ['static unique quantity negative', () => ({ static_unique_codes_quantity: -1 }), () => ({ static_unique_codes_quantity: ['Ensure this value is greater than or equal to 0.'] })],
      ['boolean not a boolean', () => ({ is_hybrid: 'maybe' }), () => ({ is_hybrid: ['Must be a valid boolean.'] })],
      ['data not an object', () => ({ data: 'remarks' }), () => ({ data: ['Invalid data. Expected a dictionary.'] })],
      ['template presets code_layout', () => ({ code_layout: 'sg-inside' }), () => ({ code_layout: [preset('"sg-outside"')] })],
      ['template presets use_serial_number', () => ({ use_serial_number: false }), () => ({ use_serial_number: [preset('true')] })],
      ['template presets is_hybrid', () => ({ is_hybrid: true }), () => ({ is_hybrid: [preset('false')] })],
      ['template presets is_static_print', () => ({ is_static_print: true }), () => ({ is_static_print: [preset('false')] })],
      ['template presets extended_id_style', () => ({ extended_id_style: 'compact-12' }), () => ({ extended_id_style: [preset('"legacy"')] })],
      ['template presets printing_partner', () => ({ printing_partner: other.partner.id, substrate: null }), () => ({ printing_partner: [preset(String(partnerId))] })],
      [
        'several schema errors at once',
        () => ({ quantity: 0, reference: '', code_layout: 'x', extended_id_style: 'y' }),
        () => ({
          quantity: ['Ensure this value is greater than or equal to 1.'], reference: ['This field may not be blank.'],
          code_layout: ['"x" is not a valid choice.'], extended_id_style: ['"y" is not a valid choice.'],
        }),
      ],
      [
        'several rule errors at once',
        () => ({ code_layout: 'sg-inside', is_hybrid: true, product: 'NOPE', substrate: 999_999, reference: 'DUP-ALL' }),
        () => ({
          code_layout: [preset('"sg-outside"')], is_hybrid: [preset('false')],
          product: ['Product with SKU "NOPE" does not exist.'], substrate: ['Invalid pk "999999" - object does not exist.'],
          reference: ['A work order with this reference already exists.'],
        }),
      ],
    ];

    beforeAll(async () => {
      await createSg(t, { reference: 'DUP-ALL' });
    });

    for (const [name, overrides, expected] of cases) {
      it(`${name} → 400 naming the field, nothing created`, async () => {
        const before = await snapshot(t);
        const reply = await post(sgPayload(t, { reference: nextRef(), ...overrides() }));
        expect(reply.status, JSON.stringify(reply.body)).toBe(400);
        expect(reply.body).toEqual(expected());
        expect(await snapshot(t)).toEqual(before);
      });
    }
  });

  describe('reference', () => {
    it('is unique per company (trimmed), but another company may use the same one', async () => {
      const first = await post(sgPayload(t, { reference: 'DUP-1' }));
      expect(first.status).toBe(201);
      const before = await snapshot(t);
      for (const reference of ['DUP-1', '  DUP-1  ']) {
        const again = await post(sgPayload(t, { reference }));
        expect(again.status).toBe(400);
        expect(again.body).toEqual({ reference: ['A work order with this reference already exists.'] });
      }
      const sid = await t.call('POST', `${WO}/create-sid/`, bo, { reference: 'DUP-1', quantity: 1 });
      expect(sid.status).toBe(400);
      expect(sid.body).toEqual({ reference: ['A work order with this reference already exists.'] });
      expect(await snapshot(t)).toEqual(before);

      const elsewhere = await post({ reference: 'DUP-1', quantity: 1, code_layout: 'sg-inside', printing_partner: other.partner.id }, other.brandToken);
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.body.reference).toBe('DUP-1');
    });

    it('two creations racing for one reference: exactly one is created', async () => {
      const replies = await Promise.all([1, 2, 3].map(() => post(sgPayload(t, { reference: 'RACE-1' }))));
      expect(replies.map((r) => r.status).sort()).toEqual([201, 400, 400]);
      for (const reply of replies.filter((r) => r.status === 400)) {
        expect(reply.body).toEqual({ reference: ['A work order with this reference already exists.'] });
      }
      const rows = await t.container.db.selectFrom('workorders').select('id').where('reference', '=', 'RACE-1').execute();
      expect(rows).toHaveLength(1);
    });

    it('is stored trimmed', async () => {
      const reply = await post(sgPayload(t, { reference: '  TRIMMED  ' }));
      expect(reply.status).toBe(201);
      expect(reply.body.reference).toBe('TRIMMED');
    });
  });
});

describe('POST /api/v2/workorders/create-sid/', () => {
  let t: TestApp;
  let bo: string;
  const post = (body: unknown, token = bo) => t.call('POST', `${WO}/create-sid/`, token, body);

  beforeAll(async () => {
    t = await createTestApp();
    bo = t.seed.brand_owner.token;
  });
  afterAll(async () => t.close());

  it('answers 201 with codegen_status 6 and enqueues generation in the same step', async () => {
    const reply = await post({ reference: 'SID-1', quantity: '7', activate_on_complete: true, use_serial_number: false, extended_id_style: 'compact-12' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      type: 'SID', state: 'new', codegen_status: 6, codegen_file: null, quantity: 7, reference: 'SID-1',
      printing_partner: null, equipment: null, substrate: null, code_layout: null, custom_layout: null, template: null,
      has_secure_workflow: false, use_serial_number: false, extended_id_style: 'compact-12',
      data: { activate_on_complete: true }, company: { id: t.seed.brand_owner.company_id },
    });
    expect(reply.body.creation_date).toMatch(ISO_MICROS);
    const jobs = await t.container.queue.listJobs();
    expect(jobs).toEqual([{
      name: 'generate-workorder', key: `generate-workorder:${reply.body.id}`, payload: { workorderId: reply.body.id },
      state: 'queued', attempts: 0, lastError: null,
    }]);
  });

  it('ignores the secure-graphic attributes, which SID orders do not have', async () => {
    const reply = await post({ reference: 'SID-2', quantity: 1, code_layout: 'sg-inside', printing_partner: t.seed.printing_partner.company_id, substrate: t.seed.substrate_id });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ code_layout: null, printing_partner: null, substrate: null });
  });

  it('accepts a template without secure-graphic presets and refuses an SG template', async () => {
    const plain = await t.container.admin.createTemplate({ company: t.seed.brand_owner.company_id, name: 'Plain', use_serial_number: false });
    const ok = await post({ reference: 'SID-3', quantity: 1, template: plain.id });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ template: plain.id, use_serial_number: false });

    const before = await snapshot(t);
    const refused = await post({ reference: 'SID-4', quantity: 1, template: t.seed.template_id });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ template: [`Template ${t.seed.template_id} is a secure-graphic template; use create-sg/ with it.`] });
    expect(await snapshot(t)).toEqual(before);
  });

  it('validates quantity and reference like create-sg, creating nothing', async () => {
    await createSid(t, { reference: 'SID-DUP' });
    const before = await snapshot(t);
    const cases: Array<[unknown, unknown]> = [
      [{}, { quantity: ['This field is required.'], reference: ['This field is required.'] }],
      [{ reference: 'X', quantity: 0 }, { quantity: ['Ensure this value is greater than or equal to 1.'] }],
      [{ reference: 'X', quantity: 10_000_001 }, { quantity: ['Ensure this value is less than or equal to 10000000.'] }],
      [{ reference: 'X', quantity: 'ten' }, { quantity: ['A valid integer is required.'] }],
      [{ reference: '', quantity: 1 }, { reference: ['This field may not be blank.'] }],
      [{ reference: 'SID-DUP', quantity: 1 }, { reference: ['A work order with this reference already exists.'] }],
      [{ reference: 'X', quantity: 1, product: 'NOPE' }, { product: ['Product with SKU "NOPE" does not exist.'] }],
      [{ reference: 'X', quantity: 1, extended_id_style: 'long' }, { extended_id_style: ['"long" is not a valid choice.'] }],
    ];
    for (const [body, expected] of cases) {
      const reply = await post(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body).toEqual(expected);
    }
    expect(await snapshot(t)).toEqual(before);
  });

  it('never sets a secure workflow on SID orders', async () => {
    const company = await t.container.admin.createCompany({ name: 'Secure SID Brand', type: 'brand_owner', hasSecureWorkflow: true });
    const reply = await post({ reference: 'SID-SW', quantity: 1 }, (await tokenFor(t, company.id)).key);
    expect(reply.status).toBe(201);
    expect(reply.body.has_secure_workflow).toBe(false);
  });
});
