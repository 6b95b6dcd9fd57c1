import type { Executor } from '../../db/database.js';
import { findBrandsByIds, sumGeneratedQuantities } from '../../db/repositories/catalog-lists.repository.js';
import type { BrandRow, ProductRow } from '../../db/tables/catalog.table.js';
import { CODEGEN_STATUS } from '../workorders/workorder.types.js';

/** A product as the API shows it: with its brand and the number of codes generated for it. */
export interface ProductView {
  product: ProductRow;
  brand: BrandRow | undefined;
  /** Codes of the product's generated orders (their quantities; no code is counted). */
  codeCount: number;
}

/** Brands and code counts of many products with one query each (no N+1). */
export async function loadProductViews(db: Executor, products: readonly ProductRow[]): Promise<ProductView[]> {
  if (products.length === 0) return [];
  const brandIds = [...new Set(products.map((p) => p.brand_id).filter((id): id is number => id !== null))];
  const [brands, codeCounts] = await Promise.all([
    findBrandsByIds(db, brandIds),
    sumGeneratedQuantities(db, products, CODEGEN_STATUS.generated),
  ]);
  const brandById = new Map(brands.map((b) => [b.id, b]));
  return products.map((product) => ({
    product,
    brand: product.brand_id === null ? undefined : brandById.get(product.brand_id),
    codeCount: codeCounts.get(product.id) ?? 0,
  }));
}

export async function loadProductView(db: Executor, product: ProductRow): Promise<ProductView> {
  const [view] = await loadProductViews(db, [product]);
  return view as ProductView;
}
