import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ScanSettingsService } from '../../domain/scans/scan-settings.service.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentProductDetail } from '../presenters/company.presenter.js';
import { IdParams } from '../schemas/common.schemas.js';
import { authErrors, ref } from '../schemas/components.schemas.js';
import { ProductUpdateBody, ScanSettingsBody } from '../schemas/scan-settings.schemas.js';

/** Where scans lead: a product's landing page and scan limit, and the brand owner's defaults. */
export const scanSettingsRoutes = (deps: { settings: ScanSettingsService }): FastifyPluginAsyncTypebox => async (app) => {
  const { settings } = deps;
  const product = { 200: ref('Product'), 400: ref('FieldErrors'), ...authErrors, 404: ref('Error') };

  app.get('/api/v2/products/:id/', {
    config: { permission: 'product_view' },
    schema: { operationId: 'products_get', tags: ['products'], summary: 'One product of the caller\'s company, with its scan settings (needs product_view).', params: IdParams, response: product },
  }, async (request) => {
    return presentProductDetail(await settings.getProduct(principalOf(request), request.params.id));
  });

  app.patch('/api/v2/products/:id/', {
    config: { permission: 'product_edit' },
    schema: {
      operationId: 'products_update',
      tags: ['products'],
      summary: 'Set a product\'s landing page (client_url) and scan limit (needs product_edit).',
      params: IdParams,
      body: ProductUpdateBody,
      response: product,
    },
  }, async (request) => {
    const { client_url: landingUrl, ...limits } = request.body;
    const view = await settings.updateProduct(principalOf(request), request.params.id, { ...limits, landing_url: landingUrl });
    return presentProductDetail(view);
  });

  const company = { 200: ref('ScanSettings'), 400: ref('FieldErrors'), ...authErrors };
  app.get('/api/v2/scan-settings/', {
    config: { permission: 'product_view' },
    schema: { operationId: 'scan_settings_get', tags: ['scans'], summary: 'The brand owner\'s landing page and scan limit for products that set none (needs product_view).', response: company },
  }, async (request) => settings.getCompanySettings(principalOf(request)));

  app.patch('/api/v2/scan-settings/', {
    config: { permission: 'product_edit' },
    schema: { operationId: 'scan_settings_update', tags: ['scans'], summary: 'Set the brand owner\'s landing page and scan limit (needs product_edit).', body: ScanSettingsBody, response: company },
  }, async (request) => settings.updateCompanySettings(principalOf(request), request.body));
};
