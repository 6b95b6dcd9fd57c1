import type { CalibratedPair } from '../../db/repositories/catalog-lists.repository.js';
import type { BrandRow } from '../../db/tables/catalog.table.js';
import type { EquipmentView, SubstrateView } from '../../domain/catalog/catalog.service.js';

export const presentBrandListItem = (row: BrandRow) => ({ id: row.id, name: row.name, reference: row.reference, creation_date: row.creation_date });

const calibrationOf = (pair: CalibratedPair) => ({ cell_size_dots: pair.cell_size_dots, black_density: pair.black_density });

export const presentEquipmentListItem = ({ equipment, calibrations }: EquipmentView) => ({
  id: equipment.id,
  name: equipment.name,
  description: equipment.description,
  dpi: equipment.dpi,
  is_archived: equipment.is_archived === 1,
  creation_date: equipment.creation_date,
  substrates: calibrations.map((pair) => ({ id: pair.substrate_id, name: pair.substrate_name, ...calibrationOf(pair) })),
});

export const presentSubstrateListItem = ({ substrate, calibrations }: SubstrateView) => ({
  id: substrate.id,
  name: substrate.name,
  description: substrate.description,
  is_archived: substrate.is_archived === 1,
  creation_date: substrate.creation_date,
  calibrated_for: calibrations.map((pair) => ({ equipment_id: pair.equipment_id, equipment_name: pair.equipment_name, ...calibrationOf(pair) })),
});
