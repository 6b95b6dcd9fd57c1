import type { Command } from 'commander';
import type { Page, Query } from '../api-client.js';
import { type Column, printPage } from '../output.js';
import { type CommandContext, nonNegativeInt, type PageOptions, positiveInt } from './parsers.js';

type Row = Record<string, unknown>;
const field = (name: string) => (row: Row) => row[name];
const nested = (name: string, key: string) => (row: Row) => (row[name] as Row | null | undefined)?.[key];
/** `Plain Paper (1), Gloss (4)` from a list of objects. */
const names = (name: string, nameKey: string, idKey: string) => (row: Row) =>
  ((row[name] as Row[] | undefined) ?? []).map((item) => `${String(item[nameKey])} (${String(item[idKey])})`).join(', ');
const flag = (name: string) => (row: Row) => (row[name] === null || row[name] === undefined ? null : row[name] ? 'yes' : 'no');

interface ListSpec {
  name: string;
  path: string;
  description: string;
  example: string;
  columns: Column<Row>[];
  /** Extra filters: option flags, description, and the query parameter the value goes to. */
  filters?: Array<{ flags: string; description: string; param: string; parse?: (value: string) => unknown }>;
}

const LISTS: ListSpec[] = [
  {
    name: 'templates',
    path: '/api/v2/workorders/templates/',
    description: 'work-order templates set up for your company (GET /api/v2/workorders/templates/)',
    example: 'sigil-client templates --json',
    columns: [['ID', field('id')], ['NAME', field('name')], ['LAYOUT', field('code_layout')], ['PARTNER', field('printing_partner')],
      ['SUBSTRATE', field('substrate_name')], ['SERIALS', flag('use_serial_number')], ['IMAGES', field('image_format')]],
  },
  {
    name: 'equipment',
    path: '/api/v2/equipment/',
    description: 'presses of your company (a printing partner\'s) with their calibrated substrates (GET /api/v2/equipment/)',
    example: 'sigil-client equipment',
    columns: [['ID', field('id')], ['NAME', field('name')], ['DPI', field('dpi')], ['CALIBRATED SUBSTRATES', names('substrates', 'name', 'id')]],
  },
  {
    name: 'substrates',
    path: '/api/v2/substrates/',
    description: 'printable materials of your company; with --equipment, those calibrated for that press (GET /api/v2/substrates/)',
    example: 'sigil-client substrates --equipment 3',
    columns: [['ID', field('id')], ['NAME', field('name')], ['CALIBRATED FOR', names('calibrated_for', 'equipment_name', 'equipment_id')]],
    filters: [{ flags: '--equipment <id>', description: 'only substrates calibrated for this equipment', param: 'equipment', parse: positiveInt }],
  },
  {
    name: 'products',
    path: '/api/v2/products/',
    description: 'products (SKUs) of your company (GET /api/v2/products/)',
    example: 'sigil-client products --sku P2',
    columns: [['ID', field('id')], ['SKU', field('sku')], ['NAME', field('name')], ['BRAND', nested('brand', 'name')], ['CODES', field('code_count')]],
    filters: [{ flags: '--sku <sku>', description: 'the product with exactly this SKU', param: 'sku__exact' }],
  },
];

export function registerCatalogCommands(program: Command, context: CommandContext): void {
  for (const spec of LISTS) {
    const command = program.command(spec.name).description(spec.description);
    for (const filter of spec.filters ?? []) {
      if (filter.parse) command.option(filter.flags, filter.description, filter.parse);
      else command.option(filter.flags, filter.description);
    }
    command.option('--limit <n>', 'page size (server default 20, at most 1000)', positiveInt)
      .option('--offset <n>', 'index of the first result', nonNegativeInt)
      .option('--json', 'print the API\'s page as JSON', false)
      .addHelpText('after', `\nExample:\n  ${spec.example}`)
      .action(async (o: PageOptions & Record<string, unknown>) => {
        const query: Query = { limit: o.limit, offset: o.offset };
        for (const filter of spec.filters ?? []) {
          const value = o[command.createOption(filter.flags).attributeName()];
          if (value !== undefined) query[filter.param] = value as string | number;
        }
        printPage(await context.api().json<Page<Row>>('GET', spec.path, { query }), o.offset ?? 0, o.json, spec.columns);
      });
  }
}
