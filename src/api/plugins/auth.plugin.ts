import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../../domain/auth/auth.service.js';
import type { Principal } from '../../domain/auth/principal.js';
import { AppError } from '../../shared/app-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes that need no credentials (login, schema, docs). */
    public?: boolean;
  }
}

/** Authenticates every request before its body is validated (401 comes before 400, as in DRF). */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public || request.routeOptions.url === undefined) return;
    request.principal = await auth.authenticate(request.headers.authorization);
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('NOT_AUTHENTICATED', 'Authentication credentials were not provided.');
  return request.principal;
}
