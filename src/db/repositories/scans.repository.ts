import { CompiledQuery } from 'kysely';
import { compiledSql } from '../compiled-sql.js';
import type { Executor } from '../database.js';
import type { MaxScanAction } from '../tables/companies.table.js';
import type { NewScanRow } from '../tables/scans.table.js';

/** Everything a resolver scan needs about a code, its order, product, brand and brand owner: one indexed lookup. */
export interface CodeForScan {
  code_id: number;
  extended_id: string;
  serial_number: string | null;
  activation_status: number;
  blacklist_reason: number;
  scan_count: number;
  first_scan_date: string | null;
  workorder_id: number;
  workorder_state: string;
  company_id: number;
  company_name: string;
  landing_url: string | null;
  company_max_scan_count: number | null;
  company_max_scan_action: MaxScanAction | null;
  product_id: number | null;
  product_name: string | null;
  client_url: string | null;
  product_max_scan_count: number | null;
  product_max_scan_action: MaxScanAction | null;
  brand_name: string | null;
}

/** A code joined with its order, brand owner, product and brand: what scans and landing pages need to know of it. */
export function selectCodeContext(db: Executor) {
  return db.selectFrom('codes as c')
    .innerJoin('workorders as w', 'w.id', 'c.workorder_id')
    .innerJoin('companies as co', 'co.id', 'w.company_id')
    .leftJoin('products as p', 'p.id', 'w.product_id')
    .leftJoin('brands as b', (join) => join.on((eb) => eb('b.id', '=', eb.fn.coalesce('w.brand_id', 'p.brand_id'))));
}

/** The columns of {@link CodeForScan}, from {@link selectCodeContext}. */
export const CODE_FOR_SCAN_COLUMNS = [
  'c.id as code_id', 'c.extended_id', 'c.serial_number', 'c.activation_status', 'c.blacklist_reason', 'c.scan_count',
  'c.first_scan_date', 'c.workorder_id', 'w.state as workorder_state', 'w.company_id', 'co.name as company_name',
  'co.landing_url', 'co.max_scan_count as company_max_scan_count', 'co.max_scan_action as company_max_scan_action',
  'w.product_id', 'p.name as product_name', 'p.client_url', 'p.max_scan_count as product_max_scan_count',
  'p.max_scan_action as product_max_scan_action', 'b.name as brand_name',
] as const;

/** The resolver's lookup: one probe of the extended-ID index, then primary keys. */
export async function findCodeForScan(db: Executor, extendedId: string): Promise<CodeForScan | undefined> {
  const text = compiledSql(db, 'find-code-for-scan', () => selectCodeContext(db).select(CODE_FOR_SCAN_COLUMNS)
    .where('c.extended_id', '=', extendedId));
  const result = await db.executeQuery<CodeForScan>(CompiledQuery.raw(text, [extendedId]));
  return result.rows[0];
}

/** Columns of a scan row, in parameter order. */
const SCAN_COLUMNS = [
  'id', 'code_id', 'workorder_id', 'company_id', 'product_id', 'scan_date', 'scan_number', 'activation_status',
  'blacklist_reason', 'flags', 'user_agent', 'accept_language', 'client_network',
] as const satisfies ReadonlyArray<keyof NewScanRow>;

/**
 * Rows per INSERT statement, largest first: a flush of any size is a few statements of these sizes, so
 * only five SQL texts are ever compiled and prepared (13 parameters a row, under every engine's limit).
 */
const SCAN_INSERT_SIZES = [500, 100, 20, 5, 1] as const;

export async function insertScans(db: Executor, rows: readonly NewScanRow[]): Promise<void> {
  let at = 0;
  for (const size of SCAN_INSERT_SIZES) {
    for (; rows.length - at >= size; at += size) {
      const text = compiledSql(db, `insert-scans:${size}`, () => db.insertInto('scans')
        .values(Array.from({ length: size }, () => Object.fromEntries(SCAN_COLUMNS.map((c) => [c, 0])) as unknown as NewScanRow)));
      const parameters: unknown[] = [];
      for (let i = at; i < at + size; i++) {
        const row = rows[i]!;
        for (const column of SCAN_COLUMNS) parameters.push(row[column] ?? null);
      }
      await db.executeQuery(CompiledQuery.raw(text, parameters));
    }
  }
}

/** Scans of one code written in one flush. */
export interface ScanCount {
  codeId: number;
  scans: number;
  firstDate: string;
  lastDate: string;
}

/**
 * One statement per flush on SQLite: the counts travel as one JSON array of `[id, scans, first, last]`
 * and `json_each` turns it back into rows, each finding its code by primary key (measured 1.9× the
 * speed of one UPDATE per code with 20 000 codes).
 */
const ADD_SCAN_COUNTS_JSON = `update codes set scan_count = codes.scan_count + s.scans,
    first_scan_date = coalesce(codes.first_scan_date, s.first_date),
    last_scan_date = max(coalesce(codes.last_scan_date, ''), s.last_date)
  from (select value ->> 0 as id, value ->> 1 as scans, value ->> 2 as first_date, value ->> 3 as last_date from json_each(?)) as s
  where codes.id = s.id`;

export async function addScanCountsFromJson(db: Executor, counts: readonly ScanCount[]): Promise<void> {
  if (counts.length === 0) return;
  const json = JSON.stringify(counts.map((c) => [c.codeId, c.scans, c.firstDate, c.lastDate]));
  await db.executeQuery(CompiledQuery.raw(ADD_SCAN_COUNTS_JSON, [json]));
}

/** Reason 10, "Maximum Scan Count Exceeded", for codes past their limit whose owner chose to blacklist them. */
export async function blacklistOverScanLimit(db: Executor, codeIds: readonly number[], reason: number, blacklisted: number): Promise<void> {
  if (codeIds.length === 0) return;
  await db.updateTable('codes').set({ activation_status: blacklisted, blacklist_reason: reason })
    .where('id', 'in', codeIds).where('activation_status', '<>', blacklisted).execute();
}
