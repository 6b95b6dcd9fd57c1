import type { TestApp } from './test-app.js';
import { toReply, type Reply } from './test-app.js';

/** A phone opening a code's URL, through the real Fastify instance. */
export async function scanCode(t: TestApp, extendedId: string, options: {
  method?: 'GET' | 'HEAD';
  prefix?: string;
  language?: string;
  userAgent?: string;
  remoteAddress?: string;
} = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)' };
  if (options.language !== undefined) headers['accept-language'] = options.language;
  const response = await t.app.inject({
    method: options.method ?? 'GET',
    url: `${options.prefix ?? '/q/'}${extendedId}`,
    headers,
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  });
  return toReply(response);
}

/** The extended IDs of an order's codes, in sequence order. */
export async function extendedIdsOf(t: TestApp, workorderId: number): Promise<string[]> {
  const rows = await t.container.db.selectFrom('codes').select('extended_id').where('workorder_id', '=', workorderId)
    .orderBy('sequence_number').execute();
  return rows.map((r) => r.extended_id);
}

/** Writes the buffered scans, then returns the scan rows of one code, oldest first. */
export async function scansOf(t: TestApp, extendedId: string) {
  await t.container.scans.flush();
  return t.container.db.selectFrom('scans').innerJoin('codes', 'codes.id', 'scans.code_id').selectAll('scans')
    .where('codes.extended_id', '=', extendedId).orderBy('scans.id').execute();
}

/** A code's row (status and scan counters). */
export async function codeRow(t: TestApp, extendedId: string) {
  await t.container.scans.flush();
  return t.container.db.selectFrom('codes').selectAll().where('extended_id', '=', extendedId).executeTakeFirstOrThrow();
}
