import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { toSqlBool } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import type { CompanyRow } from '../../db/tables/companies.table.js';
import { ARCHIVE_IMAGE_FORMATS, parseCustomLayoutDefinition } from '../../codegen/render/index.js';
import { AppError, FieldErrorCollector } from '../../shared/app-error.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Random } from '../../shared/random.js';
import { hashPassword } from '../auth/password.js';
import { ALL_PERMISSIONS, isPermission, type Permission } from '../auth/permissions.js';
import type { CompanyType } from '../auth/principal.js';
import { hashTokenKey, newTokenKey } from '../auth/token-key.js';
import { CODE_LAYOUTS, EXTENDED_ID_STYLES, PARTNER_PERMISSIONS } from '../workorders/workorder.types.js';
import { rejectUnknownLayoutKeys } from './layout-keys.js';

export interface AdminServiceDeps {
  db: Db;
  clock: Clock;
  random: Random;
}

const COMPANY_TYPES: readonly CompanyType[] = ['brand_owner', 'printing_partner', 'platform'];

export interface TemplateSpec {
  company: number;
  name: string;
  description?: string;
  code_layout?: string | null;
  custom_layout?: number | null;
  substrate?: number | null;
  printing_partner?: number | null;
  use_serial_number?: boolean | null;
  is_hybrid?: boolean | null;
  is_fp_serialized?: boolean | null;
  is_static_print?: boolean | null;
  activate_on_complete?: boolean | null;
  url_prefix?: string | null;
  extended_id_style?: string | null;
  partner_permissions?: string[] | null;
  size_mm?: number | null;
  graphic_cells?: number | null;
  image_format?: string | null;
}

/** Operator actions (the `sigil` CLI): set up tenants, users, tokens and the catalogue. */
export class AdminService {
  constructor(private readonly deps: AdminServiceDeps) {}

  async createCompany(spec: { name: string; type: string; slug?: string; country?: string; city?: string; website?: string; hasSecureWorkflow?: boolean }): Promise<CompanyRow> {
    const errors = new FieldErrorCollector();
    if (!spec.name.trim()) errors.add('name', 'This field may not be blank.');
    if (!(COMPANY_TYPES as readonly string[]).includes(spec.type)) errors.add('type', `"${spec.type}" is not a valid choice (${COMPANY_TYPES.join(', ')}).`);
    const slug = spec.slug ?? slugify(spec.name);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) errors.add('slug', 'Use lowercase letters, digits and dashes.');
    else if (await companies.findCompanyBySlug(this.deps.db, slug)) errors.add('slug', `A company with slug "${slug}" already exists.`);
    errors.throwIfAny();
    return companies.insertCompany(this.deps.db, {
      uuid: randomUUID(),
      name: spec.name.trim(),
      slug,
      company_type: spec.type as CompanyType,
      country: spec.country ?? '',
      city: spec.city ?? '',
      address: '',
      website: spec.website ?? '',
      has_secure_workflow: toSqlBool(spec.hasSecureWorkflow ?? false),
      serial_number_format: '',
      is_validated: 1,
      creation_date: this.now(),
    });
  }

  async createUser(spec: { company: number; username: string; email?: string; password?: string; permissions?: string[] }) {
    const errors = new FieldErrorCollector();
    await this.requireCompany(spec.company, errors);
    if (!/^[\w.@+-]{1,150}$/.test(spec.username)) errors.add('username', 'Letters, digits and @/./+/-/_ only, at most 150 characters.');
    else if (await companies.findUserByUsername(this.deps.db, spec.username)) errors.add('username', 'A user with that username already exists.');
    if (spec.password !== undefined && spec.password.length < 8) errors.add('password', 'Ensure this field has at least 8 characters.');
    const permissions = this.permissionList(spec.permissions, errors);
    errors.throwIfAny();
    return companies.insertUser(this.deps.db, {
      company_id: spec.company,
      username: spec.username,
      email: spec.email ?? '',
      first_name: '',
      last_name: '',
      password_hash: spec.password === undefined ? null : await hashPassword(spec.password),
      permissions: JSON.stringify(permissions),
      is_active: 1,
      creation_date: this.now(),
    });
  }

  /** Issues a UAT. The key is returned once and only its hash is kept. */
  async createToken(spec: { user: number; name: string; permissions?: string[]; expiresAt?: Date | null }) {
    const errors = new FieldErrorCollector();
    const user = await companies.findUserById(this.deps.db, spec.user);
    if (!user) errors.add('user', `User ${spec.user} does not exist.`);
    if (!spec.name.trim()) errors.add('name', 'This field may not be blank.');
    const permissions = this.permissionList(spec.permissions, errors);
    if (spec.expiresAt && spec.expiresAt.getTime() <= this.deps.clock.now().getTime()) errors.add('expires', 'The expiry must be in the future.');
    errors.throwIfAny();
    const key = newTokenKey(this.deps.random);
    const row = await companies.insertApiToken(this.deps.db, {
      user_id: spec.user,
      name: spec.name.trim(),
      key_hash: hashTokenKey(key),
      key_prefix: key.slice(0, 6),
      permissions: JSON.stringify(permissions),
      expires_at: spec.expiresAt ? spec.expiresAt.toISOString() : null,
      revoked_at: null,
      last_used_at: null,
      creation_date: this.now(),
    });
    return { id: row.id, key, name: row.name, permissions, expires_at: row.expires_at };
  }

  async revokeToken(id: number): Promise<void> {
    if (!(await companies.revokeApiToken(this.deps.db, id, this.deps.clock.now().toISOString()))) {
      throw AppError.notFound(`No active token with id ${id}.`);
    }
  }

  async createBrand(spec: { company: number; name: string; reference?: string }) {
    const errors = new FieldErrorCollector();
    await this.requireCompany(spec.company, errors, 'brand_owner');
    errors.throwIfAny();
    return catalog.insertBrand(this.deps.db, { company_id: spec.company, name: spec.name, reference: spec.reference ?? null, creation_date: this.now() });
  }

  async createProduct(spec: { company: number; sku: string; name: string; brand?: number; description?: string }) {
    const errors = new FieldErrorCollector();
    await this.requireCompany(spec.company, errors, 'brand_owner');
    if (!spec.sku.trim()) errors.add('sku', 'This field may not be blank.');
    else if (await catalog.findProductBySku(this.deps.db, spec.company, spec.sku)) errors.add('sku', 'A product with this SKU already exists for the company.');
    if (spec.brand !== undefined) {
      const brand = await catalog.findBrandById(this.deps.db, spec.brand);
      if (!brand || brand.company_id !== spec.company) errors.add('brand', `Brand ${spec.brand} does not exist for company ${spec.company}.`);
    }
    errors.throwIfAny();
    return catalog.insertProduct(this.deps.db, {
      company_id: spec.company, brand_id: spec.brand ?? null, sku: spec.sku, name: spec.name,
      description: spec.description ?? '', is_archived: 0, creation_date: this.now(),
    });
  }

  async createSubstrate(spec: { company: number; name: string; description?: string }) {
    const errors = new FieldErrorCollector();
    await this.requireCompany(spec.company, errors, 'printing_partner');
    errors.throwIfAny();
    return catalog.insertSubstrate(this.deps.db, {
      company_id: spec.company, name: spec.name, description: spec.description ?? '', is_archived: 0, creation_date: this.now(),
    });
  }

  async createEquipment(spec: { company: number; name: string; dpi: number; description?: string }) {
    const errors = new FieldErrorCollector();
    await this.requireCompany(spec.company, errors, 'printing_partner');
    if (!Number.isInteger(spec.dpi) || spec.dpi < 72 || spec.dpi > 4800) errors.add('dpi', 'Enter an integer between 72 and 4800.');
    errors.throwIfAny();
    return catalog.insertEquipment(this.deps.db, {
      company_id: spec.company, name: spec.name, dpi: spec.dpi, description: spec.description ?? '', is_archived: 0, creation_date: this.now(),
    });
  }

  async createCalibration(spec: { equipment: number; substrate: number; cellSizeDots: number; blackDensity: number }) {
    const errors = new FieldErrorCollector();
    const equipment = await catalog.findEquipmentById(this.deps.db, spec.equipment);
    const substrate = await catalog.findSubstrateById(this.deps.db, spec.substrate);
    if (!equipment) errors.add('equipment', `Equipment ${spec.equipment} does not exist.`);
    if (!substrate) errors.add('substrate', `Substrate ${spec.substrate} does not exist.`);
    if (equipment && substrate && equipment.company_id !== substrate.company_id) errors.add('substrate', 'Equipment and substrate belong to different companies.');
    if (!Number.isInteger(spec.cellSizeDots) || spec.cellSizeDots < 1 || spec.cellSizeDots > 16) errors.add('cell_size_dots', 'Enter an integer between 1 and 16.');
    if (!(spec.blackDensity > 0.05 && spec.blackDensity < 0.95)) errors.add('black_density', 'Enter a number between 0.05 and 0.95.');
    if (equipment && substrate && (await catalog.findCalibration(this.deps.db, spec.equipment, spec.substrate))) errors.add('substrate', 'This pair is already calibrated.');
    errors.throwIfAny();
    return catalog.insertCalibration(this.deps.db, {
      equipment_id: spec.equipment, substrate_id: spec.substrate, cell_size_dots: spec.cellSizeDots,
      black_density: spec.blackDensity, creation_date: this.now(),
    });
  }

  async createCustomLayout(spec: { company: number; name: string; definition: unknown }) {
    rejectUnknownLayoutKeys(spec.definition);
    const errors = new FieldErrorCollector();
    await this.requireCompany(spec.company, errors, 'brand_owner');
    let definition = '';
    try {
      definition = JSON.stringify(parseCustomLayoutDefinition(spec.definition));
    } catch (error) {
      errors.add('definition', (error as Error).message);
    }
    errors.throwIfAny();
    return catalog.insertCustomLayout(this.deps.db, { company_id: spec.company, name: spec.name, definition, creation_date: this.now() });
  }

  async createTemplate(spec: TemplateSpec) {
    const errors = new FieldErrorCollector();
    await this.requireCompany(spec.company, errors, 'brand_owner');
    const choice = (field: string, value: string | null | undefined, choices: readonly string[]) => {
      if (value != null && !choices.includes(value)) errors.add(field, `"${value}" is not a valid choice (${choices.join(', ')}).`);
    };
    choice('code_layout', spec.code_layout, CODE_LAYOUTS);
    choice('extended_id_style', spec.extended_id_style, EXTENDED_ID_STYLES);
    for (const p of spec.partner_permissions ?? []) choice('partner_permissions', p, PARTNER_PERMISSIONS);
    if (spec.printing_partner != null) {
      const partner = await companies.findCompanyById(this.deps.db, spec.printing_partner);
      if (partner?.company_type !== 'printing_partner') errors.add('printing_partner', `Company ${spec.printing_partner} is not a printing partner.`);
    }
    if (spec.substrate != null && !(await catalog.findSubstrateById(this.deps.db, spec.substrate))) errors.add('substrate', `Substrate ${spec.substrate} does not exist.`);
    if (spec.custom_layout != null) {
      const layout = await catalog.findCustomLayoutById(this.deps.db, spec.custom_layout);
      if (!layout || layout.company_id !== spec.company) errors.add('custom_layout', `Custom layout ${spec.custom_layout} does not exist for company ${spec.company}.`);
    }
    if (spec.code_layout === 'custom' && spec.custom_layout == null) errors.add('custom_layout', 'Required when code_layout is "custom".');
    if (spec.size_mm != null && !(spec.size_mm >= 3 && spec.size_mm <= 200)) errors.add('size_mm', 'Enter a size between 3 and 200 mm.');
    if (spec.graphic_cells != null && !(Number.isInteger(spec.graphic_cells) && spec.graphic_cells >= 8 && spec.graphic_cells <= 256)) errors.add('graphic_cells', 'Enter an integer between 8 and 256.');
    // 'none': the archive holds codes.csv and manifest.json only (the printer's software draws the QR codes).
    if (spec.image_format != null && !(ARCHIVE_IMAGE_FORMATS as readonly string[]).includes(spec.image_format)) {
      errors.add('image_format', `Choose one of: ${ARCHIVE_IMAGE_FORMATS.join(', ')}.`);
    }
    if (spec.url_prefix != null && spec.url_prefix !== '' && !/^https?:\/\/\S+$/i.test(spec.url_prefix)) errors.add('url_prefix', 'Enter a valid URL prefix.');
    errors.throwIfAny();
    const bool = (v: boolean | null | undefined) => (v == null ? null : toSqlBool(v));
    return catalog.insertTemplate(this.deps.db, {
      company_id: spec.company,
      name: spec.name,
      description: spec.description ?? '',
      image: null,
      is_archived: 0,
      code_layout: spec.code_layout ?? null,
      custom_layout_id: spec.custom_layout ?? null,
      substrate_id: spec.substrate ?? null,
      printing_partner_id: spec.printing_partner ?? null,
      use_serial_number: bool(spec.use_serial_number),
      is_hybrid: bool(spec.is_hybrid),
      is_fp_serialized: bool(spec.is_fp_serialized),
      is_static_print: bool(spec.is_static_print),
      activate_on_complete: bool(spec.activate_on_complete),
      url_prefix: spec.url_prefix || null,
      extended_id_style: spec.extended_id_style ?? null,
      partner_permissions: spec.partner_permissions ? JSON.stringify(spec.partner_permissions) : null,
      size_mm: spec.size_mm ?? null,
      graphic_cells: spec.graphic_cells ?? null,
      image_format: spec.image_format ?? 'png',
      creation_date: this.now(),
    });
  }

  private async requireCompany(id: number, errors: FieldErrorCollector, type?: CompanyType): Promise<void> {
    const company = await companies.findCompanyById(this.deps.db, id);
    if (!company) errors.add('company', `Company ${id} does not exist.`);
    else if (type && company.company_type !== type) errors.add('company', `Company ${id} is a ${company.company_type}, not a ${type}.`);
  }

  private permissionList(requested: string[] | undefined, errors: FieldErrorCollector): Permission[] {
    if (requested === undefined) return [...ALL_PERMISSIONS];
    for (const p of requested) if (!isPermission(p)) errors.add('permissions', `"${p}" is not a valid permission (${ALL_PERMISSIONS.join(', ')}).`);
    return requested.filter(isPermission);
  }

  private now(): string {
    return isoMicros(this.deps.clock.now());
  }
}

function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'company';
}
