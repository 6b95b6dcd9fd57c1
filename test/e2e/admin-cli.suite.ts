import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/server-process.js';
import type { TestDatabase } from '../helpers/test-database.js';

type Json = Record<string, any>;

/** Names a printed object must never have: secrets, or their hashes. */
const SECRET_NAMES = /hash|password|secret|encryption|^key$/i;

function secretNames(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretNames(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(SECRET_NAMES.test(k) ? [`${path}.${k}`] : []), ...secretNames(v, `${path}.${k}`)]);
}

/** Each object's list/show commands and the columns that are 0/1 in the database (printed as booleans). */
const OBJECTS = {
  company: { what: 'company', booleans: ['has_secure_workflow', 'is_validated'] },
  user: { what: 'user', booleans: ['is_active', 'can_log_in'] },
  token: { what: 'token', booleans: [] },
  'consumer-key': { what: 'consumer key', booleans: [] },
  brand: { what: 'brand', booleans: [] },
  product: { what: 'product', booleans: ['is_archived'] },
  substrate: { what: 'substrate', booleans: ['is_archived'] },
  equipment: { what: 'equipment', booleans: ['is_archived'] },
  calibration: { what: 'calibration', booleans: [] },
  layout: { what: 'layout', booleans: [] },
  template: { what: 'template', booleans: ['is_archived', 'use_serial_number', 'is_hybrid', 'is_static_print'] },
} as const;
type ObjectName = keyof typeof OBJECTS;

/**
 * The operator's admin CLI through real `sigil` processes on a fresh installation: list and show of
 * every object it creates print the shape create printed, booleans as booleans and never a secret;
 * unknown ids and unknown `--file` keys are errors naming them; every command is described in --help.
 */
export function describeAdminCli(engine: string, createDatabase: () => Promise<TestDatabase>): void {
  // Each `sigil` process takes 1–2 s on a busy 2-core machine, and a test here runs up to ~25 of them.
  describe(`sigil admin CLI: list, show, strict --file, help (${engine})`, { timeout: 240_000 }, () => {
    let dataDir: string;
    let database: TestDatabase;
    let env: Record<string, string>;
    let seed: Json;
    const created = {} as Record<ObjectName, Json>;
    const keys: string[] = [];

    const sigil = (args: string[], input?: string) => {
      const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', input });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const json = (args: string[], input?: string): any => {
      const result = sigil(args, input);
      if (result.status !== 0) throw new Error(`sigil ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
      return JSON.parse(result.stdout);
    };

    beforeAll(async () => {
      database = await createDatabase();
      dataDir = mkdtempSync(join(tmpdir(), 'sigil-e2e-admin-'));
      env = { ...database.env, SIGIL_DATA_DIR: dataDir };
      expect(runCli(['migrate'], env)).toBe('database is up to date\n');
      seed = JSON.parse(runCli(['seed-demo', '--json'], env));

      created.company = json(['company', 'create', '--name', 'Acme Labels', '--type', 'brand_owner', '--secure-workflow', 'true', '--country', 'DE']);
      const owner = String(created.company.id);
      created.user = json(['user', 'create', '--company', owner, '--username', 'acme-admin', '--email', 'a@acme.example',
        '--permissions', 'workorder_view,product_view', '--password-stdin'], 'correct horse battery\n');
      created.token = json(['token', 'create', '--user', 'acme-admin', '--name', 'ci', '--permissions', 'workorder_view', '--expires-in-days', '30']);
      created['consumer-key'] = json(['consumer-key', 'create', '--company', owner]);
      keys.push(created.token.key, created['consumer-key'].key);
      created.brand = json(['brand', 'create', '--company', owner, '--name', 'Acme', '--reference', 'AC-1']);
      created.product = json(['product', 'create', '--company', owner, '--sku', 'AC-SKU', '--name', 'Label', '--brand', String(created.brand.id)]);
      const partner = String(seed.printing_partner.company_id);
      created.substrate = json(['substrate', 'create', '--company', partner, '--name', 'Gloss', '--description', 'glossy paper']);
      created.equipment = json(['equipment', 'create', '--company', partner, '--name', 'HP 6K', '--dpi', '600']);
      created.calibration = json(['calibration', 'create', '--equipment', String(created.equipment.id), '--substrate', String(created.substrate.id),
        '--cell-size-dots', '3', '--black-density', '0.4']);
      const definition = { width_mm: 30, height_mm: 20, qr: { x_mm: 0, y_mm: 0, size_mm: 12 }, graphic: { x_mm: 15, y_mm: 2 } };
      created.layout = json(['layout', 'create', '--company', owner, '--name', 'wide', '--definition', JSON.stringify(definition)]);
      const file = join(dataDir, 'template.json');
      writeFileSync(file, JSON.stringify({
        company: created.company.id, name: 'from file', code_layout: 'custom', custom_layout: created.layout.id, use_serial_number: true,
        is_hybrid: false, partner_permissions: ['activate_codes'], size_mm: 12.5, graphic_cells: 40,
      }));
      created.template = json(['template', 'create', '--file', file, '--is-static-print', 'false', '--printing-partner', partner]);
    }, 240_000);
    afterAll(async () => {
      await database?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('create printed each object with its values, booleans as booleans, and no secret but the one-time key', () => {
      expect(created.company).toMatchObject({ name: 'Acme Labels', slug: 'acme-labels', company_type: 'brand_owner', country: 'DE', has_secure_workflow: true, is_validated: true });
      expect(created.user).toMatchObject({ company: created.company.id, username: 'acme-admin', email: 'a@acme.example', permissions: ['workorder_view', 'product_view'], is_active: true, can_log_in: true });
      expect(created.token).toMatchObject({ user: created.user.id, username: 'acme-admin', name: 'ci', key_prefix: created.token.key.slice(0, 6), permissions: ['workorder_view'], revoked_at: null });
      expect(created.token.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(created['consumer-key']).toMatchObject({ company: created.company.id, key_prefix: created['consumer-key'].key.slice(0, 6), revoked_at: null });
      expect(created.brand).toMatchObject({ company: created.company.id, name: 'Acme', reference: 'AC-1' });
      expect(created.product).toMatchObject({ company: created.company.id, brand: created.brand.id, sku: 'AC-SKU', is_archived: false, max_scan_count: null });
      expect(created.substrate).toMatchObject({ company: seed.printing_partner.company_id, name: 'Gloss', description: 'glossy paper', is_archived: false });
      expect(created.equipment).toMatchObject({ company: seed.printing_partner.company_id, name: 'HP 6K', dpi: 600, is_archived: false });
      expect(created.calibration).toMatchObject({ equipment: created.equipment.id, substrate: created.substrate.id, cell_size_dots: 3, black_density: 0.4 });
      expect(created.layout.definition).toEqual({ width_mm: 30, height_mm: 20, qr: { x_mm: 0, y_mm: 0, size_mm: 12 }, graphic: { x_mm: 15, y_mm: 2 } });
      expect(created.template).toMatchObject({
        company: created.company.id, name: 'from file', code_layout: 'custom', custom_layout: created.layout.id, printing_partner: seed.printing_partner.company_id,
        use_serial_number: true, is_hybrid: false, is_static_print: false, is_fp_serialized: null, activate_on_complete: null,
        partner_permissions: ['activate_codes'], size_mm: 12.5, graphic_cells: 40, image_format: 'png', is_archived: false,
      });
      for (const [name, { booleans }] of Object.entries(OBJECTS)) {
        for (const field of booleans) expect(typeof created[name as ObjectName][field], `${name}.${field}`).toBe('boolean');
      }
      const { key: tokenKey, note, ...token } = created.token;
      expect(note).toContain('shown only now');
      expect(secretNames(token)).toEqual([]);
      const { key: consumerKey, ...consumer } = created['consumer-key'];
      expect(secretNames(consumer)).toEqual([]);
      expect([tokenKey, consumerKey]).toEqual(keys);
    });

    it('show prints what create printed (without the one-time key); list holds the same object; neither holds a secret', () => {
      for (const name of Object.keys(OBJECTS) as ObjectName[]) {
        const { key: _key, note: _note, ...view } = created[name];
        const shown = sigil([name, 'show', String(view.id)]);
        expect(shown.status, `${name} show`).toBe(0);
        expect(JSON.parse(shown.stdout), `${name} show`).toEqual(view);
        const listed = sigil([name, 'list']);
        expect(listed.status, `${name} list`).toBe(0);
        const all = JSON.parse(listed.stdout) as Json[];
        expect(Array.isArray(all)).toBe(true);
        expect(all.find((o) => o.id === view.id), `${name} list`).toEqual(view);
        for (const output of [shown.stdout, listed.stdout]) {
          expect(secretNames(JSON.parse(output)), `${name}`).toEqual([]);
          for (const key of keys) expect(output).not.toContain(key);
        }
        for (const object of all) for (const field of OBJECTS[name].booleans) expect(typeof object[field], `${name}.${field}`).toBe('boolean');
      }
    });

    it('list filters by the natural owner', () => {
      const ids = (args: string[]) => (json(args) as Json[]).map((o) => o.id);
      const owner = String(created.company.id);
      const partner = String(seed.printing_partner.company_id);
      expect(ids(['company', 'list'])).toEqual([seed.brand_owner.company_id, seed.printing_partner.company_id, seed.platform.company_id, created.company.id]);
      expect(ids(['company', 'list', '--type', 'brand_owner'])).toEqual([seed.brand_owner.company_id, created.company.id]);
      expect(ids(['user', 'list', '--company', owner])).toEqual([created.user.id]);
      expect(ids(['token', 'list', '--company', owner])).toEqual([created.token.id]);
      expect(ids(['token', 'list', '--user', 'acme-admin'])).toEqual([created.token.id]);
      expect(ids(['token', 'list', '--user', String(created.user.id)])).toEqual([created.token.id]);
      expect(ids(['consumer-key', 'list', '--company', owner])).toEqual([created['consumer-key'].id]);
      expect(ids(['brand', 'list', '--company', owner])).toEqual([created.brand.id]);
      expect(ids(['product', 'list', '--company', owner])).toEqual([created.product.id]);
      expect(ids(['product', 'list', '--company', String(seed.brand_owner.company_id)])).toEqual([seed.product_id]);
      expect(ids(['substrate', 'list', '--company', partner])).toEqual([seed.substrate_id, created.substrate.id]);
      expect(ids(['equipment', 'list', '--company', partner])).toEqual([seed.equipment_id, created.equipment.id]);
      expect(ids(['equipment', 'list', '--company', owner])).toEqual([]);
      expect(ids(['calibration', 'list', '--equipment', String(created.equipment.id)])).toEqual([created.calibration.id]);
      expect(ids(['calibration', 'list', '--substrate', String(seed.substrate_id)])).toHaveLength(1);
      expect(ids(['calibration', 'list', '--equipment', String(created.equipment.id), '--substrate', String(seed.substrate_id)])).toEqual([]);
      expect(ids(['layout', 'list', '--company', owner])).toEqual([created.layout.id]);
      expect(ids(['template', 'list', '--company', owner])).toEqual([created.template.id]);
      expect(ids(['template', 'list'])).toEqual([seed.template_id, created.template.id]);
      const badType = sigil(['company', 'list', '--type', 'bank']);
      expect(badType.status).toBe(1);
      expect(badType.stderr).toContain('"type":["\\"bank\\" is not a valid choice');
      const badInt = sigil(['brand', 'list', '--company', 'x']);
      expect(badInt.status).toBe(1);
      expect(badInt.stderr).toMatch(/--company <id>.*expected an integer/);
    });

    it('show of an unknown id exits 1 naming it; a non-integer id is refused', () => {
      for (const [name, { what }] of Object.entries(OBJECTS)) {
        const result = sigil([name, 'show', '999999']);
        expect(result.status, name).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(`error: {"id":["No ${what} 999999."]}\n`);
      }
      const result = sigil(['company', 'show', 'acme']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/value 'acme' is invalid for argument 'id'\. expected an integer/);
    });

    it('template --file: unknown keys and wrong types are field errors naming them, and nothing is created', () => {
      const before = json(['template', 'list']);
      const file = join(dataDir, 'typo.json');
      const write = (value: unknown) => writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
      write({ company: created.company.id, name: 'typo', codeLayout: 'sg-inside' });
      let result = sigil(['template', 'create', '--file', file]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^error: \{"codeLayout":\["Unknown field\. Known: company, name, description, code_layout, .*image_format\."\]\}\n$/);

      write({ company: String(created.company.id), name: 'typed', use_serial_number: 'yes', size_mm: '10', partner_permissions: 'workorder_view', graphic_cells: 3.5, name_: null });
      result = sigil(['template', 'create', '--file', file]);
      expect(result.status).toBe(1);
      const errors = JSON.parse(result.stderr.replace(/^error: /, ''));
      expect(Object.keys(errors).sort()).toEqual(['company', 'graphic_cells', 'name_', 'partner_permissions', 'size_mm', 'use_serial_number']);
      expect(errors.use_serial_number).toEqual(['Must be a valid boolean.']);
      expect(errors.company).toEqual(['A valid integer is required.']);
      expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace

      for (const [text, message] of [['[1, 2]', 'Expected a JSON object'], ['{"company": ', 'Not valid JSON'], [null, 'Cannot read the file']] as const) {
        if (text !== null) write(text);
        result = sigil(['template', 'create', '--file', text === null ? join(dataDir, 'missing.json') : file]);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(`{"file":["${message}`);
      }
      write({ description: 'no name' });
      result = sigil(['template', 'create', '--file', file, '--company', String(created.company.id)]);
      expect(result.status).toBe(1);
      expect(JSON.parse(result.stderr.replace(/^error: /, ''))).toEqual({ name: ['This field is required (--name or "name" in the file).'] });
      expect(json(['template', 'list'])).toEqual(before);
    });

    it('layout --definition: unknown keys (top level or nested) are refused naming them, and nothing is created', () => {
      const before = json(['layout', 'list']);
      const definition = { width_mm: 30, height_mm: 20, qr: { x_mm: 0, y_mm: 0, size_mm: 12, colour: 'red' }, graphic: { x_mm: 15, y_mm: 2 }, margin: 1 };
      const result = sigil(['layout', 'create', '--company', String(created.company.id), '--name', 'typo', '--definition', JSON.stringify(definition)]);
      expect(result.status).toBe(1);
      expect(JSON.parse(result.stderr.replace(/^error: /, ''))).toEqual({
        definition: { margin: ['Unknown field. Known: width_mm, height_mm, qr, graphic.'], qr: { colour: ['Unknown field. Known: x_mm, y_mm, size_mm.'] } },
      });
      const missing = sigil(['layout', 'create', '--company', String(created.company.id), '--name', 'x', '--definition', `@${join(dataDir, 'none.json')}`]);
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('{"definition":["Cannot read the file');
      expect(json(['layout', 'list'])).toEqual(before);
    });

    it('--help: groups describe their subcommands, create marks its required options, the top level ends with an example', () => {
      // (Every command's, option's and argument's description: src/main/admin-program.test.ts, in process.)
      const help = (args: string[]) => {
        const result = sigil([...args, '--help']);
        expect(result.status, args.join(' ')).toBe(0);
        return result.stdout;
      };
      const top = help([]);
      expect(top).toContain('Example: an installation from scratch');
      expect(top.trimEnd()).toMatch(/\$ sigil template show 1\n.*--help.*$/);
      expect(top).toMatch(/\n {2}company +companies \(tenants\)/);
      const company = help(['company']);
      expect(company).toMatch(/\n {2}create \[options\] +create a company\n/);
      expect(company).toMatch(/\n {2}list \[options\] +every company, oldest first\n/);
      expect(company).toMatch(/\n {2}show <id> +print one company by id\n/);
      const create = help(['calibration', 'create']);
      expect(create.split('\n')[2]).toBe('calibrate an equipment + substrate pair');
      expect(create).toMatch(/--equipment <id>\s+equipment id \(required\)/);
      expect(create).toMatch(/--black-density <d>\s+target share of black cells, e\.g\. 0\.45 \(required\)/);
    });
  });
}
