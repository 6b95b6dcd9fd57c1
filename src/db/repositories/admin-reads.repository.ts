import type { Executor } from '../database.js';
import type { BrandRow, CalibrationRow, CustomLayoutRow, EquipmentRow, ProductRow, SubstrateRow, TemplateRow } from '../tables/catalog.table.js';
import type { CompanyRow, UserRow } from '../tables/companies.table.js';

/**
 * What the operator's `sigil … list` / `show` read: every row (archived ones too), oldest first,
 * optionally one company's. Rows come whole; the admin views (domain/admin/admin-views.ts) pick the
 * columns that may be printed.
 */

export function listCompanies(db: Executor, type?: CompanyRow['company_type']): Promise<CompanyRow[]> {
  let query = db.selectFrom('companies').selectAll().orderBy('id');
  if (type !== undefined) query = query.where('company_type', '=', type);
  return query.execute();
}

export function listUsers(db: Executor, companyId?: number): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().orderBy('id');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.execute();
}

/** Tokens with their user's name; never the key's hash. */
const tokens = (db: Executor) => db
  .selectFrom('api_tokens as t')
  .innerJoin('users as u', 'u.id', 't.user_id')
  .select(['t.id', 't.user_id', 'u.username', 't.name', 't.key_prefix', 't.permissions', 't.expires_at', 't.revoked_at',
    't.last_used_at', 't.creation_date'])
  .orderBy('t.id');

export type ApiTokenListing = Awaited<ReturnType<ReturnType<typeof tokens>['executeTakeFirstOrThrow']>>;

export function listTokens(db: Executor, filters: { userId?: number; companyId?: number }): Promise<ApiTokenListing[]> {
  let query = tokens(db);
  if (filters.userId !== undefined) query = query.where('t.user_id', '=', filters.userId);
  if (filters.companyId !== undefined) query = query.where('u.company_id', '=', filters.companyId);
  return query.execute();
}

export const findTokenById = (db: Executor, id: number): Promise<ApiTokenListing | undefined> =>
  tokens(db).where('t.id', '=', id).executeTakeFirst();

/** A consumer key without its hash. */
export const findConsumerKeyById = (db: Executor, id: number) => db
  .selectFrom('consumer_keys').select(['id', 'company_id', 'key_prefix', 'creation_date', 'revoked_at'])
  .where('id', '=', id).executeTakeFirst();

export function listBrands(db: Executor, companyId?: number): Promise<BrandRow[]> {
  let query = db.selectFrom('brands').selectAll().orderBy('id');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.execute();
}

export function listProducts(db: Executor, companyId?: number): Promise<ProductRow[]> {
  let query = db.selectFrom('products').selectAll().orderBy('id');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.execute();
}

export function listSubstrates(db: Executor, companyId?: number): Promise<SubstrateRow[]> {
  let query = db.selectFrom('substrates').selectAll().orderBy('id');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.execute();
}

export function listEquipment(db: Executor, companyId?: number): Promise<EquipmentRow[]> {
  let query = db.selectFrom('equipment').selectAll().orderBy('id');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.execute();
}

export function listCalibrations(db: Executor, filters: { equipmentId?: number; substrateId?: number }): Promise<CalibrationRow[]> {
  let query = db.selectFrom('calibrations').selectAll().orderBy('id');
  if (filters.equipmentId !== undefined) query = query.where('equipment_id', '=', filters.equipmentId);
  if (filters.substrateId !== undefined) query = query.where('substrate_id', '=', filters.substrateId);
  return query.execute();
}

export const findCalibrationById = (db: Executor, id: number): Promise<CalibrationRow | undefined> =>
  db.selectFrom('calibrations').selectAll().where('id', '=', id).executeTakeFirst();

export function listCustomLayouts(db: Executor, companyId?: number): Promise<CustomLayoutRow[]> {
  let query = db.selectFrom('custom_layouts').selectAll().orderBy('id');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.execute();
}

export function listTemplates(db: Executor, companyId?: number): Promise<TemplateRow[]> {
  let query = db.selectFrom('templates').selectAll().orderBy('id');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.execute();
}
