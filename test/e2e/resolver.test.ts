import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrPng } from '../helpers/qr-decode.js';
import { queryServerDb, until } from '../helpers/server-database.js';
import { apiClient, download, freePort, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';
import { readZip } from '../helpers/zip-reader.js';

/** The one row of a query on the server's SQLite file. */
const query = <T>(dataDir: string, sql: string, ...params: unknown[]): T => queryServerDb<T>(dataDir, sql, ...params)[0]!;

/** A phone's scan: the decoded URL fetched as is (fetch lower-cases scheme and host, as browsers do; the path stays). */
const scan = (url: string) => fetch(url, { headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 15)', 'accept-language': 'en-GB,en;q=0.9' } });

describe('end to end: a printed code, scanned by a phone, against the real server process', () => {
  let dataDir: string;
  let port: number;
  let server: ServerProcess;
  let seed: any;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigil-e2e-scan-'));
    env = { SIGIL_DATA_DIR: dataDir, SIGIL_JOB_POLL_MS: '50' };
    seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    port = await freePort();
    server = await startServer(env, port);
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('decodes a generated PNG with an independent decoder, opens the upper-case URL as decoded, and gets the verdict', async () => {
    const brand = apiClient(server.baseUrl, seed.brand_owner.token);
    // An upper-case prefix with legacy IDs: the whole URL fits QR alphanumeric mode.
    const prefix = `HTTP://127.0.0.1:${port}/Q/`;
    const created = await brand('POST', '/api/v2/workorders/create-sid/', {
      reference: 'E2E-SCAN', quantity: 3, activate_on_complete: true, extended_id_style: 'legacy', url_prefix: prefix, product: seed.product_sku,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    let order: any;
    await until(async () => {
      order = (await brand('GET', `/api/v2/workorders/${id}/`)).body;
      return order.state === 'completed' && order.codegen_file !== null;
    }, 'the order to complete');
    await until(() => query<{ n: number }>(dataDir, 'select count(*) as n from codes where workorder_id = ? and activation_status = 1', id).n === 3, 'the codes to be activated');

    const zip = await download(order.codegen_file, seed.brand_owner.token);
    expect(zip.status).toBe(200);
    const file = join(dataDir, 'order.zip');
    writeFileSync(file, zip.data);
    const decoded: string[] = [];
    await readZip(file, (name, data) => {
      if (name.endsWith('.png')) decoded.push(decodeQrPng(data) ?? '');
    });
    expect(decoded).toHaveLength(3);
    const url = decoded[0]!;
    expect(url).toMatch(new RegExp(`^HTTP://127\\.0\\.0\\.1:${port}/Q/[0-9A-Z]{21}$`));

    const reply = await scan(url);
    expect(reply.status).toBe(200);
    const html = await reply.text();
    expect(html).toContain('<h1>Genuine product</h1>');
    expect(html).toContain('Demo Product');
    expect(html).toContain(url.slice(prefix.length));
  });

  it('SIGTERM writes every buffered scan; after a kill -9 only the last flush interval could be lost', async () => {
    const { extended_id: code } = query<{ extended_id: string }>(dataDir, 'select extended_id from codes order by id limit 1');
    await until(() => query<{ n: number }>(dataDir, 'select count(*) as n from scans').n === 1, 'the first test\'s scan to be written');
    const before = 1;
    const scans = 40;
    await Promise.all(Array.from({ length: scans }, () => scan(`${server.baseUrl}/q/${code}`).then((r) => r.text())));
    await server.stop(); // SIGTERM right away: the scans are still in the buffer
    expect(server.output()).not.toContain('could not be written');
    expect(query<{ n: number }>(dataDir, 'select count(*) as n from scans').n).toBe(before + scans);

    server = await startServer(env, port);
    const more = 25;
    for (let i = 0; i < more; i++) await (await scan(`${server.baseUrl}/Q/${code}`)).text();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // > the 200 ms flush interval
    await server.kill();
    const after = query<{ n: number; total: number }>(dataDir, 'select count(*) as n, (select scan_count from codes where extended_id = ?) as total from scans', code);
    expect(after.n).toBe(before + scans + more);
    expect(after.total).toBe(query<{ n: number }>(dataDir, 'select count(*) as n from scans s join codes c on c.id = s.code_id where c.extended_id = ?', code).n);
  });
});
