import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../../domain/auth/auth.service.js';
import type { Permission } from '../../domain/auth/permissions.js';
import { requirePermission, type Principal } from '../../domain/auth/principal.js';
import { AppError } from '../../shared/app-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes that need no credentials (login, schema, docs). */
    public?: boolean;
    /**
     * Permission checked right after authentication, before the body is validated — DRF's order
     * (401, then 403, then 400). Services check it again: they never rely on the route.
     */
    permission?: Permission;
  }
}

/** Authenticates every request before its body is validated (401 comes before 400, as in DRF). */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public || request.routeOptions.url === undefined) return;
    request.principal = await auth.authenticate(request.headers.authorization);
    const permission = request.routeOptions.config.permission;
    if (permission) requirePermission(request.principal, permission);
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('NOT_AUTHENTICATED', 'Authentication credentials were not provided.');
  return request.principal;
}
