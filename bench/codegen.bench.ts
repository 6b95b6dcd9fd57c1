/**
 * Code generation throughput: `npm run bench:codegen [-- --codes 3000 --quantity 100000[,1000000] --verify]`.
 *
 * On one list of URLs (the demo SSC order's shape: `https://sigil.example/q/` + legacy extended IDs):
 *   1. baseline — the `qrcode` package's `toBuffer` (one PNG per code), one core;
 *   2. ours, one thread — our QR encoder + secure graphic + 1-bit PNG on the demo SSC render plan;
 * then, through the real job path:
 *   3. full pipeline — the built `sigil serve` on a fresh data dir: an SSC order is created and confirmed
 *      over HTTP, and the in-process worker generates it (ids + database + pattern + PNG + zip, render
 *      threads = cores) until the zip is stored. Peak RSS is the server process's VmHWM.
 * Prints codes/s, the ratios and the server's CPU seconds per order; `--verify` also runs `unzip -t` on
 * the archive and counts its images; `--profile DIR` writes CPU profiles of the server's threads;
 * `--trace-rss` prints the server's resident set at every progress poll.
 * DESIGN.md budget: full pipeline ≥ 20× the baseline's per-core rate; 1 000 000 codes < 60 s; peak RSS
 * < 300 MB and flat in quantity (100 000 vs 1 000 000 within 10%).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { PatternGenerator } from '../src/codegen/graphic/pattern.js';
import { generateExtendedId } from '../src/codegen/ids/extended-id.js';
import { planRender } from '../src/codegen/render/plan-render.js';
import { renderCodeImage } from '../src/codegen/render/render-code.js';
import { pooledRandomBytes, secureRandom } from '../src/shared/random.js';
import { apiClient, freePort, runCli, startServer, type ServerProcess } from '../test/helpers/server-process.js';
import { cpuSeconds, peakRssMb, rssBreakdown } from './process-stats.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const CODES = Number(option('codes') ?? 3000);
const QUANTITIES = (option('quantity') ?? '50000').split(',').map(Number);
const VERIFY = args.includes('--verify');
/** `--profile DIR`: the server runs with `--cpu-prof` into DIR (main thread and render threads). */
const PROFILE_DIR = option('profile');
/** `--trace-rss`: prints the server's resident set (anonymous / file / shared) at every progress poll. */
const TRACE_RSS = args.includes('--trace-rss');
const PREFIX = 'https://sigil.example/q/';
/** The demo press and template: 812 dpi, 10 mm, 32 cells of 2 dots, density 0.45, SG beside the QR. */
const DEMO = { dpi: 812, sizeMm: 10, cells: 32, cellDots: 2, density: 0.45 };

function rate(count: number, ms: number): number {
  return (count / ms) * 1000;
}

async function baselineRate(urls: string[]): Promise<number> {
  for (const url of urls.slice(0, 200)) await QRCode.toBuffer(url, { errorCorrectionLevel: 'M' });
  const start = performance.now();
  for (const url of urls) await QRCode.toBuffer(url, { errorCorrectionLevel: 'M' });
  return rate(urls.length, performance.now() - start);
}

function oursRate(urls: string[], ids: string[]): { rate: number; bytes: number } {
  const plan = planRender({
    layout: 'sg-outside', urlLength: urls[0]!.length, dpi: DEMO.dpi, sizeMm: DEMO.sizeMm,
    graphic: { cells: DEMO.cells, cellDots: DEMO.cellDots, density: DEMO.density }, customLayout: null,
  });
  const patterns = new PatternGenerator(new Uint8Array(32).fill(7));
  const once = (i: number) => renderCodeImage(plan, urls[i]!, patterns.derive(ids[i]!, DEMO.cells, DEMO.density), 'png');
  for (let i = 0; i < Math.min(500, urls.length); i++) once(i);
  let bytes = 0;
  const start = performance.now();
  for (let i = 0; i < urls.length; i++) bytes += once(i).data.length;
  return { rate: rate(urls.length, performance.now() - start), bytes: bytes / urls.length };
}

interface OrderRun {
  quantity: number;
  seconds: number;
  rate: number;
  peakRssMb: number;
  cpuSeconds: number;
  archiveMb: number;
  progressUpdates: number;
  verified: string;
}

/** One SSC order of `quantity` codes through the real server, job runner, render pool and blob store. */
async function runOrder(quantity: number): Promise<OrderRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-bench-codegen-'));
  // As `npm start` runs it: glibc's malloc limited to 2 arenas (render threads otherwise get their own,
  // ≈ 20 MB more resident); set MALLOC_ARENA_MAX yourself to measure another value.
  const env = {
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', SIGIL_DATA_DIR: dataDir, SIGIL_JOB_POLL_MS: '50',
  };
  let server: ServerProcess | undefined;
  try {
    const seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    server = await startServer({ ...env, SIGIL_PUBLIC_URL: 'https://sigil.example' }, await freePort(),
      PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []);
    const clients = new Map<string, ReturnType<typeof apiClient>>();
    const call = async (method: string, path: string, token: string, body?: unknown) => {
      if (!clients.has(token)) clients.set(token, apiClient(server!.baseUrl, token));
      const reply = await clients.get(token)!(method, path, body);
      if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    };
    const order = await call('POST', '/api/v2/workorders/create-sg/', seed.brand_owner.token, {
      reference: `bench-${quantity}`, quantity, template: seed.template_id, product: seed.product_sku,
      printing_partner: seed.printing_partner.company_id, code_layout: 'sg-outside', extended_id_style: 'legacy',
      is_fp_serialized: true, use_serial_number: true,
    });
    const start = performance.now();
    const cpuBefore = cpuSeconds(server.child.pid!);
    await call('PATCH', `/api/v2/workorders/${order.id}/printer-confirm/`, seed.printing_partner.token, {
      equipment: seed.equipment_id, substrate: seed.substrate_id,
    });
    let progressUpdates = 0;
    let lastProgress = '';
    for (;;) {
      const current = await call('GET', `/api/v2/workorders/${order.id}/`, seed.brand_owner.token);
      if (TRACE_RSS) console.log(`  ${((performance.now() - start) / 1000).toFixed(1).padStart(6)} s  ${rssBreakdown(server.child.pid!)}  codes ${current.codegen_progress.codes_generated}, images ${current.codegen_progress.images_rendered}`);
      const progress = JSON.stringify(current.codegen_progress);
      if (progress !== lastProgress) {
        progressUpdates += 1;
        lastProgress = progress;
      }
      if (current.codegen_status === 4) break; // generated
      if (current.codegen_status === 5) throw new Error(`generation failed: ${current.codegen_error ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = cpuSeconds(server.child.pid!) - cpuBefore;
    const peak = peakRssMb(server.child.pid!);
    // The archive is stored as parts (each batch's fragment, then its end) and served as one download.
    const head = await fetch(`${server.baseUrl}/api/v2/workorders/${order.id}/download/`, { method: 'HEAD', headers: { authorization: `UAT ${seed.brand_owner.token}` } });
    const archiveMb = Number(head.headers.get('content-length')) / 1024 / 1024;
    let verified = 'not checked (--verify)';
    if (VERIFY) {
      const zip = join(dataDir, 'download.zip');
      const got = await fetch(`${server.baseUrl}/api/v2/workorders/${order.id}/download/`, { headers: { authorization: `UAT ${seed.brand_owner.token}` } });
      await pipeline(Readable.fromWeb(got.body as never), createWriteStream(zip));
      const test = spawnSync('unzip', ['-tqq', zip], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const list = spawnSync('sh', ['-c', `unzip -Z1 "${zip}" | grep -c '^images/.*\\.png$'`], { encoding: 'utf8' });
      verified = `unzip -t ${test.status === 0 ? 'OK' : `FAILED (${test.stdout.slice(0, 200)}${test.stderr.slice(0, 200)})`}, ${list.stdout.trim()} images listed`;
    }
    return { quantity, seconds, rate: quantity / seconds, peakRssMb: peak, cpuSeconds: cpu, archiveMb, progressUpdates, verified };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const random = pooledRandomBytes(secureRandom);
  const ids = Array.from({ length: CODES }, () => generateExtendedId('legacy', random));
  const urls = ids.map((id) => PREFIX + id);
  console.log(`Code generation benchmark: ${availableParallelism()} cores, ${CODES} URLs like ${urls[0]}`);
  const baseline = await baselineRate(urls);
  const ours = oursRate(urls, ids);
  const row = (label: string, value: string, ratio: string, note = '') =>
    console.log(`${label.padEnd(44)} | ${value.padStart(14)} | ${ratio.padStart(8)} | ${note}`);
  row('what', 'codes/s', 'ratio', 'notes');
  row('qrcode.toBuffer (baseline, 1 core)', baseline.toFixed(0), '1.00×');
  row('ours: QR + graphic + PNG (1 thread)', ours.rate.toFixed(0), `${(ours.rate / baseline).toFixed(2)}×`, `${ours.bytes.toFixed(0)} bytes/PNG, 812 dpi sg-outside`);
  const runs: OrderRun[] = [];
  for (const quantity of QUANTITIES) {
    const run = await runOrder(quantity);
    runs.push(run);
    const ok = run.rate / baseline >= 20 && run.peakRssMb < 300 && (quantity < 1_000_000 || run.seconds < 60);
    row(`full pipeline, ${quantity} codes (pool)`, run.rate.toFixed(0), `${(run.rate / baseline).toFixed(2)}×`,
      `${run.seconds.toFixed(1)} s, CPU ${run.cpuSeconds.toFixed(1)} s (${((run.cpuSeconds / quantity) * 1e6).toFixed(0)} µs/code), peak RSS ${run.peakRssMb.toFixed(0)} MB, zip ${run.archiveMb.toFixed(0)} MB, ` +
      `${run.progressUpdates} progress readings, ${run.verified} — target ≥ 20×, < 300 MB${quantity >= 1_000_000 ? ', < 60 s' : ''}: ${ok ? 'met' : 'NOT met'}`);
  }
  if (runs.length > 1) {
    const small = runs[0]!;
    const large = runs[runs.length - 1]!;
    const diff = Math.abs(large.peakRssMb - small.peakRssMb) / small.peakRssMb;
    console.log(`peak RSS ${small.quantity} vs ${large.quantity} codes: ${small.peakRssMb.toFixed(0)} MB vs ${large.peakRssMb.toFixed(0)} MB, ` +
      `difference ${(diff * 100).toFixed(1)}% — target < 10%: ${diff < 0.1 ? 'met' : 'NOT met'}`);
  }
}

await main();
