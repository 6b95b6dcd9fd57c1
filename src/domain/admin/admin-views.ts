import { fromSqlBool } from '../../db/database.js';
import type { ApiTokenListing } from '../../db/repositories/admin-reads.repository.js';
import type { BrandRow, CalibrationRow, CustomLayoutRow, EquipmentRow, ProductRow, SubstrateRow, TemplateRow } from '../../db/tables/catalog.table.js';
import type { CompanyRow, SqlBool, UserRow } from '../../db/tables/companies.table.js';
import type { ConsumerKeyRow } from '../../db/tables/consumer-keys.table.js';

/**
 * What the `sigil` admin CLI prints of each object — the same shape from `create`, `list` and `show`.
 * Columns are picked one by one, so secrets (password hashes, key hashes) and columns added later never
 * print by accident; 0/1 columns print as booleans, JSON columns as JSON, foreign keys under the
 * option's name (`company`, `brand`, …).
 */

const bool = (value: SqlBool): boolean => fromSqlBool(value);
const boolOrNull = (value: SqlBool | null): boolean | null => (value === null ? null : fromSqlBool(value));

export const companyView = (row: CompanyRow) => ({
  id: row.id,
  uuid: row.uuid,
  name: row.name,
  slug: row.slug,
  company_type: row.company_type,
  country: row.country,
  city: row.city,
  address: row.address,
  website: row.website,
  has_secure_workflow: bool(row.has_secure_workflow),
  is_validated: bool(row.is_validated),
  serial_number_format: row.serial_number_format,
  next_serial_number: Number(row.next_serial_number),
  landing_url: row.landing_url,
  max_scan_count: row.max_scan_count,
  max_scan_action: row.max_scan_action,
  creation_date: row.creation_date,
});

export const userView = (row: UserRow) => ({
  id: row.id,
  company: row.company_id,
  username: row.username,
  email: row.email,
  first_name: row.first_name,
  last_name: row.last_name,
  permissions: JSON.parse(row.permissions) as string[],
  is_active: bool(row.is_active),
  /** Whether a password is set, so the user can log in with one (never the password's hash). */
  can_log_in: row.password_hash !== null,
  creation_date: row.creation_date,
});

export const tokenView = (row: ApiTokenListing) => ({
  id: row.id,
  user: row.user_id,
  username: row.username,
  name: row.name,
  key_prefix: row.key_prefix,
  permissions: JSON.parse(row.permissions) as string[],
  expires_at: row.expires_at,
  revoked_at: row.revoked_at,
  last_used_at: row.last_used_at,
  creation_date: row.creation_date,
});

export const consumerKeyView = (row: Pick<ConsumerKeyRow, 'id' | 'company_id' | 'key_prefix' | 'creation_date' | 'revoked_at'>) => ({
  id: row.id,
  company: row.company_id,
  key_prefix: row.key_prefix,
  creation_date: row.creation_date,
  revoked_at: row.revoked_at,
});

export const brandView = (row: BrandRow) => ({
  id: row.id,
  company: row.company_id,
  name: row.name,
  reference: row.reference,
  creation_date: row.creation_date,
});

export const productView = (row: ProductRow) => ({
  id: row.id,
  company: row.company_id,
  brand: row.brand_id,
  sku: row.sku,
  name: row.name,
  description: row.description,
  is_archived: bool(row.is_archived),
  client_url: row.client_url,
  max_scan_count: row.max_scan_count,
  max_scan_action: row.max_scan_action,
  creation_date: row.creation_date,
});

export const substrateView = (row: SubstrateRow) => ({
  id: row.id,
  company: row.company_id,
  name: row.name,
  description: row.description,
  is_archived: bool(row.is_archived),
  creation_date: row.creation_date,
});

export const equipmentView = (row: EquipmentRow) => ({
  id: row.id,
  company: row.company_id,
  name: row.name,
  description: row.description,
  dpi: row.dpi,
  is_archived: bool(row.is_archived),
  creation_date: row.creation_date,
});

export const calibrationView = (row: CalibrationRow) => ({
  id: row.id,
  equipment: row.equipment_id,
  substrate: row.substrate_id,
  cell_size_dots: row.cell_size_dots,
  black_density: Number(row.black_density),
  creation_date: row.creation_date,
});

export const layoutView = (row: CustomLayoutRow) => ({
  id: row.id,
  company: row.company_id,
  name: row.name,
  definition: JSON.parse(row.definition) as unknown,
  creation_date: row.creation_date,
});

export const templateView = (row: TemplateRow) => ({
  id: row.id,
  company: row.company_id,
  name: row.name,
  description: row.description,
  image: row.image,
  is_archived: bool(row.is_archived),
  code_layout: row.code_layout,
  custom_layout: row.custom_layout_id,
  substrate: row.substrate_id,
  printing_partner: row.printing_partner_id,
  use_serial_number: boolOrNull(row.use_serial_number),
  is_hybrid: boolOrNull(row.is_hybrid),
  is_fp_serialized: boolOrNull(row.is_fp_serialized),
  is_static_print: boolOrNull(row.is_static_print),
  activate_on_complete: boolOrNull(row.activate_on_complete),
  url_prefix: row.url_prefix,
  extended_id_style: row.extended_id_style,
  partner_permissions: row.partner_permissions === null ? null : (JSON.parse(row.partner_permissions) as string[]),
  size_mm: row.size_mm === null ? null : Number(row.size_mm),
  graphic_cells: row.graphic_cells,
  image_format: row.image_format,
  creation_date: row.creation_date,
});
