/**
 * Scale-out: `npm run bench:scale [-- --quantity 200000] [--large 10000000]`.
 *
 * The demo SSC order (812 dpi, secure graphic beside the QR, serialized graphic, serial numbers) of
 * `--quantity` codes, confirm → zip ready, through the built `sigil`:
 *   1. PostgreSQL + S3 (s3rver on loopback, run by this process), an API process and 1 `sigil worker`
 *      with 1 render thread;
 *   2. the same with 2 workers × 1 render thread (this machine has 2 cores: one thread per worker keeps
 *      the comparison fair) — codes/s and the ratio to 1 worker (target ≥ 1.7);
 *   3. the embedded default (`sigil serve` on SQLite and a local directory, 2 render threads) — the
 *      ratio of 2 workers on PostgreSQL to it (target ≥ 0.9).
 * With `--large N`, also N codes through 2 workers: time, each worker's peak RSS (target < 300 MB)
 * and its resident set at a fifth of the order against the end (flat), PostgreSQL bytes per million
 * codes, and the rate at which codes are stored over the last tenth of the order against the first.
 * Figures measured in one run, against each other; s3rver and PostgreSQL share the machine's 2 cores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { S3RVER_KEY, startS3rver, type S3Server } from '../test/helpers/s3-server.js';
import {
  apiClient, freePort, runCli, startServer, startWorker, type ServerProcess, type SigilProcess,
} from '../test/helpers/server-process.js';
import { createPostgresDatabase, type TestDatabase } from '../test/helpers/test-database.js';
import { cpuSeconds, memoryMb, peakRssMb, ProcessGroupCpu } from './process-stats.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const QUANTITY = Number(option('quantity') ?? 200_000);
const LARGE = option('large') === undefined ? null : Number(option('large'));
const BUCKET = 'sigil-bench';
const CORES = availableParallelism();

interface Sample {
  seconds: number;
  codes: number;
  /** Resident set of each worker, MB. */
  rss: number[];
}

interface OrderRun {
  seconds: number;
  rate: number;
  samples: Sample[];
  /** CPU seconds spent during the order by the workers, the API process, this process (s3rver) and PostgreSQL. */
  cpu: { workers: number; api: number; s3rver: number; postgres: number };
}

/** An environment: its API server, its workers (none: the server runs the jobs), and the demo seed. */
interface Setup {
  server: ServerProcess;
  workers: SigilProcess[];
  seed: any;
  close(): Promise<void>;
}

async function embeddedSetup(): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-bench-scale-'));
  const env = { SIGIL_DATA_DIR: dataDir, SIGIL_LOG_LEVEL: 'warn', MALLOC_ARENA_MAX: '2' };
  const seed = JSON.parse(runCli(['seed-demo', '--json'], env));
  const server = await startServer({ ...env, SIGIL_PUBLIC_URL: 'https://sigil.example' }, await freePort());
  return {
    server, workers: [], seed,
    close: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function scaledSetup(database: TestDatabase, s3: S3Server, workerCount: number, seed: any): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-bench-scale-'));
  const env = {
    ...database.env, SIGIL_DATA_DIR: dataDir, SIGIL_LOG_LEVEL: 'warn', MALLOC_ARENA_MAX: '2',
    SIGIL_BLOB_URL: `s3://${BUCKET}/archives`, SIGIL_S3_ENDPOINT: s3.endpoint, SIGIL_S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: S3RVER_KEY, AWS_SECRET_ACCESS_KEY: S3RVER_KEY, AWS_REGION: 'us-east-1', SIGIL_RENDER_THREADS: '1',
  };
  const seeded = seed ?? JSON.parse(runCli(['seed-demo', '--json'], env));
  const server = await startServer({ ...env, SIGIL_RUN_WORKER: 'false', SIGIL_PUBLIC_URL: 'https://sigil.example' }, await freePort());
  const workers = await Promise.all(Array.from({ length: workerCount }, () => startWorker({ ...env, SIGIL_LOG_LEVEL: 'info' })));
  return {
    server, workers, seed: seeded,
    close: async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One demo SSC order, created and confirmed over HTTP, polled until its archive is ready. */
async function runOrder(setup: Setup, reference: string, quantity: number): Promise<OrderRun> {
  const { seed, server } = setup;
  const owner = apiClient(server.baseUrl, seed.brand_owner.token);
  const partner = apiClient(server.baseUrl, seed.printing_partner.token);
  const created = await owner('POST', '/api/v2/workorders/create-sg/', {
    reference, quantity, template: seed.template_id, product: seed.product_sku, printing_partner: seed.printing_partner.company_id,
    code_layout: 'sg-outside', extended_id_style: 'legacy', is_fp_serialized: true, use_serial_number: true,
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const cpuBefore = { workers: setup.workers.map((w) => cpuSeconds(w.child.pid!)), api: cpuSeconds(server.child.pid!), self: process.cpuUsage() };
  const postgres = new ProcessGroupCpu('postgres');
  const start = performance.now();
  const confirmed = await partner('PATCH', `/api/v2/workorders/${created.body.id}/printer-confirm/`, {
    equipment: seed.equipment_id, substrate: seed.substrate_id,
  });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  const samples: Sample[] = [];
  for (;;) {
    const { body } = await owner('GET', `/api/v2/workorders/${created.body.id}/`);
    postgres.sample();
    samples.push({
      seconds: (performance.now() - start) / 1000,
      codes: body.codegen_progress.codes_generated,
      rss: setup.workers.map((w) => memoryMb(w.child.pid!, ['VmRSS'])[0]!),
    });
    if (body.codegen_status === 4) break;
    if (body.codegen_status === 5) throw new Error(`generation failed: ${body.codegen_error}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (performance.now() - start) / 1000;
  const self = process.cpuUsage(cpuBefore.self);
  const cpu = {
    workers: setup.workers.reduce((sum, w, i) => sum + cpuSeconds(w.child.pid!) - cpuBefore.workers[i]!, 0),
    api: cpuSeconds(server.child.pid!) - cpuBefore.api,
    s3rver: (self.user + self.system) / 1e6,
    postgres: postgres.seconds(),
  };
  return { seconds, rate: quantity / seconds, samples, cpu };
}

/** Codes stored per second between the moments the order passed `from` and `to` (fractions of it). */
function storeRate(run: OrderRun, quantity: number, from: number, to: number): number {
  const at = (fraction: number) => run.samples.find((s) => s.codes >= fraction * quantity)!;
  const a = at(from);
  const b = at(to);
  return (b.codes - a.codes) / (b.seconds - a.seconds);
}

const line = (what: string, run: OrderRun, notes: string) => {
  console.log(`${what.padEnd(46)}| ${run.rate.toFixed(0).padStart(7)} codes/s | ${run.seconds.toFixed(1).padStart(7)} s | ${notes}`);
  const { workers, api, s3rver, postgres } = run.cpu;
  const total = workers + api + s3rver + postgres;
  console.log(`${''.padEnd(46)}| CPU ${total.toFixed(1)} s of ${(run.seconds * CORES).toFixed(1)} (${CORES} cores): workers or serve ${workers.toFixed(1)}, ` +
    `API ${api.toFixed(1)}, s3rver and this process ${s3rver.toFixed(1)}, PostgreSQL ${postgres.toFixed(1)}`);
};

async function main(): Promise<void> {
  console.log(`Scale-out benchmark: ${QUANTITY} codes per order (demo SSC order), ${CORES} cores`);
  const database = await createPostgresDatabase();
  const s3 = await startS3rver(BUCKET);
  try {
    let seed: any = null;
    const one = await scaledSetup(database, s3, 1, seed);
    seed = one.seed;
    const single = await runOrder(one, 'scale-1', QUANTITY).finally(() => one.close());
    line('PostgreSQL + S3, 1 worker × 1 thread', single, 'baseline of this run');

    const two = await scaledSetup(database, s3, 2, seed);
    const double = await runOrder(two, 'scale-2', QUANTITY).finally(() => two.close());
    const scaling = double.rate / single.rate;
    line('PostgreSQL + S3, 2 workers × 1 thread', double, `${scaling.toFixed(2)}× 1 worker — target ≥ 1.7: ${scaling >= 1.7 ? 'met' : 'NOT met'}`);

    const embedded = await embeddedSetup();
    const local = await runOrder(embedded, 'scale-embedded', QUANTITY).finally(() => embedded.close());
    const versus = double.rate / local.rate;
    line('embedded default (SQLite, 2 threads)', local, `2 workers on PostgreSQL: ${versus.toFixed(2)}× this — target ≥ 0.9: ${versus >= 0.9 ? 'met' : 'NOT met'}`);

    if (LARGE !== null) {
      const large = await scaledSetup(database, s3, 2, seed);
      let run: OrderRun;
      let peaks: number[];
      try {
        run = await runOrder(large, 'scale-large', LARGE);
        peaks = large.workers.map((w) => peakRssMb(w.child.pid!));
      } finally {
        await large.close();
      }
      const fifth = run.samples.find((s) => s.codes >= LARGE / 5)!;
      const last = run.samples[run.samples.length - 1]!;
      const drift = storeRate(run, LARGE, 0.9, 0.99) / storeRate(run, LARGE, 0.01, 0.1);
      line(`PostgreSQL + S3, 2 workers, ${LARGE} codes`, run,
        `peak RSS ${peaks.map((p) => `${p.toFixed(0)} MB`).join(' / ')} (target < 300 MB: ${peaks.every((p) => p < 300) ? 'met' : 'NOT met'}); ` +
        `RSS at a fifth ${fifth.rss.map((r) => r.toFixed(0)).join(' / ')} MB, at the end ${last.rss.map((r) => r.toFixed(0)).join(' / ')} MB`);
      console.log(`  codes stored per second, last tenth vs first: ${storeRate(run, LARGE, 0.9, 0.99).toFixed(0)} vs ${storeRate(run, LARGE, 0.01, 0.1).toFixed(0)} (${drift.toFixed(2)}×)`);
    }
    const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`select pg_total_relation_size('codes')::bigint as bytes,
        pg_relation_size('codes_extended_id_key')::bigint as id_index, (select count(*) from codes)::bigint as codes`);
      const perMillion = (bytes: string) => ((Number(bytes) / Number(rows[0].codes)) * 1e6) / 2 ** 20;
      console.log(`PostgreSQL: ${Number(rows[0].codes)} codes, ${perMillion(rows[0].bytes).toFixed(0)} MiB per million codes ` +
        `(the extended-ID index ${perMillion(rows[0].id_index).toFixed(0)} MiB of it)`);
    } finally {
      await client.end();
    }
  } finally {
    await s3.close();
    await database.drop();
  }
}

await main();
