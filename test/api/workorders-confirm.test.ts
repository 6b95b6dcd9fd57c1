import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, createSg, createSid, snapshot, WO } from '../helpers/api-fixtures.js';
import { createOtherTenants, createTestApp, type TestApp } from '../helpers/test-app.js';

/** Printer confirmation, without a worker: the generation job stays queued, so states are stable. */
describe('PATCH /api/v2/workorders/{id}/printer-confirm/', () => {
  let t: TestApp;
  let partner: string;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  let uncalibrated: { id: number };
  let secondPress: { id: number };
  const put = (id: number, body: unknown, token = partner) => t.call('PATCH', `${WO}/${id}/printer-confirm/`, token, body);
  const jobsOf = async (id: number) => (await t.container.queue.listJobs()).filter((job) => job.key === `generate-workorder:${id}`);

  beforeAll(async () => {
    t = await createTestApp();
    partner = t.seed.printing_partner.token;
    other = await createOtherTenants(t);
    uncalibrated = await t.container.admin.createSubstrate({ company: t.seed.printing_partner.company_id, name: 'Glossy' });
    secondPress = await t.container.admin.createEquipment({ company: t.seed.printing_partner.company_id, name: 'Second press', dpi: 600 });
  });
  afterAll(async () => t.close());

  it('confirms the seed example (ids as strings): state stays "new", codegen_status 6, one job enqueued', async () => {
    const wo = await createSg(t, { reference: 'CONF-1' });
    const reply = await put(wo.id, { substrate: String(t.seed.substrate_id), equipment: String(t.seed.equipment_id), external_id: '3' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: wo.id, state: 'new', codegen_status: 6, codegen_file: null, external_id: '3', is_ready_to_print: false,
      equipment: { id: t.seed.equipment_id, name: 'Demo Indigo 7K', dpi: 812, company: t.seed.printing_partner.company_id, description: '' },
      substrate: { id: t.seed.substrate_id, name: 'Plain Paper', description: '' },
    });
    const jobs = await jobsOf(wo.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: 'generate-workorder', state: 'queued' });
    // The brand owner sees the same confirmed order.
    expect((await t.call('GET', `${WO}/${wo.id}/`, t.seed.brand_owner.token)).body).toEqual(reply.body);
  });

  it('a second confirmation is a 400 and changes nothing (no second job)', async () => {
    const wo = await createSg(t, { reference: 'CONF-2' });
    await confirm(t, wo.id, { external_id: 'first' });
    const before = await snapshot(t);
    for (const body of [
      { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id, external_id: 'second' },
      { equipment: secondPress.id },
    ]) {
      const reply = await put(wo.id, body);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ non_field_errors: ['This work order has already been confirmed.'] });
    }
    expect(await snapshot(t)).toEqual(before);
    expect(await jobsOf(wo.id)).toHaveLength(1);
    expect((await t.call('GET', `${WO}/${wo.id}/`, partner)).body.external_id).toBe('first');
  });

  it('two confirmations racing: exactly one wins, one job', async () => {
    const wo = await createSg(t, { reference: 'CONF-RACE' });
    const body = { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id };
    const replies = await Promise.all([put(wo.id, body), put(wo.id, { ...body, external_id: 'b' }), put(wo.id, { ...body, external_id: 'c' })]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    for (const reply of replies.filter((r) => r.status === 400)) {
      expect(reply.body).toEqual({ non_field_errors: ['This work order has already been confirmed.'] });
    }
    expect(await jobsOf(wo.id)).toHaveLength(1);
  });

  it('uses the substrate named by the order when none is sent', async () => {
    const wo = await createSg(t, { reference: 'CONF-3' });
    const reply = await put(wo.id, { equipment: t.seed.equipment_id });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ codegen_status: 6, substrate: { id: t.seed.substrate_id }, external_id: '' });
  });

  describe('refusals, each changing nothing', () => {
    let withSubstrate: any;
    let withoutSubstrate: any;
    beforeAll(async () => {
      withSubstrate = await createSg(t, { reference: 'CONF-R1' });
      withoutSubstrate = await createSg(t, { reference: 'CONF-R2', substrate: null });
      expect(withoutSubstrate.substrate).toBeNull();
    });

    const cases: Array<[string, () => number, () => unknown, () => unknown]> = [
      ['equipment missing', () => withSubstrate.id, () => ({ substrate: t.seed.substrate_id }), () => ({ equipment: ['This field is required.'] })],
      ['equipment null', () => withSubstrate.id, () => ({ equipment: null }), () => ({ equipment: [expect.any(String)] })], // ajv coerces null to 0: "≥ 1" rather than DRF's "may not be null" (see report)
      ['equipment not an integer', () => withSubstrate.id, () => ({ equipment: 'press' }), () => ({ equipment: ['A valid integer is required.'] })],
      ['equipment unknown', () => withSubstrate.id, () => ({ equipment: 999_999 }), () => ({ equipment: ['Invalid pk "999999" - object does not exist.'] })],
      ['equipment of another partner', () => withSubstrate.id, () => ({ equipment: other.equipment.id }), () => ({ equipment: [`Invalid pk "${other.equipment.id}" - object does not exist.`] })],
      ['substrate missing when the order names none', () => withoutSubstrate.id, () => ({ equipment: t.seed.equipment_id }), () => ({ substrate: ['This field is required.'] })],
      ['substrate not calibrated for the press', () => withoutSubstrate.id, () => ({ equipment: t.seed.equipment_id, substrate: uncalibrated.id }), () => ({ substrate: [`Substrate ${uncalibrated.id} is not calibrated for equipment ${t.seed.equipment_id}.`] })],
      ['press not calibrated for the substrate', () => withSubstrate.id, () => ({ equipment: secondPress.id }), () => ({ substrate: [`Substrate ${t.seed.substrate_id} is not calibrated for equipment ${secondPress.id}.`] })],
      ['substrate of another partner', () => withoutSubstrate.id, () => ({ equipment: t.seed.equipment_id, substrate: other.substrate.id }), () => ({ substrate: [`Invalid pk "${other.substrate.id}" - object does not exist.`] })],
      ['substrate other than the order\'s', () => withSubstrate.id, () => ({ equipment: t.seed.equipment_id, substrate: uncalibrated.id }), () => ({ substrate: [`This work order asks for substrate ${t.seed.substrate_id}.`] })],
      ['external id too long', () => withSubstrate.id, () => ({ equipment: t.seed.equipment_id, external_id: 'e'.repeat(256) }), () => ({ external_id: ['Ensure this field has no more than 255 characters.'] })],
      [
        'several problems at once', () => withoutSubstrate.id, () => ({ equipment: other.equipment.id, substrate: other.substrate.id }),
        () => ({ equipment: [`Invalid pk "${other.equipment.id}" - object does not exist.`], substrate: [`Invalid pk "${other.substrate.id}" - object does not exist.`] }),
      ],
      ['a list body', () => withSubstrate.id, () => [t.seed.equipment_id], () => ({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] })],
    ];
    for (const [name, id, body, expected] of cases) {
      it(`${name} → 400`, async () => {
        const before = await snapshot(t);
        const reply = await put(id(), body());
        expect(reply.status, JSON.stringify(reply.body)).toBe(400);
        expect(reply.body).toEqual(expected());
        expect(await snapshot(t)).toEqual(before);
      });
    }

    it('the orders are still waiting for confirmation afterwards', async () => {
      for (const wo of [withSubstrate, withoutSubstrate]) {
        const detail = await t.call('GET', `${WO}/${wo.id}/`, partner);
        expect(detail.body).toMatchObject({ state: 'new', codegen_status: 1, equipment: null });
        expect(await jobsOf(wo.id)).toEqual([]);
      }
    });
  });

  it('a SID order cannot be confirmed: 403 for those who see it, 404 for partners', async () => {
    const sid = await createSid(t, { reference: 'CONF-SID' });
    const body = { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id };
    const before = await snapshot(t);
    for (const token of [t.seed.brand_owner.token, t.seed.platform.token]) {
      const reply = await put(sid.id, body, token);
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ detail: 'Only the printing partner assigned to this work order can confirm it.' });
    }
    expect((await put(sid.id, body)).status).toBe(404);
    expect(await snapshot(t)).toEqual(before);
  });

  it('a canceled order cannot be confirmed', async () => {
    const wo = await createSg(t, { reference: 'CONF-X' });
    expect((await t.call('POST', `${WO}/${wo.id}/cancel/`, t.seed.brand_owner.token)).status).toBe(200);
    const before = await snapshot(t);
    const reply = await put(wo.id, { equipment: t.seed.equipment_id });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ non_field_errors: ['A work order in state "canceled" cannot be confirmed.'] });
    expect(await snapshot(t)).toEqual(before);
  });

  it('confirmation by the brand owner is 403 and by another partner 404', async () => {
    const wo = await createSg(t, { reference: 'CONF-W' });
    const before = await snapshot(t);
    const owner = await put(wo.id, { equipment: t.seed.equipment_id }, t.seed.brand_owner.token);
    expect(owner.status).toBe(403);
    const stranger = await put(wo.id, { equipment: other.equipment.id, substrate: other.substrate.id }, other.partnerToken);
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ detail: 'Not found.' });
    expect(await snapshot(t)).toEqual(before);
  });
});
