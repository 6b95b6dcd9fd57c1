import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sgPayload, tokenFor, type TestApp } from '../helpers/test-app.js';

/** Where ajv's coercion would be laxer than DRF, and where DRF's check order matters. */
describe('DRF strictness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const count = async () => (await t.container.db.selectFrom('workorders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('refuses null for non-nullable fields and booleans for numbers, with the other errors, and creates nothing', async () => {
    const before = await count();
    const response = await t.call('POST', '/api/v2/workorders/create-sg/', t.seed.brand_owner.token,
      sgPayload(t, { quantity: true, reference: null, data: { remarks: 'x', activate_on_complete: 'maybe', static_unique_codes_quantity: false } }));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      quantity: ['A valid integer is required.'],
      reference: ['This field may not be null.'],
      data: { static_unique_codes_quantity: ['A valid integer is required.'], activate_on_complete: ['Must be a valid boolean.'] },
    });
    expect(await count()).toBe(before);
  });

  it('checks the permission before validating the body (403 before 400)', async () => {
    const viewer = await tokenFor(t, t.seed.brand_owner.company_id, ['workorder_view']);
    const response = await t.call('POST', '/api/v2/workorders/create-sg/', viewer.key, { quantity: 'not a number' });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ detail: 'Your credentials lack the "workorder_create" permission.' });
  });

  it('PATCH with null resets an attribute instead of keeping it', async () => {
    const bo = t.seed.brand_owner.token;
    const created = await t.call('POST', '/api/v2/workorders/create-sg/', bo, sgPayload(t, { remarks: 'keep me?', due_date: '2027-01-31' }));
    expect(created.status).toBe(201);
    const patched = await t.call('PATCH', `/api/v2/workorders/${created.body.id}/`, bo, { substrate: null, remarks: null, due_date: null, product: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ substrate: null, remarks: '', due_date: null, product: null, brand: null });
  });

  it('401 responses name the scheme in WWW-Authenticate', async () => {
    const response = await t.call('GET', '/api/v2/workorders/', null);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('UAT realm="api"');
  });

  it('a NUL in search does not match everything', async () => {
    const response = await t.call('GET', `/api/v2/workorders/?search=${encodeURIComponent('zzz\u0000')}`, t.seed.brand_owner.token);
    expect(response.status).toBe(200);
    expect(response.body.count).toBe(0);
  });
});

describe('DRF strictness: integers as text and prototype keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('accepts "10" and "10.0" but not "1e3" for an integer', async () => {
    const bo = t.seed.brand_owner.token;
    expect((await t.call('POST', '/api/v2/workorders/create-sg/', bo, sgPayload(t, { quantity: '10.0' }))).body.quantity).toBe(10);
    const refused = await t.call('POST', '/api/v2/workorders/create-sg/', bo, sgPayload(t, { quantity: '1e3' }));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ quantity: ['A valid integer is required.'] });
  });

  it('refuses a body carrying __proto__', async () => {
    const response = await t.call('POST', '/api/v2/workorders/create-sg/', t.seed.brand_owner.token, '{"reference": "P", "quantity": 1, "__proto__": {"admin": true}}');
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/^JSON parse error - /);
  });

  it('refuses a due date that is not an ISO date', async () => {
    const response = await t.call('POST', '/api/v2/workorders/create-sg/', t.seed.brand_owner.token, sgPayload(t, { due_date: '1' }));
    expect(response.status).toBe(400);
    expect(Object.keys(response.body)).toEqual(['due_date']);
  });
});
