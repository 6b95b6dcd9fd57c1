import type { Db } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import type { AdminService } from './admin.service.js';

export interface DemoSeed {
  brand_owner: { company_id: number; token: string };
  printing_partner: { company_id: number; token: string };
  platform: { company_id: number; token: string };
  template_id: number;
  equipment_id: number;
  substrate_id: number;
  product_id: number;
  product_sku: string;
}

const DEMO = {
  brand: { slug: 'demo-brand', name: 'Demo Brand', user: 'demo-brand-admin' },
  partner: { slug: 'demo-print', name: 'Demo Print', user: 'demo-print-admin' },
  platform: { slug: 'sigil-platform', name: 'Sigil Platform', user: 'sigil-staff' },
  equipment: { name: 'Demo Indigo 7K', dpi: 812 },
  substrate: 'Plain Paper',
  calibration: { cellSizeDots: 2, blackDensity: 0.45 },
  template: 'SG_Template_1',
  sku: 'P2',
} as const;

/**
 * Creates the demo tenants and catalogue if missing (idempotent: a second run reuses every object)
 * and issues fresh tokens with every work-order permission — tokens are only ever shown once.
 */
export async function seedDemo(db: Db, admin: AdminService): Promise<DemoSeed> {
  const company = async (spec: { slug: string; name: string }, type: string) =>
    (await companies.findCompanyBySlug(db, spec.slug)) ?? admin.createCompany({ name: spec.name, type, slug: spec.slug, country: 'CH' });
  const user = async (companyId: number, username: string) =>
    (await companies.findUserByUsername(db, username)) ?? admin.createUser({ company: companyId, username, email: `${username}@example.com` });

  const brand = await company(DEMO.brand, 'brand_owner');
  const partner = await company(DEMO.partner, 'printing_partner');
  const platform = await company(DEMO.platform, 'platform');

  const brandRow = (await catalog.findBrandByName(db, brand.id, DEMO.brand.name)) ?? (await admin.createBrand({ company: brand.id, name: DEMO.brand.name }));
  const product = (await catalog.findProductBySku(db, brand.id, DEMO.sku))
    ?? (await admin.createProduct({ company: brand.id, sku: DEMO.sku, name: 'Demo Product', brand: brandRow.id }));
  const equipment = (await catalog.findEquipmentByName(db, partner.id, DEMO.equipment.name))
    ?? (await admin.createEquipment({ company: partner.id, name: DEMO.equipment.name, dpi: DEMO.equipment.dpi }));
  const substrate = (await catalog.findSubstrateByName(db, partner.id, DEMO.substrate))
    ?? (await admin.createSubstrate({ company: partner.id, name: DEMO.substrate }));
  if (!(await catalog.findCalibration(db, equipment.id, substrate.id))) {
    await admin.createCalibration({ equipment: equipment.id, substrate: substrate.id, ...DEMO.calibration });
  }
  const template = (await catalog.findTemplateByName(db, brand.id, DEMO.template)) ?? (await admin.createTemplate({
    company: brand.id,
    name: DEMO.template,
    description: 'Demo secure-graphic template (SG beside the QR)',
    code_layout: 'sg-outside',
    printing_partner: partner.id,
    use_serial_number: true,
    is_hybrid: false,
    is_static_print: false,
    extended_id_style: 'legacy',
    size_mm: 10,
    graphic_cells: 32,
  }));

  const token = async (companyId: number, username: string) =>
    (await admin.createToken({ user: (await user(companyId, username)).id, name: 'seed-demo' })).key;
  return {
    brand_owner: { company_id: brand.id, token: await token(brand.id, DEMO.brand.user) },
    printing_partner: { company_id: partner.id, token: await token(partner.id, DEMO.partner.user) },
    platform: { company_id: platform.id, token: await token(platform.id, DEMO.platform.user) },
    template_id: template.id,
    equipment_id: equipment.id,
    substrate_id: substrate.id,
    product_id: product.id,
    product_sku: DEMO.sku,
  };
}
