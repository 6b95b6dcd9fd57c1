import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sgPayload, type TestApp } from '../helpers/test-app.js';

/** Archiving hides an order from the archiving side's lists only: brand owner and partner each have their own flag. */
describe('archive flags per side', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const ids = async (token: string, query = '') =>
    ((await t.call('GET', `/api/v2/workorders/${query}`, token)).body.results as Array<{ id: number }>).map((o) => o.id);

  it('a partner archiving an order does not hide it from the brand owner, and vice versa', async () => {
    const bo = t.seed.brand_owner.token;
    const pp = t.seed.printing_partner.token;
    const id = (await t.call('POST', '/api/v2/workorders/create-sg/', bo, sgPayload(t))).body.id as number;

    const archived = await t.call('POST', `/api/v2/workorders/${id}/archive/`, pp);
    expect(archived.status).toBe(200);
    expect(archived.body.is_archived).toBe(true);
    expect(await ids(pp)).not.toContain(id);
    expect(await ids(pp, '?is_archived=1')).toContain(id);
    expect(await ids(bo)).toContain(id);
    expect((await t.call('GET', `/api/v2/workorders/${id}/`, bo)).body.is_archived).toBe(false);

    expect((await t.call('POST', `/api/v2/workorders/${id}/archive/`, bo)).body.is_archived).toBe(true);
    expect(await ids(bo)).not.toContain(id);
    expect((await t.call('POST', `/api/v2/workorders/${id}/unarchive/`, pp)).body.is_archived).toBe(false);
    expect(await ids(pp)).toContain(id);
    expect(await ids(bo)).not.toContain(id);
    // Platform staff see the brand owner's flag.
    expect((await t.call('GET', `/api/v2/workorders/${id}/`, t.seed.platform.token)).body.is_archived).toBe(true);
  });
});
