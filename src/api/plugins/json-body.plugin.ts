import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { addRouteHook, takesBody } from './route-hooks.js';

/**
 * JSON bodies: an empty body counts as `{}` (clients often send `Content-Type: application/json` on
 * action endpoints without a body) and a syntax error is a DRF-style 400.
 */
export function registerJsonBody(app: FastifyInstance): void {
  // Only JSON is accepted, as with DRF's JSONParser: text/plain (Fastify's other default) is a 415, not a string body.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      // secure-json-parse refuses `__proto__` / `constructor.prototype` keys (prototype poisoning).
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const failure = new Error(`JSON parse error - ${(error as Error).message}`) as Error & { statusCode: number };
      failure.statusCode = 400;
      done(failure, undefined);
    }
  });
  // A bodiless POST/PATCH is validated as an empty object, so required fields are reported one by one.
  const emptyBody = async (request: FastifyRequest) => {
    if (request.body === undefined) request.body = {};
  };
  app.addHook('onRoute', (route) => {
    if (takesBody(route)) addRouteHook(route, 'preValidation', emptyBody);
  });
}
