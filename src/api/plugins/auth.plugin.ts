import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addRouteHook } from './route-hooks.js';
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

/**
 * Authenticates every request to a route that is not `public`, before its body is validated (401 comes
 * before 400, as in DRF). Register it before any route: it attaches itself to each route as it is added.
 */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  const authenticate = async (request: FastifyRequest) => {
    request.principal = await auth.authenticate(request.headers.authorization);
    const permission = request.routeOptions.config.permission;
    if (permission) requirePermission(request.principal, permission);
  };
  app.addHook('onRoute', (route) => {
    if (!(route.config as { public?: boolean } | undefined)?.public) addRouteHook(route, 'onRequest', authenticate);
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('NOT_AUTHENTICATED', 'Authentication credentials were not provided.');
  return request.principal;
}
