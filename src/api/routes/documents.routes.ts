import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CodeExportFilters } from '../../db/repositories/code-export.repository.js';
import type { CodeExportService } from '../../domain/exports/code-export.service.js';
import { AppError } from '../../shared/app-error.js';
import { timestampRange } from '../date-filters.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentDocument } from '../presenters/document.presenter.js';
import { authErrors, ref } from '../schemas/components.schemas.js';
import { CodeExportQuery, KeyParams, LinkQuery } from '../schemas/documents.schemas.js';

const tags = ['codes'];

/** Code data export: request a document, follow its state, then download it through a signed link. */
export const documentRoutes = (deps: { exports: CodeExportService }): FastifyPluginAsyncTypebox => async (app) => {
  const { exports } = deps;

  app.get('/api/v2/codes/download/', {
    config: { permission: 'codes_view' },
    schema: {
      operationId: 'codes_export',
      tags,
      summary: 'Start a CSV export of your codes (built in the background); poll /api/v2/documents/{key}/ (needs codes_view).',
      querystring: CodeExportQuery,
      response: { 200: ref('DocumentRequested'), 400: ref('FieldErrors'), ...authErrors },
    },
  }, async (request) => {
    const q = request.query;
    const filters: CodeExportFilters = {
      ...(q.workorder === undefined ? {} : { workorderId: q.workorder }),
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.blacklisted === undefined ? {} : { blacklisted: ['true', 'True', '1'].includes(q.blacklisted) }),
      ...(q.activated_at === undefined ? {} : activatedRange(q.activated_at)),
      ...(q.serial_number === undefined ? {} : { serialNumber: q.serial_number }),
      ...(q.extended_id === undefined ? {} : { extendedId: q.extended_id }),
    };
    return { document: presentDocument(await exports.request(principalOf(request), filters)) };
  });

  app.get('/api/v2/documents/:key/', {
    config: { permission: 'codes_view' },
    schema: { operationId: 'documents_get', tags, summary: 'A document: pending, in-progress, complete or failed (needs codes_view).', params: KeyParams, response: { 200: ref('Document'), ...authErrors, 404: ref('Error') } },
  }, async (request) => presentDocument(await exports.get(principalOf(request), request.params.key)));

  app.get('/api/v2/documents/:key/get-download-link/', {
    config: { permission: 'codes_view' },
    schema: {
      operationId: 'documents_download_link',
      tags,
      summary: 'A link that downloads the complete document without credentials, valid for 30 minutes (needs codes_view).',
      params: KeyParams,
      response: { 200: ref('DownloadLink'), 400: ref('FieldErrors'), ...authErrors, 404: ref('Error') },
    },
  }, async (request) => exports.downloadLink(principalOf(request), request.params.key));

  app.get('/api/v2/documents/:key/file/', {
    config: { public: true },
    schema: {
      operationId: 'documents_file',
      tags,
      security: [],
      summary: 'The document itself, through a signed link from get-download-link (no credentials: the link is one).',
      params: KeyParams,
      querystring: LinkQuery,
      response: {
        200: { description: 'The CSV file.', content: { 'text/csv': { schema: { type: 'string' } } } },
        403: ref('Error'), 404: ref('Error') },
    },
  }, async (request, reply) => {
    const file = await exports.openByLink(request.params.key, request.query.expires, request.query.signature);
    if (!file) throw AppError.forbidden('This download link is invalid or has expired; ask for a new one.');
    return reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Length', String(file.size))
      .header('Content-Disposition', `attachment; filename="${file.fileName}"`).header('Cache-Control', 'private, no-store')
      .send(file.stream as never);
  });
};

/** `activated_at`: a date (that whole day), a date-time, or "from,to" with either end open; as stored timestamps. */
function activatedRange(text: string): Pick<CodeExportFilters, 'activatedFrom' | 'activatedTo'> {
  const { from, to } = timestampRange('activated_at', text);
  return { ...(from ? { activatedFrom: from } : {}), ...(to ? { activatedTo: to } : {}) };
}
