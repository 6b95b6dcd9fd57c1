import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WorkorderCodesService } from '../../domain/workorders/workorder-codes.service.js';
import { pageOf, paginate } from '../pagination.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentWorkorderCode } from '../presenters/workorder-code.presenter.js';
import { IdParams } from '../schemas/common.schemas.js';
import { authErrors, ref } from '../schemas/components.schemas.js';
import { WorkorderCodesQuery } from '../schemas/workorder-codes.schemas.js';

/** The codes of one work order, page by page. */
export const workorderCodesRoutes = (deps: { codes: WorkorderCodesService; publicUrl: string }): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v2/workorders/:id/codes/', {
    config: { permission: 'codes_view' },
    schema: {
      operationId: 'workorders_codes',
      tags: ['workorders'],
      summary: 'The codes of a work order the caller may see, in sequence order (needs codes_view).',
      description: 'Any page costs the same, however far into the order: `count` is the order\'s quantity and a page is a range of '
        + 'sequence numbers. An order whose codes are not generated has none (count 0). `activation_status` filters by status; '
        + 'it reads every code of the order, and its `count` is counted.',
      params: IdParams,
      querystring: WorkorderCodesQuery,
      response: { 200: ref('CodePage'), 400: ref('FieldErrors'), ...authErrors, 404: ref('Error') },
    },
  }, async (request) => {
    const page = pageOf(request.query);
    const { count, rows } = await deps.codes.list(principalOf(request), request.params.id, { activationStatus: request.query.activation_status }, page);
    return paginate(request, deps.publicUrl, page, count, rows.map(presentWorkorderCode));
  });
};
