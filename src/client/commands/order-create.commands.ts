import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { ClientError, EXIT } from '../exit-codes.js';
import type { Workorder } from '../workorder.js';
import { bool, type CommandContext, list, nonNegativeInt, positiveInt } from './parsers.js';
import { printOrder } from './order-output.js';

/** One option per field of the create-sg / create-sid body (src/api/schemas/workorder.schemas.ts). */
interface FieldOption {
  field: string;
  flags: string;
  description: string;
  parse?: (value: string) => unknown;
  choices?: string[];
}

const FLAG = '[bool]'; // `--is-hybrid` alone means true; `--is-hybrid false` sends false

const COMMON: FieldOption[] = [
  { field: 'reference', flags: '--reference <ref>', description: 'your reference, unique in your company (required, here or in --file)' },
  { field: 'quantity', flags: '--quantity <n>', description: 'number of codes (required, here or in --file)', parse: positiveInt },
  { field: 'product', flags: '--product <sku>', description: 'product SKU (see "sigil-client products")' },
  { field: 'template', flags: '--template <id>', description: 'work-order template id (see "sigil-client templates")', parse: positiveInt },
  { field: 'remarks', flags: '--remarks <text>', description: 'free text' },
  { field: 'activate_on_complete', flags: `--activate-on-complete ${FLAG}`, description: 'activate the codes when the order completes (default false)', parse: bool },
  { field: 'use_serial_number', flags: `--use-serial-number ${FLAG}`, description: 'give every code a serial number (default true)', parse: bool },
  { field: 'extended_id_style', flags: '--extended-id-style <style>', description: 'extended ID style (default legacy)', choices: ['legacy', 'compact-12'] },
  { field: 'url_prefix', flags: '--url-prefix <url>', description: 'code URL = prefix + extended ID (default: the server\'s)' },
  { field: 'due_date', flags: '--due-date <date>', description: 'ISO-8601 date or date-time' },
];

const SG_ONLY: FieldOption[] = [
  { field: 'printing_partner', flags: '--printing-partner <id>', description: 'printing partner company id (required unless the template sets it)', parse: positiveInt },
  { field: 'code_layout', flags: '--code-layout <layout>', description: 'QR and secure graphic layout (required unless the template sets it)', choices: ['sg-inside', 'sg-outside', 'custom'] },
  { field: 'custom_layout', flags: '--custom-layout <id>', description: 'custom layout id (required with --code-layout custom)', parse: positiveInt },
  { field: 'substrate', flags: '--substrate <id>', description: 'substrate id of the printing partner', parse: positiveInt },
  { field: 'is_hybrid', flags: `--is-hybrid ${FLAG}`, description: 'hybrid printing (default false)', parse: bool },
  { field: 'template_image', flags: `--template-image ${FLAG}`, description: 'there is a template image', parse: bool },
  { field: 'is_fp_serialized', flags: `--is-fp-serialized ${FLAG}`, description: 'one secure graphic per code (default true)', parse: bool },
  { field: 'is_static_print', flags: `--is-static-print ${FLAG}`, description: 'static print (default false)', parse: bool },
  { field: 'static_unique_codes_quantity', flags: '--static-unique-codes-quantity <n>', description: 'static unique codes', parse: nonNegativeInt },
  { field: 'partner_permissions', flags: '--partner-permissions <list>', description: 'comma-separated, e.g. activate_codes', parse: list },
];

/** Commander's camelCase attribute of an option (`--is-fp-serialized` → `isFpSerialized`). */
const attributeOf = (option: FieldOption) => new Option(option.flags).attributeName();

function readPayload(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ClientError([`error: --file ${path}: ${(error as Error).message}`], EXIT.usage);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ClientError([`error: --file ${path} must hold one JSON object (the request body)`], EXIT.usage);
  }
  return parsed as Record<string, unknown>;
}

/** The request body: the --file payload, with every option given on the command line over it. */
export function bodyOf(options: readonly FieldOption[], values: Record<string, unknown>): Record<string, unknown> {
  const body = typeof values.file === 'string' ? readPayload(values.file) : {};
  for (const option of options) {
    const value = values[attributeOf(option)];
    if (value !== undefined) body[option.field] = value;
  }
  const missing = ['reference', 'quantity'].filter((field) => body[field] === undefined || body[field] === null || body[field] === '');
  if (missing.length > 0) {
    throw new ClientError(missing.map((field) => `error: required option '--${field} <…>' not specified (nor "${field}" in --file)`), EXIT.usage);
  }
  return body;
}

function createCommand(order: Command, context: CommandContext, spec: { name: string; path: string; options: FieldOption[]; description: string; example: string }) {
  const command = order.command(spec.name).description(spec.description);
  for (const option of spec.options) {
    const built = new Option(option.flags, option.description);
    if (option.parse) built.argParser(option.parse);
    if (option.choices) built.choices(option.choices);
    command.addOption(built);
  }
  command.option('--file <payload.json>', 'a JSON request body; options given here override its fields')
    .option('--json', 'print the API\'s work order as JSON', false)
    .addHelpText('after', `\nExample:\n  ${spec.example}`)
    .action(async (values: Record<string, unknown>) => {
      const body = bodyOf(spec.options, values);
      printOrder(await context.api().json<Workorder>('POST', spec.path, { body }), values.json === true);
    });
}

export function registerOrderCreate(order: Command, context: CommandContext): void {
  createCommand(order, context, {
    name: 'create-sg',
    path: '/api/v2/workorders/create-sg/',
    options: [...COMMON, ...SG_ONLY],
    description: 'brand owner: order SSC codes (QR + secure graphic); the printing partner confirms next (POST /api/v2/workorders/create-sg/)',
    example: 'sigil-client order create-sg --template 1 --product P2 --quantity 1000 --reference Tk-022 --substrate 2 --printing-partner 3 --code-layout sg-outside',
  });
  createCommand(order, context, {
    name: 'create-sid',
    path: '/api/v2/workorders/create-sid/',
    options: COMMON,
    description: 'brand owner: order SID codes (QR only); generation starts at once (POST /api/v2/workorders/create-sid/)',
    example: 'sigil-client order create-sid --quantity 1000 --reference SID-7 --activate-on-complete',
  });
}
