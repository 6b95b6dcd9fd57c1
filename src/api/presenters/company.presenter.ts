import type {
  BrandSummary, CompanySummary, EquipmentSummary, ProductSummary, SubstrateSummary,
} from '../../db/repositories/workorder-views.repository.js';
import type { ProductView } from '../../domain/catalog/product-views.js';

/** The company object as the reference API nests it. `encryption_key` is always empty: keys never leave the server. */
export function presentCompany(row: CompanySummary) {
  return {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    slug: row.slug,
    company_type: row.company_type,
    address: row.address,
    country: row.country,
    city: row.city,
    website: row.website,
    creation_date: row.creation_date,
    has_secure_workflow: row.has_secure_workflow === 1,
    serial_number_format: row.serial_number_format,
    is_validated: row.is_validated === 1,
    encryption_key: '',
    company_workflow_survey: {},
    workflow_survey: {},
  };
}

export const presentBrand = (row: BrandSummary) => ({ id: row.id, name: row.name, reference: row.reference, image: null });

export const presentProduct = (row: ProductSummary, brand: BrandSummary | undefined) => ({
  id: row.id,
  sku: row.sku,
  name: row.name,
  description: row.description,
  image: null,
  brand: brand ? presentBrand(brand) : null,
  creation_date: row.creation_date,
  is_archived: row.is_archived === 1,
  client_url: row.client_url,
});

/** A product with its scan settings and code count (the detail endpoint and every item of the list). */
export const presentProductDetail = (view: ProductView) => ({
  ...presentProduct(view.product, view.brand),
  company: view.product.company_id,
  code_count: view.codeCount,
  max_scan_count: view.product.max_scan_count,
  max_scan_action: view.product.max_scan_action,
});

export const presentEquipment = (row: EquipmentSummary) => ({
  id: row.id, name: row.name, description: row.description, dpi: row.dpi, company: row.company_id,
});

export const presentSubstrate = (row: SubstrateSummary) => ({ id: row.id, name: row.name, description: row.description });
