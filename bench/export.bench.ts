/**
 * Code data export memory and speed: `npm run bench:export [-- --codes 1000000,4000000]`.
 *
 * In one process on the embedded default: generates an order of each size without images (template
 * image_format "none"), then exports every code through the API (GET /api/v2/codes/download/ → the
 * export job → the CSV) while sampling the resident set every 20 ms. The baseline, measured in the
 * same run, is the process's resident set just before each export. The target: ten million
 * rows in flat memory, i.e. the peak over the baseline does not grow with the number of rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApi } from '../src/app/build-api.js';
import { buildContainer } from '../src/app/container.js';
import { loadConfig } from '../src/config/load-config.js';
import { seedDemo } from '../src/domain/admin/seed-demo.js';
import { createLogger } from '../src/shared/logger.js';

const args = process.argv.slice(2);
const at = args.indexOf('--codes');
const SIZES = (at >= 0 ? args[at + 1]! : '200000,2000000').split(',').map(Number);

const dir = mkdtempSync(join(tmpdir(), 'sigil-bench-export-'));
const container = await buildContainer(loadConfig({ SIGIL_DATA_DIR: dir, SIGIL_LOG_LEVEL: 'silent', SIGIL_JOB_POLL_MS: '50' }), createLogger('silent'));
const app = await buildApi(container);
try {
  await container.worker.start();
  const seed = await seedDemo(container.db, container.admin);
  const template = await container.admin.createTemplate({ company: seed.brand_owner.company_id, name: 'codes.csv only', image_format: 'none' });
  const call = async (method: 'GET' | 'POST', url: string, body?: object) => (await app.inject({
    method, url, headers: { authorization: `UAT ${seed.brand_owner.token}` }, ...(body ? { payload: body } : {}),
  })).json();
  const until = async (url: string, done: (body: any) => boolean) => {
    for (;;) {
      const body = await call('GET', url);
      if (done(body)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  console.log('codes exported | seconds | rows/s    | RSS before | peak during | peak − before');
  for (const codes of SIZES) {
    const order = await call('POST', '/api/v2/workorders/create-sid/', { reference: `export-${codes}`, quantity: codes, template: template.id, activate_on_complete: true });
    await until(`/api/v2/workorders/${order.id}/`, (o) => o.state === 'completed');
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let the code-status job and the collector settle
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const { document } = await call('GET', `/api/v2/codes/download/?workorder=${order.id}`);
    const done = await until(`/api/v2/documents/${document.key}/`, (d) => d.state === 'complete' || d.state === 'failed');
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (done.state !== 'complete' || done.row_count !== codes) throw new Error(`export ${done.state} with ${done.row_count} rows`);
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
    console.log(`${String(codes).padStart(14)} | ${seconds.toFixed(1).padStart(7)} | ${(codes / seconds).toFixed(0).padStart(9)} | ${mb(before).padStart(10)} | ${mb(peak).padStart(11)} | ${mb(peak - before).padStart(13)}`);
  }
} finally {
  await app.close();
  await container.close();
  rmSync(dir, { recursive: true, force: true });
}
