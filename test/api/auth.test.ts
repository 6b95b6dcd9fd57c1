import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../../src/domain/auth/auth.service.js';
import { deriveKeys } from '../../src/shared/secrets.js';
import { ALL_PERMISSIONS, send, snapshot, WO } from '../helpers/api-fixtures.js';
import { createTestApp, sgPayload, tokenFor, type TestApp } from '../helpers/test-app.js';

const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' };
const INVALID_TOKEN = { detail: 'Invalid token.' };
const BAD_LOGIN = { non_field_errors: ['Unable to log in with provided credentials.'] };
const PASSWORD = 'correct horse battery';

describe('authentication', () => {
  let t: TestApp;
  let alice: { id: number };
  let client = 0;
  /** Each login comes from its own client address, so the login throttle never interferes here. */
  const login = (body: unknown) => send(t, {
    method: 'POST', url: '/api/v2/auth/login/', body: JSON.stringify(body), contentType: 'application/json',
    remoteAddress: `10.0.0.${++client}`,
  });
  const withHeader = (authorization: string, url = `${WO}`) => send(t, { method: 'GET', url, authorization });

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.container.admin.createUser({
      company: t.seed.brand_owner.company_id, username: 'alice', email: 'alice@brand.example', password: PASSWORD,
    });
  });
  afterAll(async () => t.close());

  describe('missing credentials', () => {
    it('is 401 "not provided" on every protected endpoint, before the body or path is looked at', async () => {
      const before = await snapshot(t);
      const requests: Array<Parameters<typeof send>[1]> = [
        { method: 'GET', url: '/api/v2/me/' },
        { method: 'GET', url: `${WO}/` },
        { method: 'GET', url: `${WO}/templates/` },
        { method: 'GET', url: `${WO}/1/` },
        { method: 'GET', url: `${WO}/abc/` },
        { method: 'POST', url: `${WO}/create-sg/`, body: JSON.stringify(sgPayload(t)), contentType: 'application/json' },
        { method: 'POST', url: `${WO}/create-sg/`, body: '{"quantity": ', contentType: 'application/json' },
        { method: 'POST', url: `${WO}/create-sid/`, body: '<xml/>', contentType: 'application/xml' },
        { method: 'PATCH', url: `${WO}/1/`, body: '{}', contentType: 'application/json' },
        { method: 'DELETE', url: `${WO}/1/` },
        { method: 'PATCH', url: `${WO}/1/printer-confirm/`, body: '{}', contentType: 'application/json' },
        { method: 'POST', url: `${WO}/1/cancel/` },
        { method: 'POST', url: `${WO}/1/archive/` },
        { method: 'POST', url: `${WO}/1/unarchive/` },
        { method: 'POST', url: `${WO}/1/printed/` },
        { method: 'POST', url: `${WO}/1/complete/` },
        { method: 'GET', url: `${WO}/1/download/` },
        { method: 'GET', url: `${WO}/1/serial-numbers/` },
      ];
      for (const request of requests) {
        const reply = await send(t, request);
        expect(reply.status, `${request.method} ${request.url}`).toBe(401);
        expect(reply.body).toEqual(NOT_PROVIDED);
      }
      expect((await withHeader('')).body).toEqual(NOT_PROVIDED);
      expect((await withHeader('   ')).status).toBe(401);
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe('UAT tokens', () => {
    it('accepts "UAT <key>" (scheme case-insensitive)', async () => {
      expect((await withHeader(`UAT ${t.seed.brand_owner.token}`)).status).toBe(200);
      expect((await withHeader(`uat ${t.seed.brand_owner.token}`)).status).toBe(200);
    });

    it('rejects an unknown key', async () => {
      const reply = await withHeader('UAT thisIsNotAKeyThatExists0000000000000000');
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_TOKEN);
    });

    it('rejects a revoked token', async () => {
      const token = await tokenFor(t, t.seed.brand_owner.company_id);
      expect((await withHeader(`UAT ${token.key}`)).status).toBe(200);
      await t.container.admin.revokeToken(token.id);
      const reply = await withHeader(`UAT ${token.key}`);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_TOKEN);
    });

    it('accepts a token before its expiry and rejects it after', async () => {
      const token = await tokenFor(t, t.seed.brand_owner.company_id, undefined, new Date(Date.now() + 3_600_000));
      expect((await withHeader(`UAT ${token.key}`)).status).toBe(200);
      // Time passes: the stored expiry is now in the past (a past expiry cannot be issued).
      await t.container.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', token.id).execute();
      const reply = await withHeader(`UAT ${token.key}`);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ detail: 'Token has expired.' });
    });

    it('cannot be issued with an expiry in the past', async () => {
      const user = await t.container.admin.createUser({ company: t.seed.brand_owner.company_id, username: 'late' });
      await expect(t.container.admin.createToken({ user: user.id, name: 'late', expiresAt: new Date(Date.now() - 1000) }))
        .rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('rejects the token of a deactivated user', async () => {
      const token = await tokenFor(t, t.seed.brand_owner.company_id);
      await t.container.db.updateTable('users').set({ is_active: 0 }).where('id', '=', token.userId).execute();
      const reply = await withHeader(`UAT ${token.key}`);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ detail: 'User inactive or deleted.' });
    });

    it('rejects other schemes and malformed headers', async () => {
      const unsupported = { detail: 'Unsupported authorization scheme. Use "UAT <key>" or "JWT <token>".' };
      const malformed = { detail: 'Invalid Authorization header. Expected "UAT <key>" or "JWT <token>".' };
      for (const [header, body] of [
        [`Token ${t.seed.brand_owner.token}`, unsupported],
        [`Basic ${Buffer.from('alice:pw').toString('base64')}`, unsupported],
        [t.seed.brand_owner.token, malformed],
        ['UAT', malformed],
        [`UAT ${t.seed.brand_owner.token} extra`, malformed],
        // A UAT key sent as a bearer token is told where it goes (not "Error decoding signature.").
        [`Bearer ${t.seed.brand_owner.token}`, {
          detail: 'Bearer takes a JWT. Send a UAT key as "Authorization: UAT <key>"; supported schemes: "UAT <key>", "JWT <token>".',
        }],
      ] as const) {
        const reply = await withHeader(header);
        expect(reply.status, header).toBe(401);
        expect(reply.body).toEqual(body);
      }
    });

    it('records when a token was last used, and never shows the key again', async () => {
      const token = await tokenFor(t, t.seed.brand_owner.company_id);
      await withHeader(`UAT ${token.key}`);
      const row = await t.container.db.selectFrom('api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
      expect(row.last_used_at).not.toBeNull();
      expect(JSON.stringify(row)).not.toContain(token.key);
      const me = await withHeader(`UAT ${token.key}`, '/api/v2/me/');
      expect(me.raw.toString()).not.toContain(token.key);
    });
  });

  describe('login and JWT', () => {
    it('logs in with the username and returns a JWT with its expiry', async () => {
      const before = Date.now();
      const reply = await login({ username: 'alice', password: PASSWORD });
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.body).sort()).toEqual(['expires_at', 'token']);
      expect(reply.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const expires = Date.parse(reply.body.expires_at);
      expect(expires).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1000);

      const me = await withHeader(`JWT ${reply.body.token}`, '/api/v2/me/');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: alice.id, username: 'alice', email: 'alice@brand.example', auth_method: 'jwt' });
      expect((await withHeader(`JWT ${reply.body.token}`)).status).toBe(200);
      expect((await withHeader(`Bearer ${reply.body.token}`)).status).toBe(200);
    });

    it('logs in with the e-mail address', async () => {
      const reply = await login({ email: 'alice@brand.example', password: PASSWORD });
      expect(reply.status).toBe(200);
      const me = await withHeader(`JWT ${reply.body.token}`, '/api/v2/me/');
      expect(me.body.username).toBe('alice');
    });

    it('answers 400 non_field_errors for a wrong password, an unknown user or a user without a password', async () => {
      for (const body of [
        { username: 'alice', password: 'wrong password' },
        { email: 'alice@brand.example', password: 'wrong password' },
        { username: 'nobody', password: PASSWORD },
        { username: 'demo-brand-admin', password: PASSWORD },
        { email: '', password: PASSWORD },
      ]) {
        const reply = await login(body);
        expect(reply.status, JSON.stringify(body)).toBe(400);
        expect(reply.body).toEqual(body.email === '' ? { username: ['This field is required.'] } : BAD_LOGIN);
      }
    });

    it('validates the login body DRF-style', async () => {
      expect((await login({})).body).toEqual({ password: ['This field is required.'] });
      const noUser = await login({ password: PASSWORD });
      expect(noUser.status).toBe(400);
      expect(noUser.body).toEqual({ username: ['This field is required.'] });
      const list = await login([]);
      expect(list.status).toBe(400);
      expect(list.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
      const garbled = await send(t, { method: 'POST', url: '/api/v2/auth/login/', body: '{"username":', contentType: 'application/json', remoteAddress: '10.1.0.1' });
      expect(garbled.status).toBe(400);
      expect(garbled.body.detail).toMatch(/^JSON parse error - /);
    });

    it('rejects a malformed, tampered, foreign or expired JWT with 401', async () => {
      const good = (await login({ username: 'alice', password: PASSWORD })).body.token as string;
      const decoding = { detail: 'Error decoding signature.' };
      const [head, payload, signature] = good.split('.') as [string, string, string];
      const tampered = `${head}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      for (const token of ['garbage', 'a.b.c', tampered]) {
        const reply = await withHeader(`JWT ${token}`);
        expect(reply.status, token).toBe(401);
        expect(reply.body).toEqual(decoding);
      }
      // Signed by another server (another secret key).
      const foreign = new AuthService({
        db: t.container.db, clock: t.container.clock, jwtSigningKey: deriveKeys('another-server-secret-key-0123456789abcdef').jwtSigningKey, jwtTtlSeconds: 3600,
      });
      const foreignToken = (await foreign.login('alice', PASSWORD, 'test')).token;
      expect((await withHeader(`JWT ${foreignToken}`)).body).toEqual(decoding);
      // Issued by this server two hours ago with a one-hour lifetime.
      const past = new AuthService({
        db: t.container.db, clock: { now: () => new Date(Date.now() - 7_200_000) }, jwtSigningKey: deriveKeys(t.container.config.secretKey).jwtSigningKey, jwtTtlSeconds: 3600,
      });
      const expired = await withHeader(`JWT ${(await past.login('alice', PASSWORD, 'test')).token}`);
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ detail: 'Signature has expired.' });
    });

    it('stops accepting the JWT of a user who was deactivated', async () => {
      const user = await t.container.admin.createUser({ company: t.seed.brand_owner.company_id, username: 'bob', password: PASSWORD });
      const token = (await login({ username: 'bob', password: PASSWORD })).body.token as string;
      expect((await withHeader(`JWT ${token}`)).status).toBe(200);
      await t.container.db.updateTable('users').set({ is_active: 0 }).where('id', '=', user.id).execute();
      const reply = await withHeader(`JWT ${token}`);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ detail: 'User inactive or deleted.' });
      expect((await login({ username: 'bob', password: PASSWORD })).body).toEqual(BAD_LOGIN);
    });
  });

  describe('GET /api/v2/me/', () => {
    it('describes the caller, its company and its permissions, without secrets', async () => {
      const reply = await t.call('GET', '/api/v2/me/', t.seed.brand_owner.token);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        id: expect.any(Number),
        username: 'demo-brand-admin',
        email: 'demo-brand-admin@example.com',
        first_name: '',
        last_name: '',
        company: expect.objectContaining({
          id: t.seed.brand_owner.company_id, name: 'Demo Brand', slug: 'demo-brand', company_type: 'brand_owner',
          has_secure_workflow: false, encryption_key: '',
        }),
        permissions: [...ALL_PERMISSIONS],
        auth_method: 'uat',
      });
      expect(reply.raw.toString()).not.toMatch(/password|key_hash|secret/i);
    });

    it('shows the platform and partner companies for their users', async () => {
      expect((await t.call('GET', '/api/v2/me/', t.seed.printing_partner.token)).body.company.company_type).toBe('printing_partner');
      expect((await t.call('GET', '/api/v2/me/', t.seed.platform.token)).body.company.company_type).toBe('platform');
    });
  });

  describe('permissions of a credential', () => {
    it('a UAT acts with the intersection of its own and its user\'s permissions', async () => {
      const user = await t.container.admin.createUser({
        company: t.seed.brand_owner.company_id, username: 'viewer', permissions: ['workorder_view', 'workorder_archive'],
      });
      const token = await t.container.admin.createToken({ user: user.id, name: 'wide', permissions: ['workorder_view', 'workorder_create'] });
      const me = await t.call('GET', '/api/v2/me/', token.key);
      expect(me.body.permissions).toEqual(['workorder_view']);
      expect((await t.call('GET', `${WO}/`, token.key)).status).toBe(200);
      const before = await snapshot(t);
      const create = await t.call('POST', `${WO}/create-sg/`, token.key, sgPayload(t));
      expect(create.status).toBe(403);
      expect(create.body).toEqual({ detail: 'Your credentials lack the "workorder_create" permission.' });
      expect(await snapshot(t)).toEqual(before);
    });

    it('a JWT carries exactly the user\'s permissions', async () => {
      await t.container.admin.createUser({
        company: t.seed.brand_owner.company_id, username: 'carol', password: PASSWORD, permissions: ['workorder_view'],
      });
      const token = (await login({ username: 'carol', password: PASSWORD })).body.token as string;
      const me = await withHeader(`JWT ${token}`, '/api/v2/me/');
      expect(me.body.permissions).toEqual(['workorder_view']);
      const create = await send(t, {
        method: 'POST', url: `${WO}/create-sid/`, authorization: `JWT ${token}`,
        body: JSON.stringify({ reference: 'jwt-sid', quantity: 1 }), contentType: 'application/json',
      });
      expect(create.status).toBe(403);
      expect(create.body).toEqual({ detail: 'Your credentials lack the "workorder_create" permission.' });
    });
  });
});
