import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryServerDb as queryAll, until } from '../helpers/server-database.js';
import { apiClient, freePort, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

describe('sigil consumer-key: keys made by the CLI, used against the real server over HTTP', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let seed: any;
  let codes: string[];
  const consumer = (path: string, key: string | null, init: RequestInit = {}) => fetch(`${server.baseUrl}${path}`, {
    ...init,
    redirect: 'manual',
    headers: { ...(key === null ? {} : { 'X-ScanTrust-Consumer-Api-Key': key }), ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigil-e2e-consumer-'));
    env = { SIGIL_DATA_DIR: dataDir, SIGIL_JOB_POLL_MS: '50' };
    seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    server = await startServer(env, await freePort());
    const brand = apiClient(server.baseUrl, seed.brand_owner.token);
    const created = await brand('POST', '/api/v2/workorders/create-sid/', {
      reference: 'E2E-CONSUMER', quantity: 2, activate_on_complete: true, use_serial_number: true, product: seed.product_sku,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await until(async () => (await brand('GET', `/api/v2/workorders/${id}/`)).body.state === 'completed', 'the order to complete');
    await until(() => queryAll(dataDir, 'select id from codes where workorder_id = ? and activation_status = 1', id).length === 2, 'the codes to be activated');
    codes = queryAll<{ extended_id: string }>(dataDir, 'select extended_id from codes where workorder_id = ? order by sequence_number', id).map((r) => r.extended_id);
    runCli(['scan-settings', '--company', String(seed.brand_owner.company_id), '--landing-url', 'https://brand.example/landing'], env);
  });
  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('create prints the key once (with its view); the key works over HTTP; list never shows it; revoke makes it a 401', async () => {
    const company = String(seed.brand_owner.company_id);
    const stdout = runCli(['consumer-key', 'create', '--company', company], env);
    const created = JSON.parse(stdout) as { id: number; key: string };
    // The key's view (as list and show print it) plus the key itself, printed only now.
    expect(Object.keys(created).sort()).toEqual(['company', 'creation_date', 'id', 'key', 'key_prefix', 'revoked_at']);
    expect(created.id).toBeTypeOf('number');
    expect(created.key).toMatch(/^[0-9A-Za-z]{40}$/);
    const { key } = created;

    // Only the key's SHA-256 is stored.
    const rows = queryAll<Record<string, unknown>>(dataDir, 'select * from consumer_keys');
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(rows.find((r) => r.id === created.id)).toMatchObject({
      company_id: seed.brand_owner.company_id, key_hash: createHash('sha256').update(key).digest('hex'), key_prefix: key.slice(0, 6), revoked_at: null,
    });

    // Details of a code, then a phone's scan followed at once by the landing page's combined-info call.
    const details = await consumer(`/api/v2/consumer/${codes[0]}/details/`, key);
    expect(details.status).toBe(200);
    expect(((await details.json()) as any).qrcode).toMatchObject({ message: codes[0], activation_status: 'active', blacklist_reason: 'none' });
    const scan = await fetch(`${server.baseUrl}/q/${codes[1]}`, { redirect: 'manual' });
    expect(scan.status).toBe(302);
    const scanId = new URL(scan.headers.get('location')!).searchParams.get('scan_id')!;
    const info = await consumer(`/api/v2/consumer/scan/${scanId}/combined-info/`, key);
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ scan: { id: scanId, scan_number: 1 }, qrcode: { message: codes[1], scan_count: 1 }, brand: { name: 'Demo Brand' } });
    const found = await consumer('/api/v2/consumer/find/', key, { method: 'POST', body: JSON.stringify({ serial_number: '0000000001' }) });
    expect(found.status).toBe(200);
    expect(((await found.json()) as any).scan_id).toBeNull();
    expect((await consumer(`/api/v2/consumer/${codes[0]}/details/`, null)).status).toBe(401);

    // list: prefixes, ids, dates and revocations — never the key.
    const second = JSON.parse(runCli(['consumer-key', 'create', '--company', company], env)) as { id: number; key: string };
    const listed = runCli(['consumer-key', 'list'], env);
    expect(listed).not.toContain(key);
    expect(listed).not.toContain(second.key);
    expect(listed).not.toContain('key_hash');
    const all = JSON.parse(listed) as Array<Record<string, unknown>>;
    expect(all).toEqual([
      { id: created.id, company: seed.brand_owner.company_id, key_prefix: key.slice(0, 6), creation_date: expect.any(String), revoked_at: null },
      { id: second.id, company: seed.brand_owner.company_id, key_prefix: second.key.slice(0, 6), creation_date: expect.any(String), revoked_at: null },
    ]);
    expect(JSON.parse(runCli(['consumer-key', 'list', '--company', company], env))).toEqual(all);
    expect(JSON.parse(runCli(['consumer-key', 'list', '--company', String(seed.printing_partner.company_id)], env))).toEqual([]);

    // revoke: the running server refuses the key from the next request on; the other key still works.
    expect(runCli(['consumer-key', 'revoke', String(created.id)], env)).toBe(`consumer key ${created.id} revoked\n`);
    const refused = await consumer(`/api/v2/consumer/${codes[0]}/details/`, key);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ detail: 'Invalid consumer API key.' });
    expect((await consumer(`/api/v2/consumer/${codes[0]}/details/`, second.key)).status).toBe(200);
    const after = JSON.parse(runCli(['consumer-key', 'list'], env)) as Array<{ id: number; revoked_at: string | null }>;
    expect(after.find((k) => k.id === created.id)!.revoked_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(() => runCli(['consumer-key', 'revoke', String(created.id)], env)).toThrow(/No active consumer key/);

    // Keys never reach the server's log.
    expect(server.output()).not.toContain(key);
    expect(server.output()).not.toContain(second.key);
  });

  it('only brand owners get keys: a clear error otherwise, and nothing is stored', () => {
    const before = queryAll(dataDir, 'select id from consumer_keys').length;
    expect(() => runCli(['consumer-key', 'create', '--company', String(seed.printing_partner.company_id)], env))
      .toThrow(/is a printing_partner, not a brand_owner: only brand owners get consumer keys/);
    expect(() => runCli(['consumer-key', 'create', '--company', '999999'], env)).toThrow(/Company 999999 does not exist/);
    expect(() => runCli(['consumer-key', 'create'], env)).toThrow(/--company/);
    expect(queryAll(dataDir, 'select id from consumer_keys').length).toBe(before);
  });
});
