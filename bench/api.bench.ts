/**
 * API throughput: `npm run bench:api [-- --seconds 10 --connections 10]`.
 *
 * Starts the real `sigil serve` (built dist, fresh SQLite file, worker off) and, as the baseline in the
 * same run, a bare Fastify process that answers the very same bytes from memory (no auth, no database).
 * Loads each with autocannon over loopback and prints req/s, p99 latency and the ratio to the baseline.
 * DESIGN.md budget: GET list/detail ≥ 5 000 req/s with p99 < 20 ms on a 2-core machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort, runCli, startServer, type ServerProcess } from '../test/helpers/server-process.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const SECONDS = option('seconds', 10);
const CONNECTIONS = option('connections', 10);
const ORDERS = option('orders', 200);

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

async function load(url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: SECONDS });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const BASELINE_SERVER = `
const fastify = require('fastify')({ logger: false });
const bodies = JSON.parse(process.env.BODIES);
for (const [path, body] of Object.entries(bodies)) {
  fastify.get(path, (request, reply) => reply.type('application/json; charset=utf-8').send(body));
}
fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-bench-'));
  const env = { SIGIL_DATA_DIR: dataDir, SIGIL_LOG_LEVEL: 'error', SIGIL_RUN_WORKER: 'false' };
  let sigil: ServerProcess | undefined;
  let baseline: ChildProcess | undefined;
  try {
    const seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    sigil = await startServer(env, await freePort());
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
    const listPath = '/api/v2/workorders/?limit=20';
    const detailPath = `/api/v2/workorders/${lastId}/`;
    const bodies = {
      [listPath.split('?')[0]!]: await (await fetch(`${base}${listPath}`, { headers })).text(),
      [detailPath]: await (await fetch(`${base}${detailPath}`, { headers })).text(),
    };

    const baselinePort = await freePort();
    baseline = spawn(process.execPath, ['-e', BASELINE_SERVER], {
      env: { ...process.env, PORT: String(baselinePort), BODIES: JSON.stringify(bodies) }, stdio: 'inherit', cwd: join(import.meta.dirname, '..'),
    });
    const baselineBase = `http://127.0.0.1:${baselinePort}`;
    await waitUp(`${baselineBase}${detailPath}`, baseline);

    console.log(`API benchmark: ${CONNECTIONS} connections, ${SECONDS} s per run, ${ORDERS} orders in the database`);
    console.log('endpoint                         | sigil req/s | p99 ms | baseline req/s | p99 ms | ratio | target ≥ 5000 req/s, p99 < 20 ms');
    for (const [label, path] of [['GET list (limit=20)', listPath], ['GET detail', detailPath]] as const) {
      const ours = await load(`${base}${path}`, headers);
      const theirs = await load(`${baselineBase}${path}`, {});
      const ok = ours.rps >= 5000 && ours.p99 < 20 && ours.errors === 0;
      console.log(`${label.padEnd(32)} | ${ours.rps.toFixed(0).padStart(11)} | ${String(ours.p99).padStart(6)} | ${theirs.rps.toFixed(0).padStart(14)} | ${String(theirs.p99).padStart(6)} | ${(ours.rps / theirs.rps).toFixed(2).padStart(5)} | ${ok ? 'met' : 'NOT met'}${ours.errors ? ` (${ours.errors} errors)` : ''}`);
    }
  } finally {
    baseline?.kill('SIGTERM');
    await sigil?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
