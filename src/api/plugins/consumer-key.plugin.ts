import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConsumerKeyService, ConsumerPrincipal } from '../../domain/consumer/consumer-key.service.js';
import { AppError } from '../../shared/app-error.js';
import { CONSUMER_KEY_HEADER } from '../schemas/consumer.schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The brand owner a Consumer API request acts for (set on the consumer routes only). */
    consumer: ConsumerPrincipal | null;
  }
}

/**
 * Consumer API authentication, for the routes of the plugin that calls it (they are `public` to the
 * UAT hook): the `X-ScanTrust-Consumer-Api-Key` header, checked before the body is validated (401 first).
 */
export function registerConsumerKey(app: FastifyInstance, keys: ConsumerKeyService): void {
  app.decorateRequest('consumer', null);
  app.addHook('onRequest', async (request) => {
    request.consumer = await keys.authenticate(request.headers[CONSUMER_KEY_HEADER]);
  });
  // The error handler's challenge names the UAT scheme; these routes take the key header instead.
  app.addHook('onSend', async (_request, reply) => {
    if (reply.statusCode === 401) reply.header('www-authenticate', 'X-ScanTrust-Consumer-Api-Key realm="consumer"');
  });
}

export function consumerOf(request: FastifyRequest): ConsumerPrincipal {
  if (!request.consumer) throw new AppError('NOT_AUTHENTICATED', 'Authentication credentials were not provided.');
  return request.consumer;
}
