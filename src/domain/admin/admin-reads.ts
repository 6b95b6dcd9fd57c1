import type { Db } from '../../db/database.js';
import * as reads from '../../db/repositories/admin-reads.repository.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import { listConsumerKeys } from '../../db/repositories/consumer-keys.repository.js';
import type { CompanyType } from '../auth/principal.js';
import { AppError } from '../../shared/app-error.js';
import * as views from './admin-views.js';

/** `sigil <object> show ID` of an id that does not exist: `{"id": ["No company 7."]}`. */
function found<T>(row: T | undefined, what: string, id: number): T {
  if (row === undefined) throw AppError.field('id', `No ${what} ${id}.`);
  return row;
}

/** The operator's `list` and `show` of everything the CLI creates, in the views `create` prints. */
export class AdminReads {
  constructor(private readonly db: Db) {}

  async listCompanies(type?: CompanyType) {
    return (await reads.listCompanies(this.db, type)).map(views.companyView);
  }
  async showCompany(id: number) {
    return views.companyView(found(await companies.findCompanyById(this.db, id), 'company', id));
  }

  async listUsers(companyId?: number) {
    return (await reads.listUsers(this.db, companyId)).map(views.userView);
  }
  async showUser(id: number) {
    return views.userView(found(await companies.findUserById(this.db, id), 'user', id));
  }

  async listTokens(filters: { userId?: number; companyId?: number }) {
    return (await reads.listTokens(this.db, filters)).map(views.tokenView);
  }
  async showToken(id: number) {
    return views.tokenView(found(await reads.findTokenById(this.db, id), 'token', id));
  }

  async listConsumerKeys(companyId?: number) {
    return (await listConsumerKeys(this.db, companyId)).map(views.consumerKeyView);
  }
  async showConsumerKey(id: number) {
    return views.consumerKeyView(found(await reads.findConsumerKeyById(this.db, id), 'consumer key', id));
  }

  async listBrands(companyId?: number) {
    return (await reads.listBrands(this.db, companyId)).map(views.brandView);
  }
  async showBrand(id: number) {
    return views.brandView(found(await catalog.findBrandById(this.db, id), 'brand', id));
  }

  async listProducts(companyId?: number) {
    return (await reads.listProducts(this.db, companyId)).map(views.productView);
  }
  async showProduct(id: number) {
    return views.productView(found(await catalog.findProductById(this.db, id), 'product', id));
  }

  async listSubstrates(companyId?: number) {
    return (await reads.listSubstrates(this.db, companyId)).map(views.substrateView);
  }
  async showSubstrate(id: number) {
    return views.substrateView(found(await catalog.findSubstrateById(this.db, id), 'substrate', id));
  }

  async listEquipment(companyId?: number) {
    return (await reads.listEquipment(this.db, companyId)).map(views.equipmentView);
  }
  async showEquipment(id: number) {
    return views.equipmentView(found(await catalog.findEquipmentById(this.db, id), 'equipment', id));
  }

  async listCalibrations(filters: { equipmentId?: number; substrateId?: number }) {
    return (await reads.listCalibrations(this.db, filters)).map(views.calibrationView);
  }
  async showCalibration(id: number) {
    return views.calibrationView(found(await reads.findCalibrationById(this.db, id), 'calibration', id));
  }

  async listLayouts(companyId?: number) {
    return (await reads.listCustomLayouts(this.db, companyId)).map(views.layoutView);
  }
  async showLayout(id: number) {
    return views.layoutView(found(await catalog.findCustomLayoutById(this.db, id), 'layout', id));
  }

  async listTemplates(companyId?: number) {
    return (await reads.listTemplates(this.db, companyId)).map(views.templateView);
  }
  async showTemplate(id: number) {
    return views.templateView(found(await catalog.findTemplateById(this.db, id), 'template', id));
  }
}
