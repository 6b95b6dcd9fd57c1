import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, createSg, createSid, snapshot, WO } from '../helpers/api-fixtures.js';
import { createOtherTenants, createTestApp, type TestApp } from '../helpers/test-app.js';

const NOT_EDITABLE = { non_field_errors: ['Only new work orders that are not confirmed yet can be edited.'] };
const NOT_DELETABLE = { non_field_errors: ['Only new work orders that are not confirmed yet can be deleted.'] };

describe('GET/PATCH/DELETE /api/v2/workorders/{id}/', () => {
  let t: TestApp;
  let bo: string;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  const patch = (id: number, body: unknown) => t.call('PATCH', `${WO}/${id}/`, bo, body);

  beforeAll(async () => {
    t = await createTestApp();
    bo = t.seed.brand_owner.token;
    other = await createOtherTenants(t);
  });
  afterAll(async () => t.close());

  describe('GET', () => {
    it('returns the order, and 404 for an id that does not exist or is not an integer', async () => {
      const wo = await createSg(t, { reference: 'GET-1' });
      const reply = await t.call('GET', `${WO}/${wo.id}/`, bo);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(wo);
      expect((await t.call('GET', `${WO}/${wo.id}`, bo)).body).toEqual(wo);
      for (const id of ['999999', 'abc', '0', '-1', '1.5', '1e3', '99999999999999999999']) {
        const missing = await t.call('GET', `${WO}/${id}/`, bo);
        expect(missing.status, id).toBe(404);
        expect(missing.body).toEqual({ detail: 'Not found.' });
      }
    });
  });

  describe('PATCH', () => {
    it('edits a new, unconfirmed order and keeps what is not sent', async () => {
      const wo = await createSg(t, { reference: 'EDIT-1' });
      const reply = await patch(wo.id, { remarks: 'new remarks', quantity: '20', reference: 'EDIT-1b', due_date: '2031-05-01', activate_on_complete: false });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        id: wo.id, remarks: 'new remarks', quantity: 20, reference: 'EDIT-1b', due_date: '2031-05-01',
        data: { remarks: 'new remarks', activate_on_complete: false },
        template: wo.template, code_layout: wo.code_layout, printing_partner: { id: wo.printing_partner.id },
        substrate: wo.substrate, product: wo.product, state: 'new', codegen_status: 1, creation_date: wo.creation_date,
      });
      expect((await t.call('GET', `${WO}/${wo.id}/`, bo)).body).toEqual(reply.body);

      const unchanged = await patch(wo.id, {});
      expect(unchanged.status).toBe(200);
      expect(unchanged.body).toEqual(reply.body);
      // Its own reference is not a duplicate of itself.
      expect((await patch(wo.id, { reference: 'EDIT-1b' })).status).toBe(200);
    });

    it('can drop the template and then set what it used to impose', async () => {
      const wo = await createSg(t, { reference: 'EDIT-2' });
      const refused = await patch(wo.id, { code_layout: 'sg-inside' });
      expect(refused.status).toBe(400);
      const reply = await patch(wo.id, { template: null, code_layout: 'sg-inside', is_hybrid: true });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ template: null, code_layout: 'sg-inside', is_hybrid: true });
      const product = await patch(wo.id, { product: null });
      expect(product.body).toMatchObject({ product: null, brand: null });
    });

    it('validates like create, including template conflicts and duplicate references, changing nothing', async () => {
      const wo = await createSg(t, { reference: 'EDIT-3' });
      await createSg(t, { reference: 'TAKEN' });
      const templateId = t.seed.template_id;
      const preset = (value: string) => `This field is set by template ${templateId} to ${value}; omit it or send that value.`;
      const cases: Array<[unknown, unknown]> = [
        [{ quantity: 0 }, { quantity: ['Ensure this value is greater than or equal to 1.'] }],
        [{ quantity: 'many' }, { quantity: ['A valid integer is required.'] }],
        [{ reference: '' }, { reference: ['This field may not be blank.'] }],
        [{ reference: 'TAKEN' }, { reference: ['A work order with this reference already exists.'] }],
        [{ code_layout: 'sg-inside' }, { code_layout: [preset('"sg-outside"')] }],
        [{ extended_id_style: 'compact-12' }, { extended_id_style: [preset('"legacy"')] }],
        [{ printing_partner: other.partner.id, substrate: other.substrate.id }, { printing_partner: [preset(String(t.seed.printing_partner.company_id))] }],
        [{ product: 'NOPE' }, { product: ['Product with SKU "NOPE" does not exist.'] }],
        [{ substrate: other.substrate.id }, { substrate: [`Substrate ${other.substrate.id} does not belong to printing partner ${t.seed.printing_partner.company_id}.`] }],
        [{ custom_layout: 1 }, { custom_layout: ['Only allowed when code_layout is "custom".'] }],
        [{ template: 999_999 }, { template: ['Invalid pk "999999" - object does not exist.'] }],
        [{ code_layout: 'round' }, { code_layout: ['"round" is not a valid choice.'] }],
        [[], { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
      ];
      const before = await snapshot(t);
      for (const [body, expected] of cases) {
        const reply = await patch(wo.id, body);
        expect(reply.status, JSON.stringify(body)).toBe(400);
        expect(reply.body).toEqual(expected);
      }
      expect(await snapshot(t)).toEqual(before);
    });

    it('is refused once the order is confirmed, canceled, or a SID order', async () => {
      const confirmed = await createSg(t, { reference: 'EDIT-C' });
      await confirm(t, confirmed.id);
      const canceled = await createSg(t, { reference: 'EDIT-X' });
      expect((await t.call('POST', `${WO}/${canceled.id}/cancel/`, bo)).status).toBe(200);
      const sid = await createSid(t, { reference: 'EDIT-SID' });
      const before = await snapshot(t);
      for (const id of [confirmed.id, canceled.id, sid.id]) {
        const reply = await patch(id, { remarks: 'too late' });
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual(NOT_EDITABLE);
      }
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe('DELETE', () => {
    it('deletes a new, unconfirmed order (204), after which it is gone and its reference is free', async () => {
      const wo = await createSg(t, { reference: 'DEL-1' });
      const reply = await t.call('DELETE', `${WO}/${wo.id}/`, bo);
      expect(reply.status).toBe(204);
      expect(reply.raw.length).toBe(0);
      expect((await t.call('GET', `${WO}/${wo.id}/`, bo)).status).toBe(404);
      const again = await t.call('DELETE', `${WO}/${wo.id}/`, bo);
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ detail: 'Not found.' });
      expect(await t.container.db.selectFrom('workorders').select('id').where('id', '=', wo.id).execute()).toEqual([]);
      await createSg(t, { reference: 'DEL-1' });
    });

    it('platform staff may delete a brand owner\'s new order', async () => {
      const wo = await createSg(t, { reference: 'DEL-P' });
      expect((await t.call('DELETE', `${WO}/${wo.id}/`, t.seed.platform.token)).status).toBe(204);
    });

    it('is refused (400) once the order is confirmed, canceled or a SID order, which then stays', async () => {
      const confirmed = await createSg(t, { reference: 'DEL-C' });
      await confirm(t, confirmed.id);
      const canceled = await createSg(t, { reference: 'DEL-X' });
      await t.call('POST', `${WO}/${canceled.id}/cancel/`, bo);
      const sid = await createSid(t, { reference: 'DEL-SID' });
      const before = await snapshot(t);
      for (const id of [confirmed.id, canceled.id, sid.id]) {
        const reply = await t.call('DELETE', `${WO}/${id}/`, bo);
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual(NOT_DELETABLE);
      }
      expect(await snapshot(t)).toEqual(before);
    });
  });
});
