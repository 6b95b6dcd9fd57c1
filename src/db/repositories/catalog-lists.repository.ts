import type { Executor } from '../database.js';
import type { BrandRow, EquipmentRow, ProductRow, SubstrateRow } from '../tables/catalog.table.js';
import type { CompanyRow } from '../tables/companies.table.js';

export interface Page {
  limit: number;
  offset: number;
}

export interface Listed<T> {
  count: number;
  rows: T[];
}

/** Sort keys of the product list; a leading "-" is descending. Ties go by id in the same direction. */
export const PRODUCT_ORDERINGS = ['creation_date', '-creation_date', 'name', '-name', 'sku', '-sku'] as const;
export type ProductOrdering = (typeof PRODUCT_ORDERINGS)[number];

export interface ProductListFilters {
  /** Only this company's products; undefined: every company's (platform staff). */
  companyId?: number;
  isArchived: boolean;
  sku?: string;
  ordering: ProductOrdering;
}

export async function listProducts(db: Executor, filters: ProductListFilters, page: Page): Promise<Listed<ProductRow>> {
  let base = db.selectFrom('products').where('is_archived', '=', filters.isArchived ? 1 : 0);
  if (filters.companyId !== undefined) base = base.where('company_id', '=', filters.companyId);
  if (filters.sku !== undefined) base = base.where('sku', '=', filters.sku);
  const descending = filters.ordering.startsWith('-');
  const column = (descending ? filters.ordering.slice(1) : filters.ordering) as 'creation_date' | 'name' | 'sku';
  const direction = descending ? 'desc' : 'asc';
  const [{ count }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy(column, direction).orderBy('id', direction).limit(page.limit).offset(page.offset).execute(),
  ]);
  return { count: Number(count), rows };
}

/**
 * Codes generated for each of `productIds`: the quantities of their generated orders (codegen_status 4),
 * summed in one grouped query over the orders of the products' companies (the orders' company index);
 * codes themselves are never counted. Products without such an order are absent from the map.
 */
export async function sumGeneratedQuantities(
  db: Executor, products: ReadonlyArray<Pick<ProductRow, 'id' | 'company_id'>>, generatedStatus: number,
): Promise<Map<number, number>> {
  if (products.length === 0) return new Map();
  const rows = await db.selectFrom('workorders')
    .select((eb) => ['product_id', eb.fn.sum<number>('quantity').as('codes')])
    .where('company_id', 'in', [...new Set(products.map((p) => p.company_id))])
    .where('product_id', 'in', products.map((p) => p.id))
    .where('codegen_status', '=', generatedStatus)
    .groupBy('product_id')
    .execute();
  return new Map(rows.map((r) => [r.product_id as number, Number(r.codes)]));
}

/** A company's brands (undefined: every company's), oldest first. */
export async function listBrands(db: Executor, companyId: number | undefined, page: Page): Promise<Listed<BrandRow>> {
  let base = db.selectFrom('brands');
  if (companyId !== undefined) base = base.where('company_id', '=', companyId);
  const [{ count }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('id').limit(page.limit).offset(page.offset).execute(),
  ]);
  return { count: Number(count), rows };
}

/** A company's presses, oldest first. */
export async function listEquipment(db: Executor, companyId: number, isArchived: boolean, page: Page): Promise<Listed<EquipmentRow>> {
  const base = db.selectFrom('equipment').where('company_id', '=', companyId).where('is_archived', '=', isArchived ? 1 : 0);
  const [{ count }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('id').limit(page.limit).offset(page.offset).execute(),
  ]);
  return { count: Number(count), rows };
}

export interface SubstrateListFilters {
  companyId: number;
  isArchived: boolean;
  /** Only substrates calibrated for this press. */
  equipmentId?: number;
}

/** A company's substrates, oldest first. */
export async function listSubstrates(db: Executor, filters: SubstrateListFilters, page: Page): Promise<Listed<SubstrateRow>> {
  let base = db.selectFrom('substrates').where('company_id', '=', filters.companyId).where('is_archived', '=', filters.isArchived ? 1 : 0);
  const { equipmentId } = filters;
  if (equipmentId !== undefined) {
    base = base.where('id', 'in', (eb) => eb.selectFrom('calibrations').select('substrate_id').where('equipment_id', '=', equipmentId));
  }
  const [{ count }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('id').limit(page.limit).offset(page.offset).execute(),
  ]);
  return { count: Number(count), rows };
}

/** One calibrated pair, with the names of both sides. */
export interface CalibratedPair {
  equipment_id: number;
  equipment_name: string;
  substrate_id: number;
  substrate_name: string;
  cell_size_dots: number;
  black_density: number;
}

const calibratedPairs = (db: Executor) => db.selectFrom('calibrations as c')
  .innerJoin('equipment as e', 'e.id', 'c.equipment_id')
  .innerJoin('substrates as s', 's.id', 'c.substrate_id')
  .select([
    'c.equipment_id', 'e.name as equipment_name', 'c.substrate_id', 's.name as substrate_name', 'c.cell_size_dots', 'c.black_density',
  ]);

/** The non-archived substrates calibrated for each of `equipmentIds`, by substrate id. */
export function findCalibratedSubstrates(db: Executor, equipmentIds: readonly number[]): Promise<CalibratedPair[]> {
  if (equipmentIds.length === 0) return Promise.resolve([]);
  return calibratedPairs(db).where('c.equipment_id', 'in', equipmentIds).where('s.is_archived', '=', 0)
    .orderBy('c.substrate_id').execute();
}

/** The non-archived presses each of `substrateIds` is calibrated for, by equipment id. */
export function findCalibratedEquipment(db: Executor, substrateIds: readonly number[]): Promise<CalibratedPair[]> {
  if (substrateIds.length === 0) return Promise.resolve([]);
  return calibratedPairs(db).where('c.substrate_id', 'in', substrateIds).where('e.is_archived', '=', 0)
    .orderBy('c.equipment_id').execute();
}

/** Every printing partner, by name. */
export async function listPrintingPartners(db: Executor, page: Page): Promise<Listed<Pick<CompanyRow, 'id' | 'uuid' | 'name'>>> {
  const base = db.selectFrom('companies').where('company_type', '=', 'printing_partner');
  const [{ count }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base.select(['id', 'uuid', 'name']).orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute(),
  ]);
  return { count: Number(count), rows };
}

/** Brands by id, for the products of one page (main dropped catalog.repository's findBrandsByIds: work orders now join their brand). */
export async function findBrandsByIds(db: Executor, ids: readonly number[]): Promise<BrandRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('brands').selectAll().where('id', 'in', [...ids]).execute();
}
