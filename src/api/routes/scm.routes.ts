import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ScmService } from '../../domain/scm/scm.service.js';
import { pageOf, paginate } from '../pagination.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentTask } from '../presenters/scm.presenter.js';
import { authErrors, DetailError, FieldErrorsBody, IdParams, PageQuery, paginated } from '../schemas/common.schemas.js';
import { AsyncUploadBody, AsyncUploadReply, SyncUploadBody, SyncUploadReply, TaskSchema } from '../schemas/scm.schemas.js';

const tags = ['scm'];

/** Activation and blacklisting (SCM uploads) and the code transactions they leave. */
export const scmRoutes = (deps: { scm: ScmService; publicUrl: string }): FastifyPluginAsyncTypebox => async (app) => {
  const { scm, publicUrl } = deps;

  app.post('/api/v2/scm/upload/', {
    config: { permission: 'scm_code_edit' },
    schema: {
      tags,
      summary: 'Activate, deactivate or blacklist up to 1 000 codes at once; all or nothing (needs scm_code_edit).',
      body: SyncUploadBody,
      response: { 200: SyncUploadReply, 400: FieldErrorsBody, ...authErrors },
    },
  }, async (request) => {
    const result = await scm.uploadSync(principalOf(request), request.body);
    return { task_id: result.transaction.id, total_updates: result.totalUpdates, codes_affected: result.codesAffected, items: result.items };
  });

  app.post('/api/v2/scm/upload/async/', {
    config: { permission: 'scm_bulk_edit' },
    schema: {
      tags,
      summary: 'Change the status of a list of codes or of a whole work order as a task, run in chunks (needs scm_bulk_edit).',
      body: AsyncUploadBody,
      response: { 202: AsyncUploadReply, 400: FieldErrorsBody, ...authErrors, 404: DetailError },
    },
  }, async (request, reply) => {
    const task = await scm.uploadAsync(principalOf(request), request.body);
    return reply.status(202).send({ task_id: task.id });
  });

  app.get('/api/v2/scm/tasks/', {
    schema: {
      tags,
      summary: 'Code transactions, newest first: uploads on your codes (brand owner) or made by you (partner) (needs scm_code_edit or scm_bulk_edit).',
      querystring: Type.Object(PageQuery),
      response: { 200: paginated(TaskSchema), 400: FieldErrorsBody, ...authErrors },
    },
  }, async (request) => {
    const page = pageOf(request.query);
    const { count, rows } = await scm.listTasks(principalOf(request), page);
    const users = await scm.creators(rows);
    return paginate(request, publicUrl, page, count, rows.map((row) => presentTask(row, users)));
  });

  app.get('/api/v2/scm/tasks/:id/', {
    schema: {
      tags,
      summary: 'One code transaction: state (pending, in-progress, complete, failed), progress and timestamps.',
      params: IdParams,
      response: { 200: TaskSchema, ...authErrors, 404: DetailError },
    },
  }, async (request) => {
    const row = await scm.getTask(principalOf(request), request.params.id);
    return presentTask(row, await scm.creators([row]));
  });
};
