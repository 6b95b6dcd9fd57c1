import type { Executor } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import type { ArchiveScope, WorkorderViewRow } from '../../db/repositories/workorders.repository.js';
import { findCompaniesByIds } from '../../db/repositories/companies.repository.js';
import type { WorkorderView } from './workorder.types.js';

const ids = (values: Array<number | null>) => [...new Set(values.filter((v): v is number => v !== null))];

async function byId<T extends { id: number }>(rows: Promise<T[]>): Promise<Map<number, T>> {
  return new Map((await rows).map((r) => [r.id, r]));
}

/** Loads the nested objects of many orders with one query per table (no N+1). */
/** `archiveScope` decides which archive flag the viewer sees as `is_archived` (each side archives for itself). */
export async function loadWorkorderViews(db: Executor, rows: readonly WorkorderViewRow[], archiveScope: ArchiveScope): Promise<WorkorderView[]> {
  if (rows.length === 0) return [];
  const [companies, equipment, substrates, products, brands] = await Promise.all([
    byId(findCompaniesByIds(db, ids(rows.flatMap((r) => [r.company_id, r.printing_partner_id])))),
    byId(catalog.findEquipmentByIds(db, ids(rows.map((r) => r.equipment_id)))),
    byId(catalog.findSubstratesByIds(db, ids(rows.map((r) => r.substrate_id)))),
    byId(catalog.findProductsByIds(db, ids(rows.map((r) => r.product_id)))),
    byId(catalog.findBrandsByIds(db, ids(rows.map((r) => r.brand_id)))),
  ]);
  const get = <T>(map: Map<number, T>, id: number | null) => (id === null ? undefined : map.get(id));
  return rows.map((row) => ({
    row,
    isArchived: (archiveScope === 'partner' ? row.partner_is_archived : row.is_archived) === 1,
    company: companies.get(row.company_id),
    printingPartner: get(companies, row.printing_partner_id),
    equipment: get(equipment, row.equipment_id),
    substrate: get(substrates, row.substrate_id),
    product: get(products, row.product_id),
    brand: get(brands, row.brand_id),
  }));
}

export async function loadWorkorderView(db: Executor, row: WorkorderViewRow, archiveScope: ArchiveScope): Promise<WorkorderView> {
  const [view] = await loadWorkorderViews(db, [row], archiveScope);
  return view as WorkorderView;
}
