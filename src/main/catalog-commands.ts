import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AdminReads } from '../domain/admin/admin-reads.js';
import * as views from '../domain/admin/admin-views.js';
import { templateSpecFrom } from '../domain/admin/template-file.js';
import { AppError } from '../shared/app-error.js';
import { addShow, bool, int, list, num, print, withContainer, withReads } from './cli-support.js';

/** `none` clears a setting; an absent option leaves it as it is. */
const noneAsNull = (value: string | undefined): string | null | undefined => (value === 'none' ? null : value);
const countOrNone = (value: string): number | null => (value === 'none' ? null : int(value));
function withScanSettingOptions(command: Command): Command {
  return command.option('--max-scan-count <n|none>', 'scans after which a code is suspicious', countOrNone)
    .option('--max-scan-action <flag|blacklist|none>', 'past the limit: flag the scan (default) or blacklist the code (reason 10)');
}
function scanLimits(o: { maxScanCount?: number | null; maxScanAction?: string }) {
  return { max_scan_count: o.maxScanCount, max_scan_action: noneAsNull(o.maxScanAction) as 'flag' | 'blacklist' | null | undefined };
}

/** A JSON file's or argument's text, parsed; unreadable or invalid, a field error naming `field`. */
function readJson(field: string, text: () => string): unknown {
  let source: string;
  try {
    source = text();
  } catch (error) {
    throw AppError.field(field, `Cannot read the file: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw AppError.field(field, `Not valid JSON: ${(error as Error).message}`);
  }
}

/** `list [--company ID]` of objects owned by a company. */
function addCompanyList(group: Command, what: string, owner: string, listed: (reads: AdminReads, companyId?: number) => Promise<unknown>): void {
  group.command('list').description(`every ${what}, oldest first (archived too)`).option('--company <id>', `only this ${owner}'s`, int)
    .action(async (o: { company?: number }) => print(await withReads((reads) => listed(reads, o.company))));
}

/** `sigil brand | product | scan-settings | substrate | equipment | calibration | layout | template …`: the catalogue. */
export function addCatalogCommands(program: Command): void {
  const brand = program.command('brand').description('brands of a brand owner');
  brand.command('create').description('create a brand').requiredOption('--company <id>', 'brand owner id', int)
    .requiredOption('--name <name>', 'brand name').option('--reference <ref>', 'your reference for it')
    .action(async (o) => print(views.brandView(await withContainer((c) => c.admin.createBrand(o)))));
  addCompanyList(brand, 'brand', 'brand owner', (reads, company) => reads.listBrands(company));
  addShow(brand, 'brand', (reads, id) => reads.showBrand(id));

  const product = program.command('product').description('products (SKUs) of a brand owner');
  product.command('create').description('create a product').requiredOption('--company <id>', 'brand owner id', int)
    .requiredOption('--sku <sku>', 'stock-keeping unit, unique per brand owner').requiredOption('--name <name>', 'product name')
    .option('--brand <id>', 'brand id', int).option('--description <text>', 'description')
    .action(async (o) => print(views.productView(await withContainer((c) => c.admin.createProduct(o)))));
  withScanSettingOptions(product.command('update').description('set a product\'s landing page and scan limit')
    .argument('<id>', 'product id', int).option('--client-url <url|none>', 'landing page for scans of its codes (gets ?scan_id=…)'))
    .action(async (id: number, o) => print(await withReads(async (reads, c) => {
      await c.scanSettings.updateProductAsOperator(id, { ...scanLimits(o), landing_url: noneAsNull(o.clientUrl) });
      return reads.showProduct(id);
    })));
  addCompanyList(product, 'product', 'brand owner', (reads, company) => reads.listProducts(company));
  addShow(product, 'product', (reads, id) => reads.showProduct(id));

  withScanSettingOptions(program.command('scan-settings').description('set a brand owner\'s landing page and scan limit (for products that set none)')
    .requiredOption('--company <id>', 'brand owner id', int).option('--landing-url <url|none>', 'landing page for scans (gets ?scan_id=…); none: Sigil\'s verdict page'))
    .action(async (o) => print(await withContainer((c) => c.scanSettings.updateCompanySettingsAsOperator(o.company, { ...scanLimits(o), landing_url: noneAsNull(o.landingUrl) }))));

  const substrate = program.command('substrate').description('printable materials of a printing partner');
  substrate.command('create').description('create a substrate').requiredOption('--company <id>', 'printing partner id', int)
    .requiredOption('--name <name>', 'material name').option('--description <text>', 'description')
    .action(async (o) => print(views.substrateView(await withContainer((c) => c.admin.createSubstrate(o)))));
  addCompanyList(substrate, 'substrate', 'printing partner', (reads, company) => reads.listSubstrates(company));
  addShow(substrate, 'substrate', (reads, id) => reads.showSubstrate(id));

  const equipment = program.command('equipment').description('presses of a printing partner');
  equipment.command('create').description('create an equipment (press)').requiredOption('--company <id>', 'printing partner id', int)
    .requiredOption('--name <name>', 'press name').requiredOption('--dpi <dpi>', 'native resolution', int).option('--description <text>', 'description')
    .action(async (o) => print(views.equipmentView(await withContainer((c) => c.admin.createEquipment(o)))));
  addCompanyList(equipment, 'equipment', 'printing partner', (reads, company) => reads.listEquipment(company));
  addShow(equipment, 'equipment', (reads, id) => reads.showEquipment(id));

  const calibration = program.command('calibration').description('calibrations of equipment + substrate pairs');
  calibration.command('create').description('calibrate an equipment + substrate pair').requiredOption('--equipment <id>', 'equipment id', int)
    .requiredOption('--substrate <id>', 'substrate id (of the same printing partner)', int)
    .requiredOption('--cell-size-dots <n>', 'secure-graphic cell size in printer dots', int)
    .requiredOption('--black-density <d>', 'target share of black cells, e.g. 0.45', num)
    .action(async (o) => print(views.calibrationView(await withContainer((c) => c.admin.createCalibration(o)))));
  calibration.command('list').description('every calibration, oldest first')
    .option('--equipment <id>', 'only this equipment\'s', int).option('--substrate <id>', 'only this substrate\'s', int)
    .action(async (o: { equipment?: number; substrate?: number }) => {
      print(await withReads((reads) => reads.listCalibrations({ equipmentId: o.equipment, substrateId: o.substrate })));
    });
  addShow(calibration, 'calibration', (reads, id) => reads.showCalibration(id));

  const layout = program.command('layout').description('custom layouts (for code_layout "custom")');
  layout.command('create').description('create a custom layout').requiredOption('--company <id>', 'brand owner id', int)
    .requiredOption('--name <name>', 'layout name')
    .requiredOption('--definition <json|@file>', 'layout JSON ({"width_mm", "height_mm", "qr": {"x_mm", "y_mm", "size_mm"}, "graphic": {"x_mm", "y_mm"}}), or @path to a JSON file')
    .action(async (o) => {
      const definition = readJson('definition', () => (o.definition.startsWith('@') ? readFileSync(o.definition.slice(1), 'utf8') : o.definition));
      print(views.layoutView(await withContainer((c) => c.admin.createCustomLayout({ company: o.company, name: o.name, definition }))));
    });
  addCompanyList(layout, 'custom layout', 'brand owner', (reads, company) => reads.listLayouts(company));
  addShow(layout, 'layout', (reads, id) => reads.showLayout(id));

  const template = program.command('template').description('work-order templates (set by platform staff for a brand owner)');
  template.command('create').description('create a template from flags and/or a JSON file (--company and --name required, here or in the file)')
    .option('--file <path>', 'JSON object with template attributes (keys as in `template show`, e.g. "code_layout"); unknown keys are refused; flags override it')
    .option('--company <id>', 'brand owner id', int).option('--name <name>', 'template name').option('--description <text>', 'description')
    .option('--code-layout <layout>', 'sg-inside | sg-outside | custom').option('--custom-layout <id>', 'custom layout id (code layout custom)', int)
    .option('--substrate <id>', 'substrate id', int).option('--printing-partner <id>', 'printing partner id', int)
    .option('--use-serial-number <bool>', 'codes get serial numbers', bool).option('--is-hybrid <bool>', 'hybrid codes', bool)
    .option('--is-fp-serialized <bool>', 'fingerprint serialized', bool)
    .option('--is-static-print <bool>', 'static print', bool).option('--activate-on-complete <bool>', 'activate codes when the order completes', bool)
    .option('--url-prefix <url>', 'URL the codes start with').option('--extended-id-style <style>', 'legacy | compact-12')
    .option('--partner-permissions <list>', 'comma-separated permissions of the printing partner', list)
    .option('--size-mm <mm>', 'printed QR width incl. quiet zone', num)
    .option('--graphic-cells <n>', 'secure-graphic cells per side', int)
    .option('--image-format <format>', 'png | svg | none (per-code images in the archive; none: codes.csv and manifest.json only; default png)')
    .action(async (o) => {
      const file = o.file === undefined ? undefined : readJson('file', () => readFileSync(o.file, 'utf8'));
      const spec = templateSpecFrom(file, {
        company: o.company, name: o.name, description: o.description, code_layout: o.codeLayout, custom_layout: o.customLayout,
        substrate: o.substrate, printing_partner: o.printingPartner, use_serial_number: o.useSerialNumber, is_hybrid: o.isHybrid,
        is_fp_serialized: o.isFpSerialized, is_static_print: o.isStaticPrint, activate_on_complete: o.activateOnComplete,
        url_prefix: o.urlPrefix, extended_id_style: o.extendedIdStyle, partner_permissions: o.partnerPermissions,
        size_mm: o.sizeMm, graphic_cells: o.graphicCells, image_format: o.imageFormat,
      });
      print(views.templateView(await withContainer((c) => c.admin.createTemplate(spec))));
    });
  addCompanyList(template, 'template', 'brand owner', (reads, company) => reads.listTemplates(company));
  addShow(template, 'template', (reads, id) => reads.showTemplate(id));
}
