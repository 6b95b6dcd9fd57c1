import { Type } from 'typebox';
import { PRODUCT_ORDERINGS, type ProductOrdering } from '../../db/repositories/catalog-lists.repository.js';
import { Nullable, PageQuery } from './common.schemas.js';

/** `is_archived` as the work-order list takes it. */
export const IsArchivedQuery = Type.Optional(Type.String({
  enum: ['0', '1', 'true', 'false', 'True', 'False'], description: '0 (default): not archived; 1: archived.',
}));

export const ProductListQuery = Type.Object({
  ...PageQuery,
  is_archived: IsArchivedQuery,
  sku__exact: Type.Optional(Type.String({ maxLength: 255, description: 'Only the product with exactly this SKU.' })),
  ordering: Type.Optional(Type.Unsafe<ProductOrdering>({
    type: 'string', enum: [...PRODUCT_ORDERINGS], description: 'Sort key, ties by id; "-" for descending (default -creation_date).',
  })),
});

export const ArchivableListQuery = Type.Object({ ...PageQuery, is_archived: IsArchivedQuery });

export const SubstrateListQuery = Type.Object({
  ...PageQuery,
  is_archived: IsArchivedQuery,
  equipment: Type.Optional(Type.Integer({
    minimum: 1, maximum: 2 ** 53 - 1, description: 'Only substrates calibrated for this press of the caller\'s company.',
  })),
});

export const BrandListItem = Type.Object({
  id: Type.Integer(), name: Type.String(), reference: Nullable(Type.String()), creation_date: Type.String(),
});

const Calibration = {
  cell_size_dots: Type.Integer({ description: 'Secure-graphic cell size in printer dots.' }),
  black_density: Type.Number({ description: 'Share of black cells in the secure graphic.' }),
};

export const EquipmentListItem = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  dpi: Type.Integer(),
  is_archived: Type.Boolean(),
  creation_date: Type.String(),
  substrates: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), ...Calibration }), {
    description: 'The substrates calibrated for this press (archived ones left out): what an order may be confirmed with.',
  }),
});

export const SubstrateListItem = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  is_archived: Type.Boolean(),
  creation_date: Type.String(),
  calibrated_for: Type.Array(Type.Object({ equipment_id: Type.Integer(), equipment_name: Type.String(), ...Calibration }), {
    description: 'The presses this substrate is calibrated for (archived ones left out).',
  }),
});

export const PrintingPartnerListItem = Type.Object({ id: Type.Integer(), uuid: Type.String(), name: Type.String() });
