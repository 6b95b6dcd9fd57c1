import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ScanCursor, ScanFilters } from '../../db/repositories/scan-data.repository.js';
import type { ScanDataService } from '../../domain/scans/scan-data.service.js';
import { FLAGS } from '../../domain/scans/resolver.service.js';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import { timestampBound } from '../date-filters.js';
import { pageOf, paginate } from '../pagination.js';
import { principalOf } from '../plugins/auth.plugin.js';
import { presentScan } from '../presenters/scan.presenter.js';
import { authErrors, ref } from '../schemas/components.schemas.js';
import { ScanDataQuery } from '../schemas/scan-data.schemas.js';

/** `GET /api/v2/dashboard/scans/` (and the reference's other spelling, `/dashboards/scans/`). */
export const scanDataRoutes = (deps: { scans: ScanDataService; clock: Clock; publicUrl: string }): FastifyPluginAsyncTypebox => async (app) => {
  const { scans, clock, publicUrl } = deps;
  for (const path of ['/api/v2/dashboard/scans/', '/api/v2/dashboards/scans/']) {
    app.get(path, {
      config: { permission: 'scans_download' },
      schema: {
        operationId: path.includes('dashboards') ? 'scans_list_dashboards' : 'scans_list',
        tags: ['scans'],
        summary: 'Scans of your codes, newest first; offset pages, or page_mode=cursor for exports (needs scans_download).',
        hide: path.includes('dashboards'),
        querystring: ScanDataQuery,
        response: { 200: ref('ScanPage'), 400: ref('FieldErrors'), ...authErrors },
      },
    }, async (request) => {
      const q = request.query;
      const filters: ScanFilters = {
        ...timeBounds(q, clock.now()),
        ...(q.product === undefined ? {} : { productId: q.product }),
        ...(q.workorder === undefined ? {} : { workorderId: q.workorder }),
        ...(q.activation_status === undefined ? {} : { activationStatus: q.activation_status }),
        ...(q.flags === undefined ? {} : { flags: flagsOf(q.flags) }),
      };
      const page = pageOf(q);
      if (q.page_mode === 'cursor') {
        if (q.offset !== undefined) throw AppError.field('offset', 'Cursor pages have no offset: follow `next`.');
        const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
        const result = await scans.cursorPage(principalOf(request), filters, { limit: page.limit, ...(after ? { after } : {}) });
        let next: string | null = null;
        if (result.next) {
          const url = new URL(request.url, `${publicUrl}/`);
          url.searchParams.set('cursor', encodeCursor(result.next));
          next = `${publicUrl}${url.pathname}${url.search}`;
        }
        return { next, previous: null, results: result.records.map(presentScan) };
      }
      if (q.cursor !== undefined) throw AppError.field('cursor', 'A cursor needs page_mode=cursor.');
      const result = await scans.page(principalOf(request), filters, page);
      return paginate(request, publicUrl, page, result.count, result.records.map(presentScan));
    });
  }
};

const UNIT_DAYS = { d: 1, w: 7 } as const;

/** date_from / date_to, and timeframe (the last N years, months, weeks or days; "-1y" as older pages write it). */
function timeBounds(q: { date_from?: string; date_to?: string; timeframe?: string }, now: Date): Pick<ScanFilters, 'from' | 'to'> {
  let from = q.date_from === undefined ? undefined : timestampBound('date_from', q.date_from, false);
  const to = q.date_to === undefined ? undefined : timestampBound('date_to', q.date_to, true);
  if (q.timeframe !== undefined) {
    const match = /^-?(\d+)([ymwd])$/.exec(q.timeframe)!;
    const n = Number(match[1]);
    const start = new Date(now);
    const unit = match[2] as 'y' | 'm' | 'w' | 'd';
    if (unit === 'y') start.setUTCFullYear(start.getUTCFullYear() - n);
    else if (unit === 'm') start.setUTCMonth(start.getUTCMonth() - n);
    else start.setUTCDate(start.getUTCDate() - n * UNIT_DAYS[unit]);
    const since = `${start.toISOString().slice(0, 23)}000Z`;
    if (from === undefined || since > from) from = since;
  }
  if (from !== undefined && to !== undefined && from > to) throw AppError.field('date_to', 'date_to is before date_from.');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function flagsOf(text: string): string[] {
  const flags = text.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = flags.filter((f) => !(FLAGS as readonly string[]).includes(f));
  if (unknown.length > 0 || flags.length === 0) throw AppError.field('flags', `Unknown flag(s): ${unknown.join(', ') || '(none given)'}; known: ${FLAGS.join(', ')}.`);
  return flags;
}

function encodeCursor(cursor: ScanCursor): string {
  return Buffer.from(JSON.stringify([cursor.scanDate, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): ScanCursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string'
      && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value[0]) && /^[0-9A-Z]{26}$/.test(value[1])) {
      return { scanDate: value[0], id: value[1] };
    }
  } catch {
    // reported below
  }
  throw AppError.field('cursor', 'Invalid cursor.');
}
