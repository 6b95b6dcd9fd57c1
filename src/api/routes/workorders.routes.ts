import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Permission } from '../../domain/auth/permissions.js';
import type { WorkorderService } from '../../domain/workorders/workorder.service.js';
import type { WorkorderView } from '../../domain/workorders/workorder.types.js';
import { parseRange } from '../byte-range.js';
import { pageOf, paginate } from '../pagination.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentWorkorder } from '../presenters/workorder.presenter.js';
import { IdParams } from '../schemas/common.schemas.js';
import { authErrors, ref } from '../schemas/components.schemas.js';
import {
  ConfirmBody, CreateSgBody, CreateSidBody, ListQuery, UpdateBody,
} from '../schemas/workorder.schemas.js';

const tags = ['workorders'];
const Binary = { type: 'string', format: 'binary' } as const;
const errors = { 400: ref('FieldErrors'), ...authErrors, 404: ref('Error') };
const one = { 200: ref('WorkOrder'), ...errors };
/** A create answers 201 only (and cannot be a 404: it names no order). */
const created = { 201: ref('WorkOrder'), 400: ref('FieldErrors'), ...authErrors };

export const workorderRoutes = (deps: { workorders: WorkorderService; publicUrl: string }): FastifyPluginAsyncTypebox => async (app) => {
  const { workorders, publicUrl } = deps;
  const present = (view: WorkorderView) => presentWorkorder(view, publicUrl);

  app.get('/api/v2/workorders/', {
    config: { permission: 'workorder_view' },
    schema: {
      operationId: 'workorders_list',
      tags,
      summary: 'Work orders visible to the caller, newest first (needs workorder_view).',
      querystring: ListQuery,
      response: { 200: ref('WorkOrderPage'), 400: ref('FieldErrors'), ...authErrors },
    },
  }, async (request) => {
    const q = request.query;
    const page = pageOf(q);
    const { count, views } = await workorders.list(principalOf(request), {
      isArchived: q.is_archived === undefined ? false : ['1', 'true', 'True'].includes(q.is_archived),
      search: q.search?.replace(/\0/g, ''), // a NUL would end SQLite's LIKE pattern early
      state: q.state,
      codegenStatus: q.codegen_status,
      printingPartner: q.printing_partner,
    }, page);
    return paginate(request, publicUrl, page, count, views.map(present));
  });

  app.post('/api/v2/workorders/create-sg/', {
    config: { permission: 'workorder_create' },
    schema: {
      operationId: 'workorders_create_sg',
      tags,
      summary: 'Create an SSC (secure graphic) work order; the printing partner confirms it next (needs workorder_create).',
      body: CreateSgBody,
      response: created,
    },
  }, async (request, reply) => reply.status(201).send(present(await workorders.createSg(principalOf(request), request.body))));

  app.post('/api/v2/workorders/create-sid/', {
    config: { permission: 'workorder_create' },
    schema: {
      operationId: 'workorders_create_sid',
      tags,
      summary: 'Create a SID work order (QR only); generation starts at once (needs workorder_create).',
      body: CreateSidBody,
      response: created,
    },
  }, async (request, reply) => reply.status(201).send(present(await workorders.createSid(principalOf(request), request.body))));

  app.get('/api/v2/workorders/:id/', {
    config: { permission: 'workorder_view' },
    schema: { operationId: 'workorders_get', tags, summary: 'One work order (needs workorder_view).', params: IdParams, response: one },
  }, async (request) => present(await workorders.get(principalOf(request), request.params.id)));

  app.patch('/api/v2/workorders/:id/', {
    config: { permission: 'workorder_edit' },
    schema: {
      operationId: 'workorders_update',
      tags,
      summary: 'Edit a work order while it is new and unconfirmed (brand owner; needs workorder_edit).',
      params: IdParams,
      body: UpdateBody,
      response: one,
    },
  }, async (request) => present(await workorders.update(principalOf(request), request.params.id, request.body)));

  app.delete('/api/v2/workorders/:id/', {
    config: { permission: 'workorder_delete' },
    schema: {
      operationId: 'workorders_delete',
      tags,
      summary: 'Delete a work order while it is new and unconfirmed (brand owner; needs workorder_delete).',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted.' }), ...errors },
    },
  }, async (request, reply) => {
    await workorders.delete(principalOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.patch('/api/v2/workorders/:id/printer-confirm/', {
    config: { permission: 'workorder_edit' },
    schema: {
      operationId: 'workorders_printer_confirm',
      tags,
      summary: 'Printing partner confirms equipment and calibrated substrate; generation is enqueued (needs workorder_edit).',
      params: IdParams,
      body: ConfirmBody,
      response: one,
    },
  }, async (request) => present(await workorders.confirm(principalOf(request), request.params.id, request.body)));

  const action = (path: string, permission: Permission, summary: string, run: (id: number, request: Parameters<typeof principalOf>[0]) => Promise<WorkorderView>) =>
    app.post(`/api/v2/workorders/:id/${path}/`, {
      config: { permission },
      schema: { operationId: `workorders_${path.replace('-', '_')}`, tags, summary, params: IdParams, response: one },
    }, async (request) => present(await run(request.params.id, request)));

  action('cancel', 'workorder_cancel', 'Cancel a work order that is not printed yet; its codes are blacklisted (reason 9) (needs workorder_cancel).',
    (id, request) => workorders.cancel(principalOf(request), id));
  action('archive', 'workorder_archive', 'Archive a work order (needs workorder_archive).', (id, request) => workorders.setArchived(principalOf(request), id, true));
  action('unarchive', 'workorder_archive', 'Unarchive a work order (needs workorder_archive).', (id, request) => workorders.setArchived(principalOf(request), id, false));
  action('printed', 'workorder_edit', 'Assigned printing partner marks a "ready to print" order printed (needs workorder_edit).',
    (id, request) => workorders.markPrinted(principalOf(request), id));
  action('complete', 'workorder_edit', 'Platform staff complete a printed order; activate_on_complete activates its codes (needs workorder_edit).',
    (id, request) => workorders.complete(principalOf(request), id));
  action('retry-generation', 'workorder_edit', 'Platform staff run a failed generation (codegen_status 5) again, once its cause is fixed; '
    + 'stored codes are kept (Sigil\'s addition; needs workorder_edit).', (id, request) => workorders.retryGeneration(principalOf(request), id));

  app.get('/api/v2/workorders/:id/download/', {
    config: { permission: 'workorder_view' },
    schema: {
      operationId: 'workorders_download',
      tags,
      summary: 'Download the generated zip (codes.csv, manifest.json, images/). SSC needs workorder_download, SID workorder_sid_download. '
        + 'HEAD gives the headers only; one byte range (Range: bytes=a-b) is answered with 206. The whole archive\'s SHA-256 comes in '
        + '`Repr-Digest` (RFC 9530) and `X-Checksum-SHA256` (hex), as in the order\'s `codegen_file_sha256`.',
      params: IdParams,
      response: {
        200: { description: 'The zip archive.', content: { 'application/zip': { schema: Binary } } },
        206: { description: 'The requested byte range of the zip archive (Content-Range).', content: { 'application/zip': { schema: Binary } } },
        ...authErrors, 404: ref('Error'), 410: ref('Error'), 416: ref('Error'),
      },
    },
  }, async (request, reply) => {
    const archive = await workorders.archiveDownload(principalOf(request), request.params.id);
    reply.header('Accept-Ranges', 'bytes').header('ETag', archive.etag);
    if (archive.sha256) {
      // The whole archive's digest (also on a 206): RFC 9530's field, and the hex form `sha256sum -c` takes.
      reply.header('Repr-Digest', `sha-256=:${Buffer.from(archive.sha256, 'hex').toString('base64')}:`).header('X-Checksum-SHA256', archive.sha256);
    }
    const range = parseRange(request.headers.range, archive.size);
    if (range.kind === 'unsatisfiable') {
      return reply.status(416).header('Content-Range', `bytes */${archive.size}`)
        .send({ detail: `The requested range is not within the archive's ${archive.size} bytes.` });
    }
    reply.header('Content-Type', 'application/zip').header('Content-Disposition', `attachment; filename="${archive.fileName}"`);
    const part = range.kind === 'part' ? { start: range.start, end: range.end } : undefined;
    reply.header('Content-Length', String(part ? part.end - part.start + 1 : archive.size));
    if (part) reply.status(206).header('Content-Range', `bytes ${part.start}-${part.end}/${archive.size}`);
    // An empty stream keeps the Content-Length above (a string body would replace it); HEAD sends no body anyway.
    if (request.method === 'HEAD') return reply.send(Readable.from([]) as never);
    return reply.send(await archive.open(part) as never);
  });

  app.get('/api/v2/workorders/:id/serial-numbers/', {
    config: { permission: 'workorder_view' },
    schema: {
      operationId: 'workorders_serial_numbers',
      tags,
      summary: 'CSV of extended_id,serial_number for a generated order (same permission as the download).',
      params: IdParams,
      response: { 200: { description: 'extended_id,serial_number lines.', content: { 'text/csv': { schema: { type: 'string' } } } }, ...authErrors, 404: ref('Error') },
    },
  }, async (request, reply) => {
    const rows = await workorders.serialNumbers(principalOf(request), request.params.id);
    async function* csv() {
      yield 'extended_id,serial_number\n';
      for await (const row of rows) yield `${row.extendedId},${row.serialNumber ?? ''}\n`;
    }
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="workorder_${request.params.id}_serial_numbers.csv"`)
      .send(Readable.from(csv()) as never);
  });
};
