import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_CLI, hasScript, runClient } from '../helpers/client-cli.js';
import { freePort, hasUnzip, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

const BAR = /\[[#.]{30}\] +\d{1,3}\.\d%/;
const FULL_BAR = `[${'#'.repeat(30)}] 100.0%`;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** `sigil-client` against a real `sigil serve`: the seed workflow, downloads, errors and exit statuses. */
describe('sigil-client: the seed workflow over HTTP from the client CLI', () => {
  let dataDir: string;
  let server: ServerProcess;
  let seed: any;
  let brand: Record<string, string>;
  let partner: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigil-e2e-client-'));
    const env = { SIGIL_DATA_DIR: dataDir };
    seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    server = await startServer({ ...env, SIGIL_JOB_POLL_MS: '50' }, await freePort());
    const profile = join(dataDir, 'no-profile.json'); // absent: env alone configures the client
    brand = { SIGIL_URL: server.baseUrl, SIGIL_TOKEN: seed.brand_owner.token, SIGIL_PROFILE: profile };
    partner = { SIGIL_URL: server.baseUrl, SIGIL_TOKEN: seed.printing_partner.token, SIGIL_PROFILE: profile };
  });
  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const json = (run: { status: number | null; stdout: string; stderr: string }) => {
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };

  async function createSsc(reference: string, quantity: number) {
    return json(await runClient([
      'order', 'create-sg', '--template', String(seed.template_id), '--product', seed.product_sku, '--quantity', String(quantity),
      '--reference', reference, '--substrate', String(seed.substrate_id), '--printing-partner', String(seed.printing_partner.company_id),
      '--code-layout', 'sg-outside', '--activate-on-complete', '--is-fp-serialized', '--is-hybrid', 'false', '--remarks', 'client e2e', '--json',
    ], brand));
  }

  it('SSC: templates → create-sg → confirm → wait (progress bar) → download → verified zip; resume; corrupt part', async () => {
    const templates = json(await runClient(['templates', '--json'], brand));
    expect(templates.results.map((t: any) => t.id)).toContain(seed.template_id);
    const products = json(await runClient(['products', '--sku', seed.product_sku, '--json'], brand));
    expect(products).toMatchObject({ count: 1, results: [{ id: seed.product_id, sku: seed.product_sku }] });
    const equipment = json(await runClient(['equipment', '--json'], partner));
    expect(equipment.results).toMatchObject([{ id: seed.equipment_id, substrates: [{ id: seed.substrate_id }] }]);
    const substrates = json(await runClient(['substrates', '--equipment', String(seed.equipment_id), '--json'], partner));
    expect(substrates.results.map((s: any) => s.id)).toEqual([seed.substrate_id]);

    const quantity = 60;
    const created = await createSsc('CLI-SSC-1', quantity);
    expect(created).toMatchObject({ type: 'SSC', state: 'new', codegen_status: 1, codegen_file: null, quantity, remarks: 'client e2e' });
    expect(created.data.activate_on_complete).toBe(true);
    const confirmed = json(await runClient(['order', 'confirm', String(created.id), '--equipment', String(seed.equipment_id),
      '--substrate', String(seed.substrate_id), '--external-id', 'tk_001', '--json'], partner));
    expect(confirmed).toMatchObject({ id: created.id, codegen_status: 6, external_id: 'tk_001', equipment: { id: seed.equipment_id } });

    const waited = await runClient(['order', 'wait', String(created.id), '--interval', '0.1', '--timeout', '60'], { ...brand, SIGIL_FORCE_TTY: '1' });
    expect(waited.status, waited.stderr).toBe(0);
    expect(waited.stdout).toContain(`work order ${created.id}: ${quantity} codes generated`);
    const frames = waited.stderr.split('\r').filter(Boolean);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toMatch(BAR);
    expect(frames.at(-1)).toContain(FULL_BAR);
    expect(frames.at(-1)).toContain(`generated: codes ${quantity}/${quantity}, images ${quantity}/${quantity}`);

    const shown = json(await runClient(['order', 'show', String(created.id), '--json'], brand));
    expect(shown).toMatchObject({ id: created.id, codegen_status: 4, codegen_progress: { percent: 100 } });
    const expectedSha = shown.codegen_file_sha256 as string;
    expect(expectedSha).toMatch(/^[0-9a-f]{64}$/);

    const file = join(dataDir, 'ssc.zip');
    const downloaded = await runClient(['order', 'download', String(created.id), '-o', file, '--progress', '--json'], brand);
    const result = json(downloaded);
    const zip = readFileSync(file);
    expect(result).toEqual({ file, bytes: zip.length, sha256: expectedSha, resumed_from: 0, verified: true });
    expect(sha256(zip)).toBe(expectedSha);
    expect(downloaded.stderr.split('\r').filter(Boolean).at(-1)).toContain(FULL_BAR);
    expect(existsSync(`${file}.part`)).toBe(false);
    if (hasUnzip()) {
      const listing = spawnSync('unzip', ['-l', file], { encoding: 'utf8' }).stdout;
      expect(listing.match(/\.png\n/g)).toHaveLength(quantity);
      expect(listing).toMatch(/ codes\.csv\n/);
      expect(listing).toMatch(/ manifest\.json\n/);
    }

    // An interrupted download's part file is resumed with a Range request and ends identical.
    const resumedFile = join(dataDir, 'resumed.zip');
    const kept = Math.floor(zip.length / 3);
    writeFileSync(`${resumedFile}.part`, zip.subarray(0, kept));
    const resumed = await runClient(['order', 'download', String(created.id), '-o', resumedFile], brand);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${resumedFile}.part`);
    expect(resumed.stdout).toContain(`saved ${resumedFile}`);
    expect(resumed.stdout).toContain('verified');
    expect(readFileSync(resumedFile).equals(zip)).toBe(true);

    // A part file that is not a prefix of the archive fails the checksum (so only the rest was fetched): deleted, exit 6.
    const corruptFile = join(dataDir, 'corrupt.zip');
    writeFileSync(`${corruptFile}.part`, Buffer.alloc(kept));
    const corrupt = await runClient(['order', 'download', String(created.id), '-o', corruptFile], brand);
    expect(corrupt.status).toBe(6);
    expect(corrupt.stderr).toMatch(/corrupt \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\)/);
    expect(existsSync(`${corruptFile}.part`)).toBe(false);
    expect(existsSync(corruptFile)).toBe(false);

    // The human-readable list shows the order; no output ever holds the token.
    const listed = await runClient(['order', 'list', '--search', 'CLI-SSC-1'], brand);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^ID +TYPE +REFERENCE +STATE[^\\n]*\\n${created.id} +SSC +CLI-SSC-1 +completed +generated +100%`));
    for (const run of [waited, downloaded, resumed, corrupt, listed]) expect(run.stdout + run.stderr).not.toContain(seed.brand_owner.token);
  });

  it('SID from a --file payload: create-sid → wait (plain lines off a terminal) → download', async () => {
    const payload = join(dataDir, 'sid.json');
    writeFileSync(payload, JSON.stringify({ reference: 'from-file', quantity: 5, use_serial_number: false, extended_id_style: 'compact-12' }));
    const created = json(await runClient(['order', 'create-sid', '--file', payload, '--reference', 'CLI-SID-1', '--quantity', '7', '--json'], brand));
    expect(created).toMatchObject({ type: 'SID', reference: 'CLI-SID-1', quantity: 7, use_serial_number: false, extended_id_style: 'compact-12' });
    const waited = await runClient(['order', 'wait', String(created.id), '--interval', '0.1', '--json'], brand);
    expect(json(waited)).toMatchObject({ id: created.id, codegen_status: 4 });
    expect(waited.stderr).not.toContain('\r');
    expect(waited.stderr.trimEnd().split('\n').at(-1)).toBe('100.0%  completed, generated: codes 7/7, images 7/7');
    const file = join(dataDir, 'sid.zip');
    const downloaded = await runClient(['order', 'download', String(created.id), '-o', file], brand);
    expect(downloaded.status, downloaded.stderr).toBe(0);
    expect(downloaded.stderr).toMatch(/^100%  [\d.]+ KiB \/ [\d.]+ KiB$/m);
    expect(sha256(readFileSync(file))).toBe(json(await runClient(['order', 'show', String(created.id), '--json'], brand)).codegen_file_sha256);
  });

  it('order wait exits 4 for a canceled order and 5 on --timeout', async () => {
    const pending = await createSsc('CLI-SSC-TIMEOUT', 5);
    const timedOut = await runClient(['order', 'wait', String(pending.id), '--interval', '0.1', '--timeout', '0.3'], brand);
    expect(timedOut.status).toBe(5);
    expect(timedOut.stderr).toContain(`error: work order ${pending.id}: still new, awaiting confirmation`);

    const canceled = json(await runClient(['order', 'cancel', String(pending.id), '--json'], brand));
    expect(canceled.state).toBe('canceled');
    const waited = await runClient(['order', 'wait', String(pending.id), '--interval', '0.1'], brand);
    expect(waited.status).toBe(4);
    expect(waited.stderr).toContain(`error: work order ${pending.id}: the order was canceled`);
    const download = await runClient(['order', 'download', String(pending.id)], brand);
    expect(download.status).toBe(1);
    expect(download.stderr).toContain(`error: work order ${pending.id} has no file to download yet`);
  });

  it('API errors print as field lines (400) or the detail (404), exit 1; another tenant\'s order is not found', async () => {
    await createSsc('CLI-SSC-DUP', 3);
    const duplicate = await runClient(['order', 'create-sg', '--reference', 'CLI-SSC-DUP', '--quantity', '3', '--template', String(seed.template_id)], brand);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toBe('error: reference: A work order with this reference already exists.\n');
    const tooMany = await runClient(['order', 'list', '--limit', '5000'], brand);
    expect(tooMany.status).toBe(1);
    expect(tooMany.stderr).toMatch(/^error: limit: .+\n$/);
    const missing = await runClient(['order', 'show', '999999'], brand);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('error: Not found.\n');
    const sid = json(await runClient(['order', 'create-sid', '--reference', 'CLI-SID-PRIVATE', '--quantity', '1', '--json'], brand));
    const foreign = await runClient(['order', 'show', String(sid.id)], partner);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toBe('error: Not found.\n');
    const badToken = await runClient(['templates'], { ...brand, SIGIL_TOKEN: 'not-a-valid-token' });
    expect(badToken.status).toBe(1);
    expect(badToken.stderr).toMatch(/^error: .+\n$/);
    expect(badToken.stderr).not.toContain('not-a-valid-token');
  });

  it('bad options and a missing URL or token: a clear message, exit 2; an unreachable server names the URL, exit 1', async () => {
    const negative = await runClient(['order', 'list', '--limit', '-1'], brand);
    expect(negative.status).toBe(2);
    expect(negative.stderr).toContain('error: option \'--limit <n>\' argument \'-1\' is invalid');
    const state = await runClient(['order', 'list', '--state', 'bogus'], brand);
    expect(state.status).toBe(2);
    expect(state.stderr).toContain('Allowed choices are new, ready to print, printed, completed, canceled');
    const unknown = await runClient(['order', 'show', '1', '--colour'], brand);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('error: unknown option \'--colour\'');
    const notInt = await runClient(['order', 'show', 'abc'], brand);
    expect(notInt.status).toBe(2);
    const noEquipment = await runClient(['order', 'confirm', '1', '--substrate', '1'], partner);
    expect(noEquipment.status).toBe(2);
    expect(noEquipment.stderr).toContain('error: required option \'--equipment <id>\' not specified');
    const noQuantity = await runClient(['order', 'create-sid', '--reference', 'X'], brand);
    expect(noQuantity.status).toBe(2);
    expect(noQuantity.stderr).toContain('error: required option \'--quantity <…>\' not specified (nor "quantity" in --file)');

    const profile = join(dataDir, 'absent-profile.json');
    const noToken = await runClient(['templates'], { SIGIL_URL: server.baseUrl, SIGIL_PROFILE: profile });
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toBe(`error: no token: set SIGIL_TOKEN, pass --token, or put "token" in the profile ${profile}\n`);
    const nothing = await runClient(['templates'], { SIGIL_PROFILE: profile });
    expect(nothing.stderr).toContain('error: no server URL: set SIGIL_URL');

    const port = await freePort();
    const unreachable = await runClient(['templates'], { ...brand, SIGIL_URL: `http://127.0.0.1:${port}` });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toBe(`error: cannot reach http://127.0.0.1:${port}/api/v2/workorders/templates/: ECONNREFUSED\n`);
  });

  it('the profile file supplies what the environment does not; the environment and the options win over it', async () => {
    const profile = join(dataDir, 'client.json');
    writeFileSync(profile, JSON.stringify({ url: server.baseUrl, token: seed.brand_owner.token }));
    const fromProfile = await runClient(['templates', '--json'], { SIGIL_PROFILE: profile });
    expect(json(fromProfile).count).toBeGreaterThan(0);
    // The partner's token from the environment wins: the partner sees its presses; the brand owner has none.
    expect(json(await runClient(['equipment', '--json'], { SIGIL_PROFILE: profile, SIGIL_TOKEN: seed.printing_partner.token })).count).toBe(1);
    expect(json(await runClient(['equipment', '--json'], { SIGIL_PROFILE: profile })).count).toBe(0);
    // --url/--token win over the environment.
    const options = await runClient(['--url', server.baseUrl, '--token', seed.printing_partner.token, 'equipment', '--json'],
      { SIGIL_PROFILE: profile, SIGIL_URL: 'http://127.0.0.1:9', SIGIL_TOKEN: 'wrong' });
    expect(json(options).count).toBe(1);

    writeFileSync(profile, '{"url": ');
    const broken = await runClient(['templates'], { SIGIL_PROFILE: profile });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain(`error: the profile ${profile} is not valid JSON`);
  });

  it('--help describes every command with an example and the exit statuses', async () => {
    const help = await runClient(['--help'], {});
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Exit status:');
    expect(help.stdout).toContain('Example (the seed workflow):');
    for (const command of ['order', 'templates', 'equipment', 'substrates', 'products']) expect(help.stdout).toMatch(new RegExp(`\\n  ${command} `));
    const orderHelp = await runClient(['order', '--help'], {});
    for (const sub of ['create-sg', 'create-sid', 'confirm', 'list', 'show', 'wait', 'download', 'cancel']) expect(orderHelp.stdout).toMatch(new RegExp(`\\n  ${sub} `));
    for (const args of [['order', 'create-sg'], ['order', 'confirm'], ['order', 'wait'], ['order', 'download'], ['substrates'], ['products']]) {
      const sub = await runClient([...args, '--help'], {});
      expect(sub.status).toBe(0);
      expect(sub.stdout).toMatch(/\nExample:\n  sigil-client /);
      expect(sub.stdout).toContain('--json');
    }
    const create = (await runClient(['order', 'create-sg', '--help'], {})).stdout;
    expect(create).toMatch(/--reference <ref> +your reference, unique in your company\s+\(required/);
    expect(create).toMatch(/--quantity <n> +number of codes \(required/);
  });

  it.skipIf(!hasScript())('draws the bar on a real pseudo-terminal (util-linux script) without being forced', async () => {
    const sid = json(await runClient(['order', 'create-sid', '--reference', 'CLI-SID-PTY', '--quantity', '3', '--json'], brand));
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLIENT_CLI)} order wait ${sid.id} --interval 0.1`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...brand }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(status, output).toBe(0);
    expect(output).toContain(`\r${FULL_BAR}`);
    expect(output).toContain(`work order ${sid.id}: 3 codes generated`);
  });
});
