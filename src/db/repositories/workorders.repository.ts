import { CompiledQuery, sql, type SelectQueryBuilder, type UpdateObject } from 'kysely';
import { compiledSql } from '../compiled-sql.js';
import type { Database, Executor } from '../database.js';
import { plainWideRows, type WideRows } from '../wide-rows.js';
import type { NewWorkorderRow, WorkorderRow } from '../tables/workorders.table.js';

/** Which orders a caller may see (tenancy): by owner company, by assigned partner, or all (platform). */
export interface WorkorderScope {
  companyId?: number;
  printingPartnerId?: number;
}

export interface WorkorderFilters {
  /** Filters on the caller's own archive flag (`archiveScope`). */
  isArchived?: boolean;
  archiveScope: ArchiveScope;
  search?: string;
  state?: string;
  codegenStatus?: number;
  printingPartnerId?: number;
}

/** Whose archive flag: the brand owner's side (owner and platform staff) or the printing partner's. */
export type ArchiveScope = 'owner' | 'partner';

export const archiveColumn = (scope: ArchiveScope): 'is_archived' | 'partner_is_archived' =>
  scope === 'partner' ? 'partner_is_archived' : 'is_archived';

export const insertWorkorder = (db: Executor, row: NewWorkorderRow) =>
  db.insertInto('workorders').values(row).returningAll().executeTakeFirstOrThrow();

/**
 * The columns the API's work-order object is made of (the list and the detail read only these: decoding
 * a row costs per column, and an order has ≈ 50, plans and archive bookkeeping included).
 */
export const WORKORDER_VIEW_COLUMNS = [
  'id', 'company_id', 'kind', 'brand_id', 'product_id', 'template_id', 'printing_partner_id', 'equipment_id', 'substrate_id',
  'custom_layout_id', 'reference', 'remarks', 'state', 'codegen_status', 'quantity', 'code_layout', 'use_serial_number',
  'static_unique_codes_quantity', 'static_impositions', 'is_hybrid', 'is_static_print', 'is_fp_serialized', 'template_image',
  'activate_on_complete', 'url_prefix', 'extended_id_style', 'partner_permissions', 'has_secure_workflow', 'external_id',
  'due_date', 'is_archived', 'partner_is_archived', 'is_fingerprint_trained', 'creation_date', 'date_codes_completed',
  'printed_date', 'completed_date', 'canceled_date', 'codes_generated', 'images_rendered', 'archive_key', 'codegen_error',
] as const satisfies ReadonlyArray<keyof WorkorderRow>;

/** What the API shows of an order (a full {@link WorkorderRow} is one too). */
export type WorkorderViewRow = Pick<WorkorderRow, (typeof WORKORDER_VIEW_COLUMNS)[number]>;

/** An order as the API shows it, if the scope may see it: the detail endpoint's read (compiled once per scope shape). */
export async function findWorkorderViewById(
  db: Executor, id: number, scope: WorkorderScope = {}, wideRows: WideRows = plainWideRows,
): Promise<WorkorderViewRow | undefined> {
  const conditions = scopeConditions(scope);
  const text = compiledSql(db, `workorder-view-by-id:${portKey(wideRows)}:${shapeOf(conditions)}`, () => conditions.reduce(
    (query, c) => query.where(c.column, '=', c.value),
    db.selectFrom('workorders').select(wideRows.select(WORKORDER_VIEW_COLUMNS) as typeof WORKORDER_VIEW_COLUMNS).where('id', '=', id),
  ));
  const result = await db.executeQuery(CompiledQuery.raw(text, [id, ...conditions.map((c) => c.value)]));
  return wideRows.decode<WorkorderViewRow>(result.rows, WORKORDER_VIEW_COLUMNS)[0];
}

/** The SQL of a read through a {@link WideRows} port depends on the port. */
const portKey = (wideRows: WideRows) => (wideRows === plainWideRows ? 'plain' : 'wide');

export function findWorkorderById(db: Executor, id: number, scope: WorkorderScope = {}): Promise<WorkorderRow | undefined> {
  let query = db.selectFrom('workorders').selectAll().where('id', '=', id);
  if (scope.companyId !== undefined) query = query.where('company_id', '=', scope.companyId);
  if (scope.printingPartnerId !== undefined) query = query.where('printing_partner_id', '=', scope.printingPartnerId);
  return query.executeTakeFirst();
}

export const findWorkorderByReference = (db: Executor, companyId: number, reference: string) =>
  db.selectFrom('workorders').select('id').where('company_id', '=', companyId).where('reference', '=', reference)
    .executeTakeFirst();

/** Conditions an update requires of the row; each given one must hold. */
export interface WorkorderGuard {
  states?: readonly string[];
  codegenStatuses?: readonly number[];
  printingPartnerId?: number;
  /** Optimistic concurrency: the row is unchanged since it was read. */
  updatedDate?: string;
  /** Generation is not planned yet (a twin plan run has not won). */
  planUnset?: true;
}

/**
 * Updates an order only if the guard holds: what makes state transitions race-free. Returns the new
 * row, or undefined when the guard did not match.
 */
export function updateWorkorderGuarded(
  db: Executor,
  id: number,
  guard: WorkorderGuard,
  changes: UpdateObject<Database, 'workorders'>,
): Promise<WorkorderRow | undefined> {
  let query = db.updateTable('workorders').set(changes).where('id', '=', id);
  if (guard.states) query = query.where('state', 'in', guard.states);
  if (guard.codegenStatuses) query = query.where('codegen_status', 'in', guard.codegenStatuses);
  if (guard.printingPartnerId !== undefined) query = query.where('printing_partner_id', '=', guard.printingPartnerId);
  if (guard.updatedDate !== undefined) query = query.where('updated_date', '=', guard.updatedDate);
  if (guard.planUnset) query = query.where('generation_plan', 'is', null);
  return query.returningAll().executeTakeFirst();
}

/** Marks as failed (5) those of `ids` still shown as generating (6); returns how many. */
export async function failGeneratingOrders(db: Executor, ids: readonly number[], message: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.updateTable('workorders')
    .set({ codegen_status: 5, codegen_error: message })
    .where('codegen_status', '=', 6)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteWorkorder(db: Executor, id: number, guard: { states: readonly string[]; codegenStatuses: readonly number[] }): Promise<boolean> {
  const result = await db.deleteFrom('workorders').where('id', '=', id)
    .where('state', 'in', guard.states).where('codegen_status', 'in', guard.codegenStatuses).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** One `column = value` condition of a list or lookup; the SQL text depends only on which columns are compared. */
interface Condition {
  column: 'company_id' | 'printing_partner_id' | 'is_archived' | 'partner_is_archived' | 'state' | 'codegen_status';
  value: string | number;
}

const scopeConditions = (scope: WorkorderScope): Condition[] => [
  ...(scope.companyId !== undefined ? [{ column: 'company_id', value: scope.companyId } as const] : []),
  ...(scope.printingPartnerId !== undefined ? [{ column: 'printing_partner_id', value: scope.printingPartnerId } as const] : []),
];

const shapeOf = (conditions: readonly Condition[]) => conditions.map((c) => c.column).join(',');

/**
 * A page of the orders a scope may see, newest first, and how many there are. Both statements are built
 * and compiled once per shape (which filters are present), then only bound: building a Kysely query costs
 * tens of microseconds, as much as SQLite takes to run the count.
 */
export async function listWorkorders(
  db: Executor, scope: WorkorderScope, filters: WorkorderFilters, page: { limit: number; offset: number },
  wideRows: WideRows = plainWideRows,
): Promise<{ count: number; rows: WorkorderViewRow[] }> {
  const conditions = scopeConditions(scope);
  if (filters.isArchived !== undefined) conditions.push({ column: archiveColumn(filters.archiveScope), value: filters.isArchived ? 1 : 0 });
  if (filters.state !== undefined) conditions.push({ column: 'state', value: filters.state });
  if (filters.codegenStatus !== undefined) conditions.push({ column: 'codegen_status', value: filters.codegenStatus });
  if (filters.printingPartnerId !== undefined) conditions.push({ column: 'printing_partner_id', value: filters.printingPartnerId });
  const parameters: unknown[] = conditions.map((c) => c.value);
  let pattern: string | undefined;
  if (filters.search !== undefined && filters.search !== '') {
    pattern = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parameters.push(pattern, pattern);
  }
  const base = () => {
    let query: SelectQueryBuilder<Database, 'workorders', object> = db.selectFrom('workorders');
    for (const c of conditions) query = query.where(c.column, '=', c.value);
    // lower() on both sides: case-insensitive on every engine (SQLite's LIKE already is, PostgreSQL's is not).
    if (pattern !== undefined) query = query.where(sql<boolean>`(lower(reference) LIKE lower(${pattern}) ESCAPE '\\' OR lower(remarks) LIKE lower(${pattern}) ESCAPE '\\')`);
    return query;
  };
  const shape = `${shapeOf(conditions)}${pattern === undefined ? '' : '+search'}`;
  const countText = compiledSql(db, `workorders-count:${shape}`, () => base().select((eb) => eb.fn.countAll<number>().as('count')));
  // The page's rows are the widest read of the API: the dialect decides how they travel (wide-rows.ts).
  // The shape key is per port too (its SQL differs), though one process only ever uses one.
  const pageText = compiledSql(db, `workorders-page:${portKey(wideRows)}:${shape}`, () => base()
    .select(wideRows.select(WORKORDER_VIEW_COLUMNS) as typeof WORKORDER_VIEW_COLUMNS).orderBy('id', 'desc')
    .limit(page.limit).offset(page.offset));
  const [counted, rows] = await Promise.all([
    db.executeQuery<{ count: number | string | bigint }>(CompiledQuery.raw(countText, parameters)),
    db.executeQuery(CompiledQuery.raw(pageText, [...parameters, page.limit, page.offset])),
  ]);
  return { count: Number(counted.rows[0]!.count), rows: wideRows.decode<WorkorderViewRow>(rows.rows, WORKORDER_VIEW_COLUMNS) };
}

/**
 * Adds a batch's progress to an order that is still generating (the guard: a canceled order takes no
 * more); returns the counters after the update, or undefined when the order no longer generates.
 */
export function addGenerationProgress(
  db: Executor, id: number, progress: { codes?: number; images?: number; batches?: number },
): Promise<{ batches_done: number; batch_count: number | null } | undefined> {
  return db.updateTable('workorders')
    .set((eb) => ({
      codes_generated: eb('codes_generated', '+', progress.codes ?? 0),
      images_rendered: eb('images_rendered', '+', progress.images ?? 0),
      batches_done: eb('batches_done', '+', progress.batches ?? 0),
    }))
    .where('id', '=', id).where('codegen_status', '=', 6)
    .returning(['batches_done', 'batch_count'])
    .executeTakeFirst();
}
