import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSg, snapshot, WO } from '../helpers/api-fixtures.js';
import { createOtherTenants, createTestApp, type TestApp } from '../helpers/test-app.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const NOT_FOUND = { detail: 'Not found.' };

/** Another company's order is 404 everywhere (never 403: its existence is not revealed). */
describe('tenancy', () => {
  let t: TestApp;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  /** Demo brand → demo partner. */
  let mine: any;
  /** Other brand → other partner. */
  let theirs: any;
  /** Other brand → demo partner. */
  let sharedPartner: any;

  /** Every endpoint that addresses one order, with a body that would be valid for it. */
  const endpoints = (id: number): Array<{ method: Method; url: string; body?: unknown }> => [
    { method: 'GET', url: `${WO}/${id}/` },
    { method: 'PATCH', url: `${WO}/${id}/`, body: { remarks: 'hijacked' } },
    { method: 'DELETE', url: `${WO}/${id}/` },
    { method: 'PATCH', url: `${WO}/${id}/printer-confirm/`, body: { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id } },
    { method: 'POST', url: `${WO}/${id}/cancel/` },
    { method: 'POST', url: `${WO}/${id}/archive/` },
    { method: 'POST', url: `${WO}/${id}/unarchive/` },
    { method: 'POST', url: `${WO}/${id}/printed/` },
    { method: 'POST', url: `${WO}/${id}/complete/` },
    { method: 'GET', url: `${WO}/${id}/download/` },
    { method: 'GET', url: `${WO}/${id}/serial-numbers/` },
  ];

  async function expectAllNotFound(token: string, id: number) {
    const before = await snapshot(t);
    for (const e of endpoints(id)) {
      const reply = await t.call(e.method, e.url, token, e.body);
      expect(reply.status, `${e.method} ${e.url}`).toBe(404);
      expect(reply.body).toEqual(NOT_FOUND);
    }
    expect(await snapshot(t)).toEqual(before);
  }

  const listIds = async (token: string, query = '') => {
    const reply = await t.call('GET', `${WO}/${query}`, token);
    expect(reply.status).toBe(200);
    return (reply.body.results as Array<{ id: number }>).map((r) => r.id);
  };

  beforeAll(async () => {
    t = await createTestApp();
    other = await createOtherTenants(t);
    mine = await createSg(t, { reference: 'TEN-1' });
    const theirsPayload = {
      template: null, product: null, substrate: other.substrate.id, printing_partner: other.partner.id, code_layout: 'sg-inside', reference: 'TEN-1',
    };
    theirs = await createSg(t, theirsPayload, other.brandToken);
    sharedPartner = await createSg(t, { ...theirsPayload, printing_partner: t.seed.printing_partner.company_id, substrate: t.seed.substrate_id, reference: 'TEN-2' }, other.brandToken);
  });
  afterAll(async () => t.close());

  it('a brand owner lists only its own orders', async () => {
    expect(await listIds(t.seed.brand_owner.token)).toEqual([mine.id]);
    expect(await listIds(other.brandToken)).toEqual([sharedPartner.id, theirs.id]);
    expect(await listIds(t.seed.brand_owner.token, `?printing_partner=${other.partner.id}`)).toEqual([]);
    expect(await listIds(t.seed.brand_owner.token, '?search=TEN')).toEqual([mine.id]);
  });

  it('a printing partner lists only the orders assigned to it, whoever owns them', async () => {
    expect(await listIds(t.seed.printing_partner.token)).toEqual([sharedPartner.id, mine.id]);
    expect(await listIds(other.partnerToken)).toEqual([theirs.id]);
    const detail = await t.call('GET', `${WO}/${sharedPartner.id}/`, t.seed.printing_partner.token);
    expect(detail.status).toBe(200);
    expect(detail.body.company.id).toBe(other.brand.id);
  });

  it('platform staff see every order', async () => {
    expect(await listIds(t.seed.platform.token)).toEqual([sharedPartner.id, theirs.id, mine.id]);
    expect((await t.call('GET', `${WO}/${theirs.id}/`, t.seed.platform.token)).status).toBe(200);
    expect((await t.call('GET', `${WO}/?printing_partner=${other.partner.id}`, t.seed.platform.token)).body.count).toBe(1);
  });

  it('another brand owner\'s order is 404 on every endpoint, like an order that does not exist', async () => {
    await expectAllNotFound(t.seed.brand_owner.token, theirs.id);
    await expectAllNotFound(t.seed.brand_owner.token, sharedPartner.id);
    await expectAllNotFound(other.brandToken, mine.id);
    await expectAllNotFound(t.seed.brand_owner.token, 987_654);
  });

  it('a partner that is not assigned gets 404 on every endpoint', async () => {
    await expectAllNotFound(other.partnerToken, mine.id);
    await expectAllNotFound(other.partnerToken, sharedPartner.id);
    await expectAllNotFound(t.seed.printing_partner.token, theirs.id);
  });

  it('only the assigned partner may confirm: the brand owner and platform get 403', async () => {
    const body = { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id };
    const before = await snapshot(t);
    for (const token of [t.seed.brand_owner.token, t.seed.platform.token]) {
      const reply = await t.call('PATCH', `${WO}/${mine.id}/printer-confirm/`, token, body);
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ detail: 'Only the printing partner assigned to this work order can confirm it.' });
    }
    // The other partner confirming with its own (calibrated) press still does not see the order.
    const foreign = await t.call('PATCH', `${WO}/${mine.id}/printer-confirm/`, other.partnerToken, { equipment: other.equipment.id, substrate: other.substrate.id });
    expect(foreign.status).toBe(404);
    expect(await snapshot(t)).toEqual(before);
  });

  it('partners and platform staff cannot create orders; partners cannot edit or delete them', async () => {
    const before = await snapshot(t);
    for (const token of [t.seed.printing_partner.token, t.seed.platform.token]) {
      const sg = await t.call('POST', `${WO}/create-sg/`, token, { reference: 'X', quantity: 1, code_layout: 'sg-inside', printing_partner: t.seed.printing_partner.company_id });
      expect(sg.status).toBe(403);
      expect(sg.body).toEqual({ detail: 'Only brand owners can create work orders.' });
      const sid = await t.call('POST', `${WO}/create-sid/`, token, { reference: 'X', quantity: 1 });
      expect(sid.status).toBe(403);
    }
    const edit = await t.call('PATCH', `${WO}/${mine.id}/`, t.seed.printing_partner.token, { remarks: 'partner note' });
    expect(edit.status).toBe(403);
    expect(edit.body).toEqual({ detail: 'Only the brand owner can edit this work order.' });
    const del = await t.call('DELETE', `${WO}/${mine.id}/`, t.seed.printing_partner.token);
    expect(del.status).toBe(403);
    expect(del.body).toEqual({ detail: 'Only the brand owner can delete this work order.' });
    expect(await snapshot(t)).toEqual(before);
  });

  it('only platform staff complete an order; only the assigned partner marks it printed', async () => {
    const before = await snapshot(t);
    for (const token of [t.seed.brand_owner.token, t.seed.printing_partner.token]) {
      const reply = await t.call('POST', `${WO}/${mine.id}/complete/`, token);
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ detail: 'Only platform staff can complete a work order.' });
    }
    for (const token of [t.seed.brand_owner.token, t.seed.platform.token]) {
      const reply = await t.call('POST', `${WO}/${mine.id}/printed/`, token);
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ detail: 'Only the printing partner assigned to this work order can mark it printed.' });
    }
    // Platform staff pass the role check; the order is not printed yet, so the transition is refused.
    const complete = await t.call('POST', `${WO}/${mine.id}/complete/`, t.seed.platform.token);
    expect(complete.status).toBe(400);
    expect(complete.body).toEqual({ non_field_errors: ['A work order in state "new" cannot be completed; it must be "printed".'] });
    expect(await snapshot(t)).toEqual(before);
  });

  it('platform staff may edit any brand owner\'s order', async () => {
    const reply = await t.call('PATCH', `${WO}/${theirs.id}/`, t.seed.platform.token, { remarks: 'fixed by staff' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ remarks: 'fixed by staff', company: { id: other.brand.id } });
  });

  it('the nested companies are the order\'s, and no company\'s secret is shown', async () => {
    const reply = await t.call('GET', `${WO}/${theirs.id}/`, other.brandToken);
    expect(reply.body.company).toMatchObject({ id: other.brand.id, company_type: 'brand_owner', encryption_key: '' });
    expect(reply.body.printing_partner).toMatchObject({ id: other.partner.id, company_type: 'printing_partner', encryption_key: '' });
  });
});
