import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

describe('probe', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ worker: true }); });
  afterAll(async () => t.close());
  it('probes', async () => {
    const bo = t.seed.brand_owner.token;
    const start = Date.now();
    const c = await t.call('POST', '/api/v2/workorders/create-sid/', bo, { quantity: 30000, reference: 'big' });
    let last = '';
    const done = await waitForWorkorder(t, c.body.id, bo, (wo) => {
      const s = `${wo.codegen_status} ${JSON.stringify(wo.codegen_progress)}`;
      if (s !== last) { console.log(Date.now() - start, s); last = s; }
      return wo.codegen_status === 4;
    }, 120_000);
    console.log('done', Date.now() - start, done.state);
  }, 120_000);
});
