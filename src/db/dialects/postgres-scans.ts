import { CompiledQuery } from 'kysely';
import type { Executor } from '../database.js';
import type { ScanCount } from '../repositories/scans.repository.js';

/** One statement per flush: each column travels as one array, instead of one round trip per code. */
const UNNEST_ADD_SCAN_COUNTS = `update codes set scan_count = codes.scan_count + s.scans,
    first_scan_date = coalesce(codes.first_scan_date, s.first_date),
    last_scan_date = greatest(codes.last_scan_date, s.last_date)
  from unnest($1::bigint[], $2::int[], $3::timestamptz[], $4::timestamptz[]) as s(id, scans, first_date, last_date)
  where codes.id = s.id`;

export async function addScanCountsByUnnest(db: Executor, counts: readonly ScanCount[]): Promise<void> {
  if (counts.length === 0) return;
  // Ascending ids: concurrent flushes of two processes lock shared codes in the same order.
  const sorted = [...counts].sort((a, b) => a.codeId - b.codeId);
  await db.executeQuery(CompiledQuery.raw(UNNEST_ADD_SCAN_COUNTS, [
    sorted.map((c) => c.codeId), sorted.map((c) => c.scans), sorted.map((c) => c.firstDate), sorted.map((c) => c.lastDate),
  ]));
}
