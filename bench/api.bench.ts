/**
 * API throughput: `npm run bench:api [-- --seconds 10 --connections 10 --codes 20000 --only resolver --cpu-prof DIR --work-us 40]`.
 *
 * Starts the real `sigil serve` (built dist, fresh SQLite file — the embedded default) and, as the
 * baseline in the same run, a bare Fastify process that answers the very same bytes from memory (no auth,
 * no database, nothing recorded). Loads each with autocannon over loopback and prints req/s, p99 latency
 * and the ratio to the baseline. The resolver run scans the codes of a generated SID order round-robin,
 * every scan recorded; afterwards the bench counts the scan rows to check that none was lost.
 * DESIGN.md budgets on a 2-core machine: GET list/detail ≥ 5 000 req/s with p99 < 20 ms; resolver
 * `/q/{id}` ≥ 10 000 scans/s with p99 < 20 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { freePort, runCli, startServer, type ServerProcess } from '../test/helpers/server-process.js';
import { cpuSeconds } from './process-stats.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const SECONDS = option('seconds', 10);
const CONNECTIONS = option('connections', 10);
const ORDERS = option('orders', 200);
const CODES = option('codes', 20_000);
/** `--only resolver|list|detail` runs one endpoint; `--cpu-prof DIR` writes the server's V8 CPU profile there. */
const stringOption = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const ONLY = stringOption('only');
const CPU_PROF_DIR = stringOption('cpu-prof');
/**
 * CPU a recorded scan cannot avoid on the embedded default, µs: one indexed lookup of the code with its
 * order, product and brand (≈ 19 µs through Kysely) and its share of the batched write — row, index
 * entries and the code's counters (≈ 20 µs), each measured alone on this machine. The bench also loads a
 * bare Fastify that burns this much per request: the most any one-process resolver can answer here.
 */
const WORK_US = option('work-us', 40);

async function waitUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * Loads `url` and reports what autocannon saw plus the server's CPU time per answered request (user +
 * system, all threads, from /proc): a figure that moves far less than req/s when other work shares the cores.
 */
async function load(url: string, headers: Record<string, string>, pid: number, paths?: readonly string[]) {
  let next = 0;
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({
    url, headers, connections: CONNECTIONS, duration: SECONDS,
    ...(paths ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: paths[next++ % paths.length]! }) }] } : {}),
  });
  const cpuUs = ((cpuSeconds(pid) - cpuBefore) * 1e6) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx, total: result.requests.total, cpuUs };
}

const BASELINE_SERVER = `
const fastify = require('fastify')({ logger: false });
const bodies = JSON.parse(process.env.BODIES);
for (const [path, body] of Object.entries(bodies)) {
  fastify.get(path, (request, reply) => reply.type('application/json; charset=utf-8').send(body));
}
const page = process.env.PAGE;
fastify.get('/q/:id', (request, reply) => reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page));
// The same page after spending a fixed CPU time per request: what the machine gives a one-process server doing that much work.
const workUs = Number(process.env.WORK_US);
fastify.get('/work/:id', (request, reply) => {
  const until = process.hrtime.bigint() + BigInt(workUs * 1000);
  while (process.hrtime.bigint() < until);
  reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
});
fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-bench-'));
  // The embedded default, as `npm start` runs it (info logs, in-process worker), only on a fresh data dir.
  // startServer would run it at warn: the level is named here so the bench measures the default's logging.
  const env = { SIGIL_DATA_DIR: dataDir, SIGIL_LOG_LEVEL: 'info' };
  let sigil: ServerProcess | undefined;
  let baseline: ChildProcess | undefined;
  try {
    const seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    sigil = await startServer(env, await freePort(), CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []);
    const base = sigil.baseUrl;
    const headers = { authorization: `UAT ${seed.brand_owner.token}` };
    let lastId = 0;
    for (let i = 0; i < ORDERS; i++) {
      const response = await fetch(`${base}/api/v2/workorders/create-sg/`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ reference: `bench-${i}`, quantity: 1000, code_layout: 'sg-outside', product: seed.product_sku, printing_partner: seed.printing_partner.company_id, remarks: 'benchmark order' }),
      });
      lastId = ((await response.json()) as { id: number }).id;
    }
    const sid = await fetch(`${base}/api/v2/workorders/create-sid/`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ reference: 'bench-scans', quantity: CODES, activate_on_complete: true }),
    }).then((r) => r.json() as Promise<{ id: number }>);
    let csv = '';
    for (let i = 0; i < 600 && !csv; i++) {
      const response = await fetch(`${base}/api/v2/workorders/${sid.id}/serial-numbers/`, { headers });
      if (response.ok) csv = await response.text();
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const scanPaths = csv.trim().split('\n').slice(1).map((line) => `/q/${line.split(',')[0]}`);
    if (scanPaths.length !== CODES) throw new Error(`expected ${CODES} codes, got ${scanPaths.length}`);
    const listPath = '/api/v2/workorders/?limit=20';
    const detailPath = `/api/v2/workorders/${lastId}/`;
    const bodies = {
      [listPath.split('?')[0]!]: await (await fetch(`${base}${listPath}`, { headers })).text(),
      [detailPath]: await (await fetch(`${base}${detailPath}`, { headers })).text(),
    };

    const baselinePort = await freePort();
    const page = await (await fetch(`${base}${scanPaths[0]}`)).text();
    baseline = spawn(process.execPath, ['-e', BASELINE_SERVER], {
      env: { ...process.env, PORT: String(baselinePort), BODIES: JSON.stringify(bodies), PAGE: page, WORK_US: String(WORK_US) }, stdio: 'inherit', cwd: join(import.meta.dirname, '..'),
    });
    const baselineBase = `http://127.0.0.1:${baselinePort}`;
    await waitUp(`${baselineBase}${detailPath}`, baseline);

    console.log(`API benchmark: ${CONNECTIONS} connections, ${SECONDS} s per run, ${ORDERS} orders and ${CODES} codes in the database`);
    console.log('endpoint                         | sigil req/s | p99 ms | baseline req/s | p99 ms | ratio | target                                   | CPU µs/req sigil, baseline');
    const runs = [
      ['resolver', 'GET /q/{id} (scan, recorded)', '/q/', 10_000, scanPaths],
      ['list', 'GET list (limit=20)', listPath, 5000, undefined],
      ['detail', 'GET detail', detailPath, 5000, undefined],
    ] as const;
    for (const [name, label, path, target, paths] of runs) {
      if (ONLY && ONLY !== name) continue;
      const scansBefore = paths ? countScans(dataDir) : 0;
      const ours = await load(`${base}${path}`, paths ? {} : headers, sigil.child.pid!, paths);
      const theirs = await load(`${baselineBase}${paths ? '/q/x' : path}`, {}, baseline.pid!);
      const ok = ours.rps >= target && ours.p99 < 20 && ours.errors === 0;
      console.log(`${label.padEnd(32)} | ${ours.rps.toFixed(0).padStart(11)} | ${String(ours.p99).padStart(6)} | ${theirs.rps.toFixed(0).padStart(14)} | ${String(theirs.p99).padStart(6)} | ${(ours.rps / theirs.rps).toFixed(2).padStart(5)} | ≥ ${target} req/s, p99 < 20 ms: ${ok ? 'met' : 'NOT met'}${ours.errors ? ` (${ours.errors} errors)` : ''} | ${ours.cpuUs.toFixed(0)}, ${theirs.cpuUs.toFixed(0)}`);
      if (paths) {
        const ceiling = await load(`${baselineBase}/work/x`, {}, baseline.pid!);
        console.log(`  ceiling: the bare Fastify spending ${WORK_US} µs of CPU per request answers ${ceiling.rps.toFixed(0)} req/s (p99 ${ceiling.p99} ms); sigil reaches ${(ours.rps / ceiling.rps).toFixed(2)} of it`);
        await new Promise((resolve) => setTimeout(resolve, 1000)); // the recorder writes every 200 ms
        const recorded = countScans(dataDir) - scansBefore;
        // autocannon stops counting with up to one request per connection still in flight: the server
        // answers (and records) those too, so recorded may exceed answered by at most the connections.
        const ok = recorded >= ours.total && recorded <= ours.total + CONNECTIONS;
        console.log(`  scans answered ${ours.total} (+ up to ${CONNECTIONS} in flight at the end), recorded ${recorded}${ok ? '' : ' — MISMATCH'}`);
      }
    }
  } finally {
    baseline?.kill('SIGTERM');
    await sigil?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Scan rows in the server's SQLite file (read-only; WAL lets it read beside the writer). */
function countScans(dataDir: string): number {
  const db = new SQLite(join(dataDir, 'sigil.db'), { readonly: true });
  try {
    return (db.prepare('select count(*) as n from scans').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

await main();
