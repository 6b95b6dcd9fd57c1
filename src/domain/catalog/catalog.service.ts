import type { Db } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as lists from '../../db/repositories/catalog-lists.repository.js';
import type { CalibratedPair, Listed, Page, ProductOrdering } from '../../db/repositories/catalog-lists.repository.js';
import type { BrandRow, EquipmentRow, SubstrateRow } from '../../db/tables/catalog.table.js';
import type { CompanyRow } from '../../db/tables/companies.table.js';
import { AppError } from '../../shared/app-error.js';
import { requirePermission, type Principal } from '../auth/principal.js';
import { loadProductViews, type ProductView } from './product-views.js';

export interface ProductFilters {
  isArchived: boolean;
  sku?: string;
  ordering: ProductOrdering;
}

export interface EquipmentView {
  equipment: EquipmentRow;
  /** The non-archived substrates calibrated for it. */
  calibrations: CalibratedPair[];
}

export interface SubstrateView {
  substrate: SubstrateRow;
  /** The non-archived presses it is calibrated for. */
  calibrations: CalibratedPair[];
}

/**
 * What a caller may pick from: a brand owner's products and brands, a printing partner's presses and
 * materials (with their calibrations), and the printing partners an order may name. Read-only.
 */
export class CatalogService {
  constructor(private readonly deps: { db: Db }) {}

  /** The caller's company's products (platform staff: every company's, as the product detail shows them). */
  async listProducts(principal: Principal, filters: ProductFilters, page: Page): Promise<Listed<ProductView>> {
    requirePermission(principal, 'product_view');
    const { count, rows } = await lists.listProducts(this.deps.db, { ...filters, companyId: ownerScope(principal) }, page);
    return { count, rows: await loadProductViews(this.deps.db, rows) };
  }

  async listBrands(principal: Principal, page: Page): Promise<Listed<BrandRow>> {
    requirePermission(principal, 'product_view');
    return lists.listBrands(this.deps.db, ownerScope(principal), page);
  }

  /** The caller's company's presses: a printing partner's; any other company has none. */
  async listEquipment(principal: Principal, filters: { isArchived: boolean }, page: Page): Promise<Listed<EquipmentView>> {
    requirePermission(principal, 'workorder_view');
    const { count, rows } = await lists.listEquipment(this.deps.db, principal.companyId, filters.isArchived, page);
    const pairs = await lists.findCalibratedSubstrates(this.deps.db, rows.map((r) => r.id));
    const byEquipment = groupBy(pairs, (p) => p.equipment_id);
    return { count, rows: rows.map((equipment) => ({ equipment, calibrations: byEquipment.get(equipment.id) ?? [] })) };
  }

  /** The caller's company's substrates, optionally only those calibrated for one of its presses. */
  async listSubstrates(principal: Principal, filters: { isArchived: boolean; equipment?: number }, page: Page): Promise<Listed<SubstrateView>> {
    requirePermission(principal, 'workorder_view');
    if (filters.equipment !== undefined) {
      const equipment = await catalog.findEquipmentById(this.deps.db, filters.equipment);
      if (!equipment || equipment.company_id !== principal.companyId) {
        throw AppError.field('equipment', `Invalid pk "${filters.equipment}" - object does not exist.`);
      }
    }
    const { count, rows } = await lists.listSubstrates(this.deps.db, {
      companyId: principal.companyId, isArchived: filters.isArchived, equipmentId: filters.equipment,
    }, page);
    const pairs = await lists.findCalibratedEquipment(this.deps.db, rows.map((r) => r.id));
    const bySubstrate = groupBy(pairs, (p) => p.substrate_id);
    return { count, rows: rows.map((substrate) => ({ substrate, calibrations: bySubstrate.get(substrate.id) ?? [] })) };
  }

  /** The companies an SSC order may name as its printing partner: every printing partner (as creation checks). */
  async listPrintingPartners(principal: Principal, page: Page): Promise<Listed<Pick<CompanyRow, 'id' | 'uuid' | 'name'>>> {
    requirePermission(principal, 'workorder_create');
    if (principal.companyType !== 'brand_owner') throw AppError.forbidden('Only brand owners can create work orders.');
    return lists.listPrintingPartners(this.deps.db, page);
  }
}

/** Products and brands belong to brand owners; platform staff see every company's (undefined: no company filter). */
const ownerScope = (principal: Principal): number | undefined => (principal.companyType === 'platform' ? undefined : principal.companyId);

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
