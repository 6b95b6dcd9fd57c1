/**
 * SID orders without images (template `image_format` "none"): `npm run bench:sid [-- --quantity 1000000 --runs 3 --verify]`.
 *
 * Each run, on a fresh data dir:
 *   1. baseline — the same rows (legacy extended IDs drawn beforehand, serials, sequence and batch
 *      numbers) inserted into a fresh SQLite file by better-sqlite3 alone: Sigil's `codes` table and
 *      indexes (its DDL, read from a `sigil migrate`d file), Sigil's pragmas (WAL, synchronous NORMAL,
 *      4 MB page cache, 40 MB autocheckpoint), each batch of 20 000 sorted by extended ID beforehand,
 *      1 000-row INSERTs, one transaction per batch — only the inserts are timed: the insert path with
 *      nothing of Sigil around it (no ID drawing, sorting or codes.csv, no jobs, no event loop);
 *   2. Sigil — the built `sigil serve` (embedded default: SQLite, in-process runner, local blobs), a SID
 *      order of `--quantity` codes on a template created with `sigil template create --image-format none`,
 *      timed from the create-sid request to `codegen_status` 4 (zip ready), polling every 50 ms.
 * Prints codes/s for both and their ratio, the server's CPU seconds, peak RSS (VmHWM) and its most
 * threads (render threads would show here: an order without images starts none); `--verify` downloads
 * the zip and checks it holds codes.csv + manifest.json only, with every code once.
 * `--profile DIR` runs the server with `--cpu-prof` into DIR.
 * DESIGN.md budget: SID generation without images (ids + db + csv) ≥ 250 000 codes/s; peak RSS < 300 MB.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { generateExtendedId } from '../src/codegen/ids/extended-id.js';
import { pooledRandomBytes } from '../src/shared/random.js';
import { apiClient, freePort, runCli, startServer, type ServerProcess } from '../test/helpers/server-process.js';
import { readZip } from '../test/helpers/zip-reader.js';
import { cpuSeconds, peakRssMb } from './process-stats.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const QUANTITY = Number(option('quantity') ?? 1_000_000);
const RUNS = Number(option('runs') ?? 3);
const VERIFY = args.includes('--verify');
const PROFILE_DIR = option('profile');
const BATCH = 20_000;
const INSERT_ROWS = 1000;
const TARGET = 250_000;

/** Threads of a process now (Linux /proc). */
function threadCount(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}

interface BaselineRow {
  workorder_id: number; sequence_number: number; batch_number: number; extended_id: string;
  serial_number: string; activation_status: number; blacklist_reason: number; creation_date: string;
}

/** The rows a SID order of `quantity` codes stores, drawn as Sigil draws them; returns them and the drawing rate. */
function drawRows(quantity: number): { rows: BaselineRow[]; drawRate: number } {
  const random = pooledRandomBytes({ bytes: (n) => cryptoRandomBytes(n) });
  const now = new Date().toISOString().replace('Z', '000Z');
  const started = performance.now();
  const rows: BaselineRow[] = new Array(quantity);
  for (let i = 0; i < quantity; i++) {
    rows[i] = {
      workorder_id: 1, sequence_number: i + 1, batch_number: Math.ceil((i + 1) / BATCH), extended_id: generateExtendedId('legacy', random),
      serial_number: String(i + 1).padStart(10, '0'), activation_status: 0, blacklist_reason: 0, creation_date: now,
    };
  }
  return { rows, drawRate: quantity / ((performance.now() - started) / 1000) };
}

/** Sigil's DDL for the codes table and its indexes, from a freshly migrated data dir. */
function codesDdl(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-bench-sid-ddl-'));
  try {
    runCli(['migrate'], { SIGIL_DATA_DIR: dir, SIGIL_LOG_LEVEL: 'warn' });
    const db = new SQLite(join(dir, 'sigil.db'), { readonly: true });
    try {
      const rows = db.prepare("select sql from sqlite_master where tbl_name = 'codes' and sql is not null order by type desc").all() as Array<{ sql: string }>;
      return rows.map((r) => r.sql);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** better-sqlite3 alone: the rows into a fresh file with Sigil's table and pragmas, as Sigil batches them. */
function baselineRate(ddl: string[], rows: BaselineRow[]): { rate: number; cpuSeconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-bench-sid-raw-'));
  const db = new SQLite(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF'); // no workorders table here; Sigil checks the one reference per row
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('cache_size = -4096');
    for (const statement of ddl) db.exec(statement);
    const columns = ['workorder_id', 'sequence_number', 'batch_number', 'extended_id', 'serial_number', 'activation_status', 'blacklist_reason', 'creation_date'] as const;
    const statementFor = (n: number) => db.prepare(`insert into codes (${columns.join(', ')}) values ${Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')} on conflict (extended_id) do nothing`);
    const full = statementFor(INSERT_ROWS);
    // Each batch sorted and its statements' parameters laid out beforehand: only the inserts are timed.
    const batches: unknown[][][] = [];
    for (let first = 0; first < rows.length; first += BATCH) {
      const batch = rows.slice(first, first + BATCH).sort((a, b) => (a.extended_id < b.extended_id ? -1 : 1));
      const statements: unknown[][] = [];
      for (let i = 0; i < batch.length; i += INSERT_ROWS) statements.push(batch.slice(i, i + INSERT_ROWS).flatMap((row) => columns.map((c) => row[c])));
      batches.push(statements);
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const statements of batches) {
      db.transaction(() => {
        for (const parameters of statements) (parameters.length === INSERT_ROWS * columns.length ? full : statementFor(parameters.length / columns.length)).run(parameters);
      }).immediate();
    }
    const used = process.cpuUsage(cpu);
    return { rate: rows.length / ((performance.now() - started) / 1000), cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface OrderRun {
  seconds: number;
  rate: number;
  cpuSeconds: number;
  peakRssMb: number;
  threadsIdle: number;
  threadsMax: number;
  archiveMb: number;
  verified: string;
}

/** One SID order without images through the real server, job runner and blob store. */
async function runOrder(quantity: number): Promise<OrderRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-bench-sid-'));
  // As `npm start` runs it (MALLOC_ARENA_MAX=2); the poll interval only matters between jobs.
  const env = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', SIGIL_DATA_DIR: dataDir, SIGIL_JOB_POLL_MS: '50' };
  let server: ServerProcess | undefined;
  try {
    const seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    const template = JSON.parse(runCli(['template', 'create', '--company', String(seed.brand_owner.company_id), '--name', 'CSV only',
      '--image-format', 'none', '--extended-id-style', 'legacy', '--use-serial-number', 'true'], env));
    server = await startServer({ ...env, SIGIL_PUBLIC_URL: 'https://sigil.example' }, await freePort(),
      PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []);
    const pid = server.child.pid!;
    const brand = apiClient(server.baseUrl, seed.brand_owner.token);
    await brand('GET', '/api/v2/workorders/'); // warm the route and the connection
    const threadsIdle = threadCount(pid);
    let threadsMax = threadsIdle;
    const cpuBefore = cpuSeconds(pid);
    const start = performance.now();
    const created = await brand('POST', '/api/v2/workorders/create-sid/', { reference: `bench-sid-${quantity}`, quantity, template: template.id });
    if (created.status !== 201) throw new Error(`create-sid: ${created.status} ${JSON.stringify(created.body)}`);
    const id = created.body.id as number;
    for (;;) {
      threadsMax = Math.max(threadsMax, threadCount(pid));
      const current = await brand('GET', `/api/v2/workorders/${id}/`);
      if (current.body.codegen_status === 4) break;
      if (current.body.codegen_status === 5) throw new Error(`generation failed: ${current.body.codegen_error ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const peak = peakRssMb(pid);
    const head = await fetch(`${server.baseUrl}/api/v2/workorders/${id}/download/`, { method: 'HEAD', headers: { authorization: `UAT ${seed.brand_owner.token}` } });
    const archiveMb = Number(head.headers.get('content-length')) / 1024 / 1024;
    let verified = 'not checked (--verify)';
    if (VERIFY) verified = await verifyArchive(server.baseUrl, id, seed.brand_owner.token, quantity, join(dataDir, 'download.zip'));
    return { seconds, rate: quantity / seconds, cpuSeconds: cpu, peakRssMb: peak, threadsIdle, threadsMax, archiveMb, verified };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Downloads the zip and reads it back with yauzl (CRC-32s checked): two entries, codes.csv with every code once. */
async function verifyArchive(baseUrl: string, id: number, token: string, quantity: number, file: string): Promise<string> {
  const reply = await fetch(`${baseUrl}/api/v2/workorders/${id}/download/`, { headers: { authorization: `UAT ${token}` } });
  writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
  const names: string[] = [];
  let lines: string[] = [];
  await readZip(file, (name, data) => {
    names.push(name);
    if (name === 'codes.csv') lines = data.toString('utf8').trimEnd().split('\n').slice(1);
  });
  const ids = new Set(lines.map((line) => line.slice(0, line.indexOf(','))));
  const ok = names.join(',') === 'codes.csv,manifest.json' && lines.length === quantity && ids.size === quantity;
  return `${ok ? 'OK' : 'FAILED'}: entries ${names.join(', ')}; ${lines.length} rows, ${ids.size} distinct IDs`;
}

function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${Math.round(median).toLocaleString('en')}, range ${Math.round(sorted[0]!).toLocaleString('en')}–${Math.round(sorted[sorted.length - 1]!).toLocaleString('en')}`;
}

async function main(): Promise<void> {
  console.log(`SID without images: ${QUANTITY.toLocaleString('en')} codes, ${RUNS} run(s), ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const ddl = codesDdl();
  const baselines: number[] = [];
  const sigil: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const { rows, drawRate } = drawRows(QUANTITY);
    const { rate: baseline, cpuSeconds: baselineCpu } = baselineRate(ddl, rows);
    baselines.push(baseline);
    const order = await runOrder(QUANTITY);
    sigil.push(order.rate);
    console.log(`run ${run}: baseline (better-sqlite3 insert only) ${Math.round(baseline).toLocaleString('en')} codes/s, CPU ${baselineCpu.toFixed(1)} s ` +
      `[drawing the IDs alone: ${Math.round(drawRate).toLocaleString('en')}/s] | Sigil ${order.seconds.toFixed(2)} s = ${Math.round(order.rate).toLocaleString('en')} codes/s ` +
      `(${(order.rate / baseline).toFixed(2)}× baseline), CPU ${order.cpuSeconds.toFixed(1)} s (${((order.cpuSeconds / QUANTITY) * 1e6).toFixed(2)} µs/code), ` +
      `peak RSS ${order.peakRssMb.toFixed(0)} MB, threads ${order.threadsIdle} idle → ${order.threadsMax} most, zip ${order.archiveMb.toFixed(1)} MB, ${order.verified}; ` +
      `load average now ${loadavg()[0]!.toFixed(2)}`);
  }
  console.log(`baseline: ${spread(baselines)} codes/s`);
  console.log(`Sigil:    ${spread(sigil)} codes/s — target ≥ ${TARGET.toLocaleString('en')}: ${Math.max(...sigil) >= TARGET ? 'met (best run)' : 'NOT met'}`);
}

await main();
