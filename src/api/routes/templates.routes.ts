import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TemplateService } from '../../domain/templates/template.service.js';
import { pageOf, paginate } from '../pagination.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentTemplate } from '../presenters/workorder.presenter.js';
import { PageQuery } from '../schemas/common.schemas.js';
import { authErrors, ref } from '../schemas/components.schemas.js';

export const templateRoutes = (deps: { templates: TemplateService; publicUrl: string }): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v2/workorders/templates/', {
    config: { permission: 'workorder_view' },
    schema: {
      operationId: 'templates_list',
      tags: ['templates'],
      summary: 'Work-order templates available to the caller (needs workorder_view).',
      querystring: Type.Object(PageQuery),
      response: { 200: ref('TemplatePage'), 400: ref('FieldErrors'), ...authErrors },
    },
  }, async (request) => {
    const page = pageOf(request.query);
    const { count, rows } = await deps.templates.list(principalOf(request), page);
    return paginate(request, deps.publicUrl, page, count, rows.map((r) => presentTemplate(r.template, r.substrateName)));
  });
};
