import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CatalogService } from '../../domain/catalog/catalog.service.js';
import { pageOf, paginate } from '../pagination.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentBrandListItem, presentEquipmentListItem, presentSubstrateListItem } from '../presenters/catalog.presenter.js';
import { presentProductDetail } from '../presenters/company.presenter.js';
import { authErrors, ref } from '../schemas/components.schemas.js';
import {
  ArchivableListQuery, ProductListQuery, SubstrateListQuery,
} from '../schemas/catalog.schemas.js';
import { PageQuery } from '../schemas/common.schemas.js';

/** `is_archived` as the work-order list reads it: absent means false. */
const archivedFlag = (value: string | undefined) => value !== undefined && ['1', 'true', 'True'].includes(value);

const PRODUCT_LIST_DESCRIPTION = 'Each item is the product detail (GET /api/v2/products/{id}/). `code_count` is the number of codes '
  + 'generated for the product (the quantities of its generated orders). The reference\'s `active_code_count` and '
  + '`blacklisted_code_count` are not given: they would mean reading every code of every order of the product.';

/** The catalogue a caller picks from: products and brands, presses and substrates, printing partners. */
export const catalogRoutes = (deps: { catalog: CatalogService; publicUrl: string }): FastifyPluginAsyncTypebox => async (app) => {
  const { catalog, publicUrl } = deps;
  const listErrors = { 400: ref('FieldErrors'), ...authErrors };

  app.get('/api/v2/products/', {
    config: { permission: 'product_view' },
    schema: {
      operationId: 'products_list',
      tags: ['products'],
      summary: 'The caller\'s company\'s products, newest first (needs product_view).',
      description: PRODUCT_LIST_DESCRIPTION,
      querystring: ProductListQuery,
      response: { 200: ref('ProductPage'), ...listErrors },
    },
  }, async (request) => {
    const q = request.query;
    const page = pageOf(q);
    const { count, rows } = await catalog.listProducts(principalOf(request), {
      isArchived: archivedFlag(q.is_archived), sku: q.sku__exact, ordering: q.ordering ?? '-creation_date',
    }, page);
    return paginate(request, publicUrl, page, count, rows.map(presentProductDetail));
  });

  app.get('/api/v2/brands/', {
    config: { permission: 'product_view' },
    schema: {
      operationId: 'brands_list',
      tags: ['products'],
      summary: 'The caller\'s company\'s brands, by id (needs product_view).',
      querystring: Type.Object(PageQuery),
      response: { 200: ref('BrandPage'), ...listErrors },
    },
  }, async (request) => {
    const page = pageOf(request.query);
    const { count, rows } = await catalog.listBrands(principalOf(request), page);
    return paginate(request, publicUrl, page, count, rows.map(presentBrandListItem));
  });

  app.get('/api/v2/equipment/', {
    config: { permission: 'workorder_view' },
    schema: {
      operationId: 'equipment_list',
      tags: ['catalogue'],
      summary: 'The caller\'s company\'s presses with their calibrated substrates, by id (a printing partner\'s; needs workorder_view).',
      description: 'What a printing partner may confirm an order with: a press and one of its `substrates`. Other companies have no presses.',
      querystring: ArchivableListQuery,
      response: { 200: ref('EquipmentPage'), ...listErrors },
    },
  }, async (request) => {
    const page = pageOf(request.query);
    const { count, rows } = await catalog.listEquipment(principalOf(request), { isArchived: archivedFlag(request.query.is_archived) }, page);
    return paginate(request, publicUrl, page, count, rows.map(presentEquipmentListItem));
  });

  app.get('/api/v2/substrates/', {
    config: { permission: 'workorder_view' },
    schema: {
      operationId: 'substrates_list',
      tags: ['catalogue'],
      summary: 'The caller\'s company\'s substrates with the presses they are calibrated for, by id (needs workorder_view).',
      description: '`?equipment=<id>` keeps the substrates calibrated for that press (the press must be the caller\'s company\'s).',
      querystring: SubstrateListQuery,
      response: { 200: ref('SubstratePage'), ...listErrors },
    },
  }, async (request) => {
    const q = request.query;
    const page = pageOf(q);
    const { count, rows } = await catalog.listSubstrates(principalOf(request), { isArchived: archivedFlag(q.is_archived), equipment: q.equipment }, page);
    return paginate(request, publicUrl, page, count, rows.map(presentSubstrateListItem));
  });

  app.get('/api/v2/printing-partners/', {
    config: { permission: 'workorder_create' },
    schema: {
      operationId: 'printing_partners_list',
      tags: ['catalogue'],
      summary: 'The printing partners an SSC order may name as printing_partner, by name (brand owners; needs workorder_create).',
      querystring: Type.Object(PageQuery),
      response: { 200: ref('PrintingPartnerPage'), ...listErrors },
    },
  }, async (request) => {
    const page = pageOf(request.query);
    const { count, rows } = await catalog.listPrintingPartners(principalOf(request), page);
    return paginate(request, publicUrl, page, count, rows.map((row) => ({ id: row.id, uuid: row.uuid, name: row.name })));
  });
};
