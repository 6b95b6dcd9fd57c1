import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sgPayload, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

describe('seed workflow through inject', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
  });
  afterAll(async () => t.close());

  it('creates, confirms, generates and downloads an SSC order', async () => {
    const bo = t.seed.brand_owner.token;
    const created = await t.call('POST', '/api/v2/workorders/create-sg/', bo, sgPayload(t));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'new', codegen_status: 1, codegen_file: null, quantity: 10 });
    const confirmed = await t.call('PATCH', `/api/v2/workorders/${created.body.id}/printer-confirm/`, t.seed.printing_partner.token, {
      substrate: String(t.seed.substrate_id), equipment: String(t.seed.equipment_id), external_id: '3',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ state: 'new', codegen_status: 6, external_id: '3' });
    const done = await waitForWorkorder(t, created.body.id, bo, (wo) => wo.codegen_status === 4);
    expect(done.state).toBe('completed');
    expect(done.codegen_file).toBe(`http://sigil.test/api/v2/workorders/${created.body.id}/download/`);
    const zip = await t.call('GET', `/api/v2/workorders/${created.body.id}/download/`, bo);
    expect(zip.status).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.raw.subarray(0, 2).toString()).toBe('PK');
  });
});
