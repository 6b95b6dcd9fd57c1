import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sgPayload, type TestApp } from '../helpers/test-app.js';

/** A press whose calibrated cells make the graphic too big for the order's custom layout is refused at confirm time. */
describe('printer-confirm checks that the codes can be rendered on the press', () => {
  let t: TestApp;
  let layoutId: number;
  let coarseEquipment: number;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = t.container.admin;
    layoutId = (await admin.createCustomLayout({
      company: t.seed.brand_owner.company_id,
      name: 'Label 24×12',
      definition: { width_mm: 24, height_mm: 12, qr: { x_mm: 0, y_mm: 0, size_mm: 12 }, graphic: { x_mm: 14, y_mm: 2 } },
    })).id;
    // 32 cells of 16 dots at 600 dpi is a 21.7 mm graphic: it cannot fit beside the QR on a 24 mm label.
    coarseEquipment = (await admin.createEquipment({ company: t.seed.printing_partner.company_id, name: 'Coarse', dpi: 600 })).id;
    await admin.createCalibration({ equipment: coarseEquipment, substrate: t.seed.substrate_id, cellSizeDots: 16, blackDensity: 0.4 });
  });
  afterAll(async () => t.close());

  it('refuses the coarse press with a message naming the problem, then accepts a fitting one', async () => {
    const created = await t.call('POST', '/api/v2/workorders/create-sg/', t.seed.brand_owner.token,
      sgPayload(t, { template: null, code_layout: 'custom', custom_layout: layoutId }));
    expect(created.status).toBe(201);
    const path = `/api/v2/workorders/${created.body.id}/printer-confirm/`;
    const refused = await t.call('PATCH', path, t.seed.printing_partner.token, { equipment: coarseEquipment, substrate: t.seed.substrate_id });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body)).toEqual(['equipment']);
    expect(refused.body.equipment[0]).toMatch(/^The codes of this order cannot be rendered on this equipment: /);
    expect((await t.call('GET', `/api/v2/workorders/${created.body.id}/`, t.seed.brand_owner.token)).body.codegen_status).toBe(1);
    const accepted = await t.call('PATCH', path, t.seed.printing_partner.token, { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id });
    expect(accepted.status).toBe(200);
    expect(accepted.body.codegen_status).toBe(6);
  });
});
