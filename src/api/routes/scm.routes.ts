import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ScmService } from '../../domain/scm/scm.service.js';
import { pageOf, paginate } from '../pagination.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentTask } from '../presenters/scm.presenter.js';
import { IdParams, PageQuery } from '../schemas/common.schemas.js';
import { authErrors, ref } from '../schemas/components.schemas.js';
import { AsyncUploadBody, SyncUploadBody } from '../schemas/scm.schemas.js';

const tags = ['scm'];

/** Activation and blacklisting (SCM uploads) and the code transactions they leave. */
export const scmRoutes = (deps: { scm: ScmService; publicUrl: string }): FastifyPluginAsyncTypebox => async (app) => {
  const { scm, publicUrl } = deps;

  app.post('/api/v2/scm/upload/', {
    config: { permission: 'scm_code_edit' },
    schema: {
      operationId: 'scm_upload',
      tags,
      summary: 'Activate, deactivate or blacklist up to 1 000 codes at once; all or nothing (needs scm_code_edit).',
      body: SyncUploadBody,
      response: { 200: ref('ScmUploadResult'), 400: ref('FieldErrors'), ...authErrors },
    },
  }, async (request) => {
    const result = await scm.uploadSync(principalOf(request), request.body);
    return { task_id: result.transaction.id, total_updates: result.totalUpdates, codes_affected: result.codesAffected, items: result.items };
  });

  app.post('/api/v2/scm/upload/async/', {
    config: { permission: 'scm_bulk_edit' },
    schema: {
      operationId: 'scm_upload_async',
      tags,
      summary: 'Change the status of a list of codes or of a whole work order as a task, run in chunks (needs scm_bulk_edit).',
      body: AsyncUploadBody,
      response: { 202: ref('ScmTaskCreated'), 400: ref('FieldErrors'), ...authErrors, 404: ref('Error') },
    },
  }, async (request, reply) => {
    const task = await scm.uploadAsync(principalOf(request), request.body);
    return reply.status(202).send({ task_id: task.id });
  });

  app.get('/api/v2/scm/tasks/', {
    schema: {
      operationId: 'scm_tasks_list',
      tags,
      summary: 'Code transactions, newest first: uploads on your codes (brand owner) or made by you (partner) (needs scm_code_edit or scm_bulk_edit).',
      querystring: Type.Object(PageQuery),
      response: { 200: ref('ScmTaskPage'), 400: ref('FieldErrors'), ...authErrors },
    },
  }, async (request) => {
    const page = pageOf(request.query);
    const { count, rows } = await scm.listTasks(principalOf(request), page);
    const users = await scm.creators(rows);
    return paginate(request, publicUrl, page, count, rows.map((row) => presentTask(row, users)));
  });

  app.get('/api/v2/scm/tasks/:id/', {
    schema: {
      operationId: 'scm_tasks_get',
      tags,
      summary: 'One code transaction: state (pending, in-progress, complete, failed), progress and timestamps.',
      params: IdParams,
      response: { 200: ref('ScmTask'), ...authErrors, 404: ref('Error') },
    },
  }, async (request) => {
    const row = await scm.getTask(principalOf(request), request.params.id);
    return presentTask(row, await scm.creators([row]));
  });
};
