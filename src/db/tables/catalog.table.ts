import type { Generated, Insertable, Selectable } from 'kysely';
import type { MaxScanAction, SqlBool } from './companies.table.js';

export interface BrandsTable {
  id: Generated<number>;
  company_id: number;
  name: string;
  reference: string | null;
  creation_date: string;
}

export interface ProductsTable {
  id: Generated<number>;
  company_id: number;
  brand_id: number | null;
  sku: string;
  name: string;
  description: string;
  is_archived: SqlBool;
  creation_date: string;
  /** Landing page a scan of this product's codes redirects to (before the brand owner's `landing_url`). */
  client_url: string | null;
  /** Scans after which a code is suspicious (before the brand owner's setting); null: no limit here. */
  max_scan_count: number | null;
  /** What passing `max_scan_count` does: 'flag' the scan, or 'blacklist' the code (reason 10). */
  max_scan_action: MaxScanAction | null;
}

export interface SubstratesTable {
  id: Generated<number>;
  /** The printing partner that owns this material. */
  company_id: number;
  name: string;
  description: string;
  is_archived: SqlBool;
  creation_date: string;
}

export interface EquipmentTable {
  id: Generated<number>;
  /** The printing partner that owns this press. */
  company_id: number;
  name: string;
  description: string;
  /** Native resolution of the press, dots per inch. */
  dpi: number;
  is_archived: SqlBool;
  creation_date: string;
}

export interface CalibrationsTable {
  id: Generated<number>;
  equipment_id: number;
  substrate_id: number;
  /** Secure-graphic cell size in printer dots. */
  cell_size_dots: number;
  /** Target share of black cells in the secure graphic, 0 < d < 1. */
  black_density: number;
  creation_date: string;
}

export interface CustomLayoutsTable {
  id: Generated<number>;
  /** The brand owner the layout was set up for. */
  company_id: number;
  name: string;
  /** JSON: see codegen/render CustomLayoutDefinition. */
  definition: string;
  creation_date: string;
}

/** A preset of work-order attributes. A null attribute is left to the order; a set one is imposed. */
export interface TemplatesTable {
  id: Generated<number>;
  company_id: number;
  name: string;
  description: string;
  image: string | null;
  is_archived: SqlBool;
  code_layout: string | null;
  custom_layout_id: number | null;
  substrate_id: number | null;
  printing_partner_id: number | null;
  use_serial_number: SqlBool | null;
  is_hybrid: SqlBool | null;
  is_fp_serialized: SqlBool | null;
  is_static_print: SqlBool | null;
  activate_on_complete: SqlBool | null;
  url_prefix: string | null;
  extended_id_style: string | null;
  /** JSON array or null. */
  partner_permissions: string | null;
  /** Physical width of the printed QR symbol (quiet zone included), mm. */
  size_mm: number | null;
  /** Secure-graphic size in cells per side. */
  graphic_cells: number | null;
  /** Per-code image format in the archive: 'png' or 'svg'. */
  image_format: Generated<string>;
  creation_date: string;
}

export type BrandRow = Selectable<BrandsTable>;
export type ProductRow = Selectable<ProductsTable>;
export type SubstrateRow = Selectable<SubstratesTable>;
export type EquipmentRow = Selectable<EquipmentTable>;
export type CalibrationRow = Selectable<CalibrationsTable>;
export type CustomLayoutRow = Selectable<CustomLayoutsTable>;
export type TemplateRow = Selectable<TemplatesTable>;
export type NewTemplateRow = Insertable<TemplatesTable>;
