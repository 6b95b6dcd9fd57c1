import { CompiledQuery, sql, type SelectQueryBuilder } from 'kysely';
import { compiledSql } from '../compiled-sql.js';
import type { Executor } from '../database.js';
import type { BrandRow, EquipmentRow, ProductRow, SubstrateRow } from '../tables/catalog.table.js';
import type { CompanyRow } from '../tables/companies.table.js';
import type { WorkorderRow } from '../tables/workorders.table.js';
import { plainWideRows, type WideRows, type WideColumn } from '../wide-rows.js';
import type { WorkorderFilters, WorkorderScope } from './workorders.repository.js';
import { archiveColumn } from './workorders.repository.js';

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
  'printed_date', 'completed_date', 'canceled_date', 'codes_generated', 'images_rendered', 'archive_key', 'archive_sha256',
  'archive_removed_date', 'codegen_error',
] as const satisfies ReadonlyArray<keyof WorkorderRow>;

/** What the API shows of an order (a full {@link WorkorderRow} is one too). */
export type WorkorderViewRow = Pick<WorkorderRow, (typeof WORKORDER_VIEW_COLUMNS)[number]>;

/** What the order's nested objects show of each table. */
const COMPANY_COLUMNS = [
  'id', 'uuid', 'name', 'slug', 'company_type', 'address', 'country', 'city', 'website', 'creation_date',
  'has_secure_workflow', 'serial_number_format', 'is_validated',
] as const satisfies ReadonlyArray<keyof CompanyRow>;
const EQUIPMENT_COLUMNS = ['id', 'name', 'description', 'dpi', 'company_id'] as const satisfies ReadonlyArray<keyof EquipmentRow>;
const SUBSTRATE_COLUMNS = ['id', 'name', 'description'] as const satisfies ReadonlyArray<keyof SubstrateRow>;
const PRODUCT_COLUMNS = [
  'id', 'sku', 'name', 'description', 'creation_date', 'is_archived', 'client_url',
] as const satisfies ReadonlyArray<keyof ProductRow>;
const BRAND_COLUMNS = ['id', 'name', 'reference'] as const satisfies ReadonlyArray<keyof BrandRow>;

export type CompanySummary = Pick<CompanyRow, (typeof COMPANY_COLUMNS)[number]>;
export type EquipmentSummary = Pick<EquipmentRow, (typeof EQUIPMENT_COLUMNS)[number]>;
export type SubstrateSummary = Pick<SubstrateRow, (typeof SUBSTRATE_COLUMNS)[number]>;
export type ProductSummary = Pick<ProductRow, (typeof PRODUCT_COLUMNS)[number]>;
export type BrandSummary = Pick<BrandRow, (typeof BRAND_COLUMNS)[number]>;

/** An order's row and the rows its object nests (absent where the order has none), from one statement. */
export interface WorkorderViewRecord {
  row: WorkorderViewRow;
  company: CompanySummary | undefined;
  printingPartner: CompanySummary | undefined;
  equipment: EquipmentSummary | undefined;
  substrate: SubstrateSummary | undefined;
  product: ProductSummary | undefined;
  brand: BrandSummary | undefined;
}

/** Each nested object: the alias its table is joined under and the columns read from it. */
const NESTED = [
  { field: 'company', alias: 'co', columns: COMPANY_COLUMNS },
  { field: 'printingPartner', alias: 'pp', columns: COMPANY_COLUMNS },
  { field: 'equipment', alias: 'eq', columns: EQUIPMENT_COLUMNS },
  { field: 'substrate', alias: 'su', columns: SUBSTRATE_COLUMNS },
  { field: 'product', alias: 'pr', columns: PRODUCT_COLUMNS },
  { field: 'brand', alias: 'br', columns: BRAND_COLUMNS },
] as const;

/** The SELECT list: the order's columns under their names, each nested column as `<alias>_<column>`. */
const VIEW_SELECT: readonly WideColumn[] = [
  ...WORKORDER_VIEW_COLUMNS.map((column) => ({ ref: `w.${column}`, key: column })),
  ...NESTED.flatMap(({ alias, columns }) => columns.map((column) => ({ ref: `${alias}.${column}`, key: `${alias}_${column}` }))),
];

/** Flat row → record, generated once: one object literal per table, a nested one only where its id is set. */
const toRecord = new Function('r', `return {
  row: { ${WORKORDER_VIEW_COLUMNS.map((c) => `${c}: r.${c}`).join(', ')} },
  ${NESTED.map(({ field, alias, columns }) => `${field}: r.${alias}_id === null || r.${alias}_id === undefined ? undefined : { ${
    columns.map((c) => `${c}: r.${alias}_${c}`).join(', ')} }`).join(',\n  ')}
};`) as (flat: Record<string, unknown>) => WorkorderViewRecord;

/** Orders with their nested rows: left joins by primary key, so each order costs one probe per table. */
function ordersWithNested(db: Executor) {
  return ordersOnly(db)
    .leftJoin('companies as co', 'co.id', 'w.company_id')
    .leftJoin('companies as pp', 'pp.id', 'w.printing_partner_id')
    .leftJoin('equipment as eq', 'eq.id', 'w.equipment_id')
    .leftJoin('substrates as su', 'su.id', 'w.substrate_id')
    .leftJoin('products as pr', 'pr.id', 'w.product_id')
    .leftJoin('brands as br', 'br.id', 'w.brand_id');
}

const ordersOnly = (db: Executor) => db.selectFrom('workorders as w');

/** One `w.column = value` condition of a list or lookup; the SQL text depends only on which columns are compared. */
interface Condition {
  column: 'company_id' | 'printing_partner_id' | 'is_archived' | 'partner_is_archived' | 'state' | 'codegen_status';
  value: string | number;
}

const scopeConditions = (scope: WorkorderScope): Condition[] => [
  ...(scope.companyId !== undefined ? [{ column: 'company_id', value: scope.companyId } as const] : []),
  ...(scope.printingPartnerId !== undefined ? [{ column: 'printing_partner_id', value: scope.printingPartnerId } as const] : []),
];

const shapeOf = (conditions: readonly Condition[]) => conditions.map((c) => c.column).join(',');

/** Any select over `workorders as w`, joined or not (the conditions name only the order's columns). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type OrdersQuery = SelectQueryBuilder<any, any, any>;

function where<Q extends OrdersQuery>(query: Q, conditions: readonly Condition[]): Q {
  return conditions.reduce((q, c) => q.where(sql.ref(`w.${c.column}`), '=', c.value) as Q, query);
}

/** The SQL of a read through a {@link WideRows} port depends on the port. */
const portKey = (wideRows: WideRows) => (wideRows === plainWideRows ? 'plain' : 'wide');

/**
 * An order as the API shows it, if the scope may see it, with its nested rows: the detail endpoint's one
 * statement (compiled once per scope shape).
 */
export async function findWorkorderView(
  db: Executor, id: number, scope: WorkorderScope = {}, wideRows: WideRows = plainWideRows,
): Promise<WorkorderViewRecord | undefined> {
  const conditions = scopeConditions(scope);
  const text = compiledSql(db, `workorder-view-by-id:${portKey(wideRows)}:${shapeOf(conditions)}`, () => where(
    ordersWithNested(db).select(wideRows.select(VIEW_SELECT) as never).where('w.id', '=', id), conditions,
  ));
  const result = await db.executeQuery(CompiledQuery.raw(text, [id, ...conditions.map((c) => c.value)]));
  return wideRows.decode<Record<string, unknown>>(result.rows, VIEW_SELECT).map(toRecord)[0];
}

/**
 * A page of the orders a scope may see, newest first, with their nested rows, and how many there are.
 * Both statements are built and compiled once per shape (which filters are present), then only bound:
 * building a Kysely query costs tens of microseconds, as much as SQLite takes to run the count.
 */
export async function listWorkorderViews(
  db: Executor, scope: WorkorderScope, filters: WorkorderFilters, page: { limit: number; offset: number },
  wideRows: WideRows = plainWideRows,
): Promise<{ count: number; records: WorkorderViewRecord[] }> {
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
  const filtered = <Q extends OrdersQuery>(query: Q): Q => {
    const scoped = where(query, conditions);
    // lower() on both sides: case-insensitive on every engine (SQLite's LIKE already is, PostgreSQL's is not).
    return pattern === undefined ? scoped : scoped.where(
      sql<boolean>`(lower(w.reference) LIKE lower(${pattern}) ESCAPE '\\' OR lower(w.remarks) LIKE lower(${pattern}) ESCAPE '\\')`,
    ) as Q;
  };
  const shape = `${shapeOf(conditions)}${pattern === undefined ? '' : '+search'}`;
  const countText = compiledSql(db, `workorders-count:${shape}`, () => filtered(ordersOnly(db)).select((eb) => eb.fn.countAll<number>().as('count')));
  // The page's rows are the widest read of the API: the dialect decides how they travel (wide-rows.ts).
  // The shape key is per port too (its SQL differs), though one process only ever uses one.
  const pageText = compiledSql(db, `workorders-page:${portKey(wideRows)}:${shape}`, () => filtered(ordersWithNested(db))
    .select(wideRows.select(VIEW_SELECT) as never).orderBy('w.id', 'desc').limit(page.limit).offset(page.offset));
  const [counted, rows] = await Promise.all([
    db.executeQuery<{ count: number | string | bigint }>(CompiledQuery.raw(countText, parameters)),
    db.executeQuery(CompiledQuery.raw(pageText, [...parameters, page.limit, page.offset])),
  ]);
  return { count: Number(counted.rows[0]!.count), records: wideRows.decode<Record<string, unknown>>(rows.rows, VIEW_SELECT).map(toRecord) };
}

