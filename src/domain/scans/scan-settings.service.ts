import type { Db } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import type { ProductRow } from '../../db/tables/catalog.table.js';
import type { CompanyRow, MaxScanAction } from '../../db/tables/companies.table.js';
import { AppError, FieldErrorCollector } from '../../shared/app-error.js';
import { requirePermission, type Principal } from '../auth/principal.js';
import { loadProductView, type ProductView } from '../catalog/product-views.js';

export const MAX_SCAN_ACTIONS = ['flag', 'blacklist'] as const satisfies readonly MaxScanAction[];

/**
 * Where a scan leads and when a code has been scanned too often: `undefined` leaves a setting as it is,
 * null clears it. For a product, `landing_url` is its `client_url`.
 */
export interface ScanSettingsInput {
  landing_url?: string | null;
  max_scan_count?: number | null;
  max_scan_action?: MaxScanAction | null;
}

export interface ScanSettings {
  landing_url: string | null;
  max_scan_count: number | null;
  max_scan_action: MaxScanAction | null;
}

const MAX_URL_LENGTH = 2048;

/**
 * Scan settings of a product (its `client_url` and limit) and of a brand owner (the defaults for
 * products that set none). Brand owners manage their own; the operator's CLI any company's.
 */
export class ScanSettingsService {
  constructor(private readonly deps: { db: Db }) {}

  async getProduct(principal: Principal, id: number): Promise<ProductView> {
    requirePermission(principal, 'product_view');
    return this.view(await this.visibleProduct(principal, id));
  }

  async updateProduct(principal: Principal, id: number, input: ScanSettingsInput): Promise<ProductView> {
    requirePermission(principal, 'product_edit');
    const product = await this.visibleProduct(principal, id);
    return this.view(await this.writeProduct(product.id, input));
  }

  /** The operator's path (CLI): any product. */
  async updateProductAsOperator(id: number, input: ScanSettingsInput): Promise<ProductView> {
    const product = await catalog.findProductById(this.deps.db, id);
    if (!product) throw AppError.field('product', `No product with id ${id}.`);
    return this.view(await this.writeProduct(product.id, input));
  }

  async getCompanySettings(principal: Principal): Promise<ScanSettings> {
    requirePermission(principal, 'product_view');
    return settingsOf(await this.ownBrandOwner(principal));
  }

  async updateCompanySettings(principal: Principal, input: ScanSettingsInput): Promise<ScanSettings> {
    requirePermission(principal, 'product_edit');
    const company = await this.ownBrandOwner(principal);
    return settingsOf(await this.writeCompany(company.id, input));
  }

  /** The operator's path (CLI): any brand owner. */
  async updateCompanySettingsAsOperator(companyId: number, input: ScanSettingsInput): Promise<ScanSettings> {
    const company = await companies.findCompanyById(this.deps.db, companyId);
    if (!company || company.company_type !== 'brand_owner') throw AppError.field('company', `No brand owner with id ${companyId}.`);
    return settingsOf(await this.writeCompany(company.id, input));
  }

  private async writeProduct(id: number, input: ScanSettingsInput): Promise<ProductRow> {
    const { landing_url: clientUrl, ...limits } = validated(input, 'client_url');
    const set = { ...limits, ...(clientUrl === undefined ? {} : { client_url: clientUrl }) };
    if (Object.keys(set).length === 0) return (await catalog.findProductById(this.deps.db, id))!;
    return catalog.updateProduct(this.deps.db, id, set);
  }

  private async writeCompany(id: number, input: ScanSettingsInput): Promise<CompanyRow> {
    const changes = validated(input);
    if (Object.keys(changes).length === 0) return (await companies.findCompanyById(this.deps.db, id))!;
    return companies.updateCompany(this.deps.db, id, changes);
  }

  /** A brand owner's own products, or any for platform staff; anything else does not exist for the caller. */
  private async visibleProduct(principal: Principal, id: number): Promise<ProductRow> {
    const product = await catalog.findProductById(this.deps.db, id);
    const visible = product && (principal.companyType === 'platform' || product.company_id === principal.companyId);
    if (!visible) throw AppError.notFound();
    return product;
  }

  private async ownBrandOwner(principal: Principal): Promise<CompanyRow> {
    if (principal.companyType !== 'brand_owner') throw AppError.forbidden('Only brand owners have scan settings.');
    const company = await companies.findCompanyById(this.deps.db, principal.companyId);
    if (!company) throw AppError.notFound();
    return company;
  }

  private view(product: ProductRow): Promise<ProductView> {
    return loadProductView(this.deps.db, product);
  }
}

function settingsOf(company: CompanyRow): ScanSettings {
  return { landing_url: company.landing_url, max_scan_count: company.max_scan_count, max_scan_action: company.max_scan_action };
}

/** Checks every field (reporting all problems at once) and returns only those given. */
function validated(input: ScanSettingsInput, urlField = 'landing_url'): ScanSettingsInput {
  const errors = new FieldErrorCollector();
  const out: ScanSettingsInput = {};
  if (input.landing_url !== undefined) {
    if (input.landing_url === null || input.landing_url === '') out.landing_url = null;
    else if (!isWebUrl(input.landing_url)) errors.add(urlField, 'Enter a valid http:// or https:// URL.');
    else out.landing_url = input.landing_url;
  }
  if (input.max_scan_count !== undefined) {
    if (input.max_scan_count !== null && (!Number.isInteger(input.max_scan_count) || input.max_scan_count < 1 || input.max_scan_count > 1_000_000_000)) {
      errors.add('max_scan_count', 'Ensure this value is an integer between 1 and 1000000000, or null.');
    } else out.max_scan_count = input.max_scan_count;
  }
  if (input.max_scan_action !== undefined) {
    if (input.max_scan_action !== null && !(MAX_SCAN_ACTIONS as readonly string[]).includes(input.max_scan_action)) {
      errors.add('max_scan_action', `"${String(input.max_scan_action)}" is not a valid choice (flag, blacklist).`);
    } else out.max_scan_action = input.max_scan_action;
  }
  if (errors.has()) throw AppError.validation(errors.toJSON());
  return out;
}

function isWebUrl(text: string): boolean {
  if (text.length > MAX_URL_LENGTH) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
