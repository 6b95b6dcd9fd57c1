#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { buildContainer, type Container } from '../app/container.js';
import { serve, work } from '../app/serve.js';
import { loadConfig } from '../config/load-config.js';
import * as companies from '../db/repositories/companies.repository.js';
import { seedDemo } from '../domain/admin/seed-demo.js';
import { AppError } from '../shared/app-error.js';
import { createLogger } from '../shared/logger.js';
import { StartupError } from '../shared/startup-error.js';
import { tuneHeapForSteadyMemory } from './heap-tuning.js';

tuneHeapForSteadyMemory();

const int = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
};
const num = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};
const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter(Boolean);
const bool = (value: string): boolean => {
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new InvalidArgumentError('expected true or false');
};
const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

/**
 * Runs `action` with a container on the configured database, closing it afterwards. Only setting-up
 * commands (`migrate`, `seed-demo`) may create a new data directory: the others, run where no
 * installation is, say where they looked instead of working on a new empty one.
 */
async function withContainer<T>(action: (c: Container) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const config = loadConfig(process.env, { create: options.create ?? false });
  const container = await buildContainer(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, { format: config.logFormat }));
  try {
    return await action(container);
  } finally {
    await container.close();
  }
}

async function resolveUserId(c: Container, user: string): Promise<number> {
  if (/^\d+$/.test(user)) return Number(user);
  const row = await companies.findUserByUsername(c.db, user);
  if (!row) throw AppError.field('user', `No user named "${user}".`);
  return row.id;
}

const program = new Command('sigil').description('Sigil: secure serialized codes (Scantrust API v2 compatible)');

program.command('serve').description('serve the API (and run the job worker in-process)').action(async () => {
  await serve(loadConfig());
});

program.command('worker').description('run only the job worker (no HTTP); pair with SIGIL_RUN_WORKER=false serve')
  .option('--concurrency <n>', 'jobs run at once by this process (default: SIGIL_JOB_CONCURRENCY, 2)', int)
  .action(async (o: { concurrency?: number }) => {
    const config = loadConfig();
    if (o.concurrency === undefined) return work(config);
    if (o.concurrency < 1 || o.concurrency > 64) throw new InvalidArgumentError('--concurrency must be between 1 and 64');
    return work(Object.freeze({ ...config, jobConcurrency: o.concurrency }));
  });

program.command('migrate').description('apply pending database migrations').action(async () => {
  await withContainer(async () => undefined, { create: true }); // building the container migrates under the migrator's lock
  process.stdout.write('database is up to date\n');
});

program.command('seed-demo').description('create demo companies, catalogue and tokens (idempotent)')
  .option('--json', 'print the result as one JSON object', false)
  .action(async (options: { json: boolean }) => {
    const result = await withContainer((c) => seedDemo(c.db, c.admin), { create: true });
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else print(result);
  });

const company = program.command('company').description('companies (tenants)');
company.command('create').requiredOption('--name <name>').requiredOption('--type <type>', 'brand_owner | printing_partner | platform')
  .option('--slug <slug>').option('--country <iso2>').option('--city <city>').option('--website <url>')
  .option('--secure-workflow <bool>', 'SSC orders go ready to print → printed → completed', bool, false)
  .action(async (o) => print(await withContainer((c) => c.admin.createCompany({ ...o, hasSecureWorkflow: o.secureWorkflow }))));

const user = program.command('user').description('users');
user.command('create').requiredOption('--company <id>', 'company id', int).requiredOption('--username <name>')
  .option('--email <email>').option('--password-stdin', 'read the password from standard input', false)
  .option('--permissions <list>', 'comma-separated (default: all permissions)', list)
  .action(async (o) => {
    const password = o.passwordStdin ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : undefined;
    const row = await withContainer((c) => c.admin.createUser({ company: o.company, username: o.username, email: o.email, password, permissions: o.permissions }));
    print({ id: row.id, username: row.username, company: row.company_id, permissions: JSON.parse(row.permissions) });
  });

const token = program.command('token').description('User Authorization Tokens (UAT)');
token.command('create').requiredOption('--user <id|username>').requiredOption('--name <name>')
  .option('--permissions <list>', 'comma-separated (default: all permissions)', list)
  .option('--expires <date>', 'ISO date or date-time the token stops working')
  .option('--expires-in-days <days>', 'alternative to --expires', int)
  .action(async (o) => {
    let expiresAt: Date | null = null;
    if (o.expires) {
      expiresAt = new Date(o.expires);
      if (Number.isNaN(expiresAt.getTime())) throw AppError.field('expires', 'Not a valid date.');
    } else if (o.expiresInDays) expiresAt = new Date(Date.now() + o.expiresInDays * 86_400_000);
    const created = await withContainer(async (c) => c.admin.createToken({ user: await resolveUserId(c, o.user), name: o.name, permissions: o.permissions, expiresAt }));
    print({ ...created, note: 'The key is shown only now; store it safely. Send it as "Authorization: UAT <key>".' });
  });
token.command('revoke').argument('<id>', 'token id', int).action(async (id: number) => {
  await withContainer((c) => c.admin.revokeToken(id));
  process.stdout.write(`token ${id} revoked\n`);
});
token.command('list').option('--user <id|username>').action(async (o) => {
  print(await withContainer(async (c) => c.admin.listTokens(o.user ? await resolveUserId(c, o.user) : undefined)));
});

const consumerKey = program.command('consumer-key').description('Consumer API keys of brand owners (header X-ScanTrust-Consumer-Api-Key)');
consumerKey.command('create').description('issue a key; it is printed only now').requiredOption('--company <id>', 'brand owner id', int)
  .action(async (o: { company: number }) => print(await withContainer((c) => c.consumerKeys.create(o.company))));
consumerKey.command('list').description('keys (prefix, dates, revoked; never the key)').option('--company <id>', 'brand owner id', int)
  .action(async (o: { company?: number }) => print(await withContainer((c) => c.consumerKeys.list(o.company))));
consumerKey.command('revoke').argument('<id>', 'consumer key id', int).action(async (id: number) => {
  await withContainer((c) => c.consumerKeys.revoke(id));
  process.stdout.write(`consumer key ${id} revoked\n`);
});

const simple = (name: string, description: string) => program.command(name).description(description).command('create');

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
simple('brand', 'brands of a brand owner').requiredOption('--company <id>', 'brand owner id', int).requiredOption('--name <name>').option('--reference <ref>')
  .action(async (o) => print(await withContainer((c) => c.admin.createBrand(o))));
const productCreate = simple('product', 'products (SKUs) of a brand owner').requiredOption('--company <id>', 'brand owner id', int).requiredOption('--sku <sku>')
  .requiredOption('--name <name>').option('--brand <id>', 'brand id', int).option('--description <text>')
  .action(async (o) => print(await withContainer((c) => c.admin.createProduct(o))));
withScanSettingOptions(productCreate.parent!.command('update').description('set a product\'s landing page and scan limit')
  .argument('<id>', 'product id', int).option('--client-url <url|none>', 'landing page for scans of its codes (gets ?scan_id=…)'))
  .action(async (id: number, o) => {
    const view = await withContainer((c) => c.scanSettings.updateProductAsOperator(id, { ...scanLimits(o), landing_url: noneAsNull(o.clientUrl) }));
    print({ id: view.product.id, sku: view.product.sku, client_url: view.product.client_url, max_scan_count: view.product.max_scan_count, max_scan_action: view.product.max_scan_action });
  });
withScanSettingOptions(program.command('scan-settings').description('a brand owner\'s landing page and scan limit (for products that set none)')
  .requiredOption('--company <id>', 'brand owner id', int).option('--landing-url <url|none>', 'landing page for scans (gets ?scan_id=…); none: Sigil\'s verdict page'))
  .action(async (o) => print(await withContainer((c) => c.scanSettings.updateCompanySettingsAsOperator(o.company, { ...scanLimits(o), landing_url: noneAsNull(o.landingUrl) }))));
simple('substrate', 'printable materials of a printing partner').requiredOption('--company <id>', 'printing partner id', int)
  .requiredOption('--name <name>').option('--description <text>')
  .action(async (o) => print(await withContainer((c) => c.admin.createSubstrate(o))));
simple('equipment', 'presses of a printing partner').requiredOption('--company <id>', 'printing partner id', int)
  .requiredOption('--name <name>').requiredOption('--dpi <dpi>', 'native resolution', int).option('--description <text>')
  .action(async (o) => print(await withContainer((c) => c.admin.createEquipment(o))));
simple('calibration', 'calibrate an equipment + substrate pair').requiredOption('--equipment <id>', '', int)
  .requiredOption('--substrate <id>', '', int).requiredOption('--cell-size-dots <n>', 'secure-graphic cell size in printer dots', int)
  .requiredOption('--black-density <d>', 'target share of black cells, e.g. 0.45', num)
  .action(async (o) => print(await withContainer((c) => c.admin.createCalibration(o))));
simple('layout', 'custom layouts (for code_layout "custom")').requiredOption('--company <id>', 'brand owner id', int)
  .requiredOption('--name <name>').requiredOption('--definition <json|@file>', 'layout JSON, or @path to a JSON file')
  .action(async (o) => {
    const text = o.definition.startsWith('@') ? readFileSync(o.definition.slice(1), 'utf8') : o.definition;
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (error) {
      throw AppError.field('definition', `Not valid JSON: ${(error as Error).message}`);
    }
    print(await withContainer((c) => c.admin.createCustomLayout({ company: o.company, name: o.name, definition })));
  });
simple('template', 'work-order templates (set by platform staff for a brand owner)')
  .option('--file <path>', 'JSON file with every template attribute (see README); flags override it')
  .option('--company <id>', 'brand owner id', int).option('--name <name>').option('--description <text>')
  .option('--code-layout <layout>', 'sg-inside | sg-outside | custom').option('--custom-layout <id>', '', int)
  .option('--substrate <id>', '', int).option('--printing-partner <id>', '', int)
  .option('--use-serial-number <bool>', '', bool).option('--is-hybrid <bool>', '', bool).option('--is-fp-serialized <bool>', '', bool)
  .option('--is-static-print <bool>', '', bool).option('--activate-on-complete <bool>', '', bool)
  .option('--url-prefix <url>').option('--extended-id-style <style>', 'legacy | compact-12')
  .option('--partner-permissions <list>', '', list).option('--size-mm <mm>', 'printed QR width incl. quiet zone', num)
  .option('--graphic-cells <n>', 'secure-graphic cells per side', int)
  .option('--image-format <format>', 'png | svg | none (per-code images in the archive; none: codes.csv and manifest.json only; default png)')
  .action(async (o) => {
    const fromFile = o.file ? (JSON.parse(readFileSync(o.file, 'utf8')) as Record<string, unknown>) : {};
    const flags: Record<string, unknown> = {
      company: o.company, name: o.name, description: o.description, code_layout: o.codeLayout, custom_layout: o.customLayout,
      substrate: o.substrate, printing_partner: o.printingPartner, use_serial_number: o.useSerialNumber, is_hybrid: o.isHybrid,
      is_fp_serialized: o.isFpSerialized, is_static_print: o.isStaticPrint, activate_on_complete: o.activateOnComplete,
      url_prefix: o.urlPrefix, extended_id_style: o.extendedIdStyle, partner_permissions: o.partnerPermissions,
      size_mm: o.sizeMm, graphic_cells: o.graphicCells, image_format: o.imageFormat,
    };
    const spec = { ...fromFile, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
    if (typeof spec.company !== 'number' || typeof spec.name !== 'string') throw AppError.validation({ company: ['Required (number).'], name: ['Required.'] });
    print(await withContainer((c) => c.admin.createTemplate(spec as never)));
  });

program.parseAsync().catch((error: unknown) => {
  // Said for an operator (what, where, which variable): no stack trace.
  if (error instanceof StartupError) process.stderr.write(`sigil: ${error.message}\n`);
  else if (error instanceof AppError) process.stderr.write(`error: ${JSON.stringify(error.details.fields ?? error.message)}\n`);
  else process.stderr.write(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
