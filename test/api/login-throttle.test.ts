import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('login throttling (10 login actions per minute per client)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.container.admin.createUser({ company: t.seed.brand_owner.company_id, username: 'throttled', password: 'correct horse' });
  });
  afterAll(async () => t.close());

  it('answers 429 in the DRF shape with Retry-After once the limit is reached, even for the right password', async () => {
    for (let i = 0; i < 10; i++) {
      const wrong = await t.call('POST', '/api/v2/auth/login/', null, { username: 'throttled', password: `wrong ${i}` });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    }
    const blocked = await t.call('POST', '/api/v2/auth/login/', null, { username: 'throttled', password: 'correct horse' });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ detail: expect.stringMatching(/^Request was throttled\. Expected available in \d+ seconds\.$/), code: 'throttled' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
