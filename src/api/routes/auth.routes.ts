import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { describePrincipal, type AuthService } from '../../domain/auth/auth.service.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../shared/app-error.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentCompany } from '../presenters/company.presenter.js';
import { authErrors, ref } from '../schemas/components.schemas.js';
import { LoginBody } from '../schemas/company.schemas.js';

export const authRoutes = (deps: { auth: AuthService; db: Db }): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v2/auth/login/', {
    config: { public: true },
    schema: {
      operationId: 'login',
      tags: ['auth'],
      summary: 'Log in with username (or email) and password; returns a JWT for `Authorization: JWT <token>`. At most 10 attempts per minute per client.',
      body: LoginBody,
      security: [],
      response: { 200: ref('LoginToken'), 400: ref('FieldErrors'), 429: ref('Throttled') },
    },
  }, async (request) => {
    const login = request.body.username ?? request.body.email;
    if (!login) throw AppError.field('username', 'This field is required.');
    const { token, expiresAt } = await deps.auth.login(login, request.body.password, request.ip);
    return { token, expires_at: expiresAt.toISOString() };
  });

  app.get('/api/v2/me/', {
    schema: { tags: ['auth'], summary: 'The authenticated user, its company and its effective permissions.', operationId: 'me', response: { 200: ref('Me'), ...authErrors } },
  }, async (request) => {
    const me = await describePrincipal(deps.db, principalOf(request));
    return {
      id: me.user.id,
      username: me.user.username,
      email: me.user.email,
      first_name: me.user.first_name,
      last_name: me.user.last_name,
      company: presentCompany(me.company),
      permissions: me.permissions,
      auth_method: me.via,
    };
  });
};
