import type { Insertable, Updateable } from 'kysely';
import type { Database, Executor } from '../database.js';
import type { TemplateRow } from '../tables/catalog.table.js';

type NewRow<T extends keyof Database> = Insertable<Database[T]>;

export const insertBrand = (db: Executor, row: NewRow<'brands'>) =>
  db.insertInto('brands').values(row).returningAll().executeTakeFirstOrThrow();
export const insertProduct = (db: Executor, row: NewRow<'products'>) =>
  db.insertInto('products').values(row).returningAll().executeTakeFirstOrThrow();
export const insertSubstrate = (db: Executor, row: NewRow<'substrates'>) =>
  db.insertInto('substrates').values(row).returningAll().executeTakeFirstOrThrow();
export const insertEquipment = (db: Executor, row: NewRow<'equipment'>) =>
  db.insertInto('equipment').values(row).returningAll().executeTakeFirstOrThrow();
export const insertCalibration = (db: Executor, row: NewRow<'calibrations'>) =>
  db.insertInto('calibrations').values(row).returningAll().executeTakeFirstOrThrow();
export const insertCustomLayout = (db: Executor, row: NewRow<'custom_layouts'>) =>
  db.insertInto('custom_layouts').values(row).returningAll().executeTakeFirstOrThrow();
export const insertTemplate = (db: Executor, row: NewRow<'templates'>) =>
  db.insertInto('templates').values(row).returningAll().executeTakeFirstOrThrow();

export const updateProduct = (db: Executor, id: number, set: Updateable<Database['products']>) =>
  db.updateTable('products').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const findBrandById = (db: Executor, id: number) =>
  db.selectFrom('brands').selectAll().where('id', '=', id).executeTakeFirst();
export const findProductById = (db: Executor, id: number) =>
  db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
export const findProductBySku = (db: Executor, companyId: number, sku: string) =>
  db.selectFrom('products').selectAll().where('company_id', '=', companyId).where('sku', '=', sku).executeTakeFirst();
export const findSubstrateById = (db: Executor, id: number) =>
  db.selectFrom('substrates').selectAll().where('id', '=', id).executeTakeFirst();
export const findEquipmentById = (db: Executor, id: number) =>
  db.selectFrom('equipment').selectAll().where('id', '=', id).executeTakeFirst();
export const findCustomLayoutById = (db: Executor, id: number) =>
  db.selectFrom('custom_layouts').selectAll().where('id', '=', id).executeTakeFirst();
export const findTemplateById = (db: Executor, id: number) =>
  db.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirst();
export const findCalibration = (db: Executor, equipmentId: number, substrateId: number) =>
  db.selectFrom('calibrations').selectAll()
    .where('equipment_id', '=', equipmentId).where('substrate_id', '=', substrateId).executeTakeFirst();

export const findBrandByName = (db: Executor, companyId: number, name: string) =>
  db.selectFrom('brands').selectAll().where('company_id', '=', companyId).where('name', '=', name).executeTakeFirst();
export const findSubstrateByName = (db: Executor, companyId: number, name: string) =>
  db.selectFrom('substrates').selectAll().where('company_id', '=', companyId).where('name', '=', name).executeTakeFirst();
export const findEquipmentByName = (db: Executor, companyId: number, name: string) =>
  db.selectFrom('equipment').selectAll().where('company_id', '=', companyId).where('name', '=', name).executeTakeFirst();
export const findTemplateByName = (db: Executor, companyId: number, name: string) =>
  db.selectFrom('templates').selectAll().where('company_id', '=', companyId).where('name', '=', name).executeTakeFirst();

/** Which templates a caller may list: its own (brand owner), those naming it (partner), or all (platform). */
export interface TemplateScope {
  companyId?: number;
  printingPartnerId?: number;
}

export async function listTemplates(
  db: Executor, scope: TemplateScope, page: { limit: number; offset: number },
): Promise<{ count: number; rows: TemplateRow[] }> {
  let base = db.selectFrom('templates').where('is_archived', '=', 0);
  if (scope.companyId !== undefined) base = base.where('company_id', '=', scope.companyId);
  if (scope.printingPartnerId !== undefined) base = base.where('printing_partner_id', '=', scope.printingPartnerId);
  const [{ count }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
  ]);
  return { count: Number(count), rows };
}
