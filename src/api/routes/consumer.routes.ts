import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ConsumerKeyService } from '../../domain/consumer/consumer-key.service.js';
import type { ConsumerService } from '../../domain/consumer/consumer.service.js';
import { consumerOf, registerConsumerKey } from '../plugins/consumer-key.plugin.js';
import { presentCombinedInfo, presentFound, presentQrCode } from '../presenters/consumer.presenter.js';
import { ref } from '../schemas/components.schemas.js';
import {
  ConsumerKeyHeaders, ExtendedIdParams, FindBody, ScanIdParams,
} from '../schemas/consumer.schemas.js';

/**
 * The Consumer API, for a brand's own landing page: authenticated only by the brand owner's key in
 * `X-ScanTrust-Consumer-Api-Key` (never a UAT or JWT); another brand owner's code or scan is "not found".
 */
export const consumerRoutes = (deps: { consumer: ConsumerService; keys: ConsumerKeyService }): FastifyPluginAsyncTypebox => async (app) => {
  const { consumer } = deps;
  registerConsumerKey(app, deps.keys);
  const route = { config: { public: true } };
  const common = { tags: ['consumer'], security: [{ ConsumerKey: [] }], headers: ConsumerKeyHeaders };
  const errors = { 401: ref('Error'), 404: ref('Error') };

  app.get('/api/v2/consumer/:extended_id/details/', {
    ...route,
    schema: {
      ...common,
      operationId: 'consumer_code_details',
      summary: 'A code of the key\'s brand owner by extended ID: its status and scan count.',
      params: ExtendedIdParams,
      response: { 200: ref('ConsumerCodeDetails'), ...errors },
    },
  }, async (request) => ({ qrcode: presentQrCode(await consumer.details(consumerOf(request), request.params.extended_id)) }));

  app.get('/api/v2/consumer/scan/:scan_id/combined-info/', {
    ...route,
    schema: {
      ...common,
      operationId: 'consumer_scan_info',
      summary: 'A scan (the landing page\'s ?scan_id=…) with its code, product and brand; a scan taken a moment ago is waited for.',
      params: ScanIdParams,
      response: { 200: ref('ConsumerScanInfo'), ...errors },
    },
  }, async (request) => presentCombinedInfo(await consumer.combinedInfo(consumerOf(request), request.params.scan_id)));

  app.post('/api/v2/consumer/find/', {
    ...route,
    schema: {
      ...common,
      operationId: 'consumer_find',
      summary: 'A code of the key\'s brand owner by serial number (exactly as printed), with its URL.',
      body: FindBody,
      response: { 200: ref('ConsumerFindResult'), 400: ref('FieldErrors'), ...errors },
    },
  }, async (request) => presentFound(await consumer.findBySerialNumber(consumerOf(request), request.body.serial_number)));
};
