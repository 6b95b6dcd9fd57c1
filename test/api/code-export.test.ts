import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadLinks } from '../../src/domain/exports/download-link.js';
import { deriveKeys } from '../../src/shared/secrets.js';
import { allBut, codeStatusSettled, createSid, expectDrfBody, ISO_MICROS } from '../helpers/api-fixtures.js';
import { exportCodes } from '../helpers/documents.js';
import { scanCode } from '../helpers/scans.js';
import { createOtherTenants, createTestApp, tokenFor, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

const HEADER = 'extended_id,serial_number,brand,product,sku,status,blacklist_reason,activated_by,activated_at,workorder_id,scan_count';

async function completedSid(t: TestApp, overrides: Record<string, unknown>) {
  const wo = await createSid(t, { quantity: 3, ...overrides });
  await waitForWorkorder(t, wo.id, t.seed.brand_owner.token, (o) => o.state === 'completed');
  await codeStatusSettled(t, wo.id);
  const codes = await t.container.db.selectFrom('codes').select(['extended_id', 'serial_number']).where('workorder_id', '=', wo.id).orderBy('sequence_number').execute();
  return { id: wo.id as number, ids: codes.map((c) => c.extended_id), serials: codes.map((c) => c.serial_number!) };
}

const rowsOf = (lines: string[]) => lines.slice(1).map((line) => Object.fromEntries(HEADER.split(',').map((name, i) => [name, line.split(',')[i]])));

describe('code data export: GET /api/v2/codes/download/ → document → signed link → CSV', () => {
  let t: TestApp;
  let bo: string;
  let active: Awaited<ReturnType<typeof completedSid>>;
  let inactive: Awaited<ReturnType<typeof completedSid>>;
  let other: Awaited<ReturnType<typeof createOtherTenants>>;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    active = await completedSid(t, { product: t.seed.product_sku, activate_on_complete: true });
    inactive = await completedSid(t, { activate_on_complete: false });
    other = await createOtherTenants(t);
    await t.call('POST', '/api/v2/scm/upload/', bo, { data_key: 'extended_id', items: [
      { extended_id: active.ids[2], activation_status: 2, blacklist_reason: 4 },
      { extended_id: inactive.ids[0], activation_status: 1 },
    ] });
    await scanCode(t, active.ids[0]!);
    await scanCode(t, active.ids[0]!);
    await t.container.scans.flush();
  });
  afterAll(async () => t.close());

  it('exports every code of the brand owner with the reference\'s fields and scan_count', async () => {
    const { lines, document } = await exportCodes(t, bo);
    expect(document).toMatchObject({ kind: 'codes', state: 'complete', row_count: 6, filters: {}, error: null });
    expect(document.completed_at).toMatch(ISO_MICROS);
    expect(lines[0]).toBe(HEADER);
    const rows = rowsOf(lines);
    expect(rows).toHaveLength(6);
    const byId = new Map(rows.map((r) => [r.extended_id, r]));
    expect(byId.get(active.ids[0]!)).toMatchObject({
      serial_number: active.serials[0], brand: 'Demo Brand', product: 'Demo Product', sku: t.seed.product_sku, status: '1', blacklist_reason: '0',
      workorder_id: String(active.id), scan_count: '2', activated_by: '', activated_at: '',
    });
    expect(byId.get(active.ids[2]!)).toMatchObject({ status: '2', blacklist_reason: '4' });
    const activated = byId.get(inactive.ids[0]!)!;
    expect(activated).toMatchObject({ status: '1', brand: '', product: '', sku: '' }); // an order without product or brand
    expect(activated.activated_by).toMatch(/./);
    expect(activated.activated_at).toMatch(ISO_MICROS);
    expect(byId.get(inactive.ids[1]!)).toMatchObject({ status: '0', scan_count: '0' });
  });

  it('filters by work order, status, blacklisting, activation time, serial number and extended ID', async () => {
    const ids = async (query: string) => rowsOf((await exportCodes(t, bo, query)).lines).map((r) => r.extended_id).sort();
    expect(await ids(`workorder=${inactive.id}`)).toEqual([...inactive.ids].sort());
    expect(await ids('status=2')).toEqual([active.ids[2]]);
    expect(await ids('blacklisted=true')).toEqual([active.ids[2]]);
    expect((await ids('blacklisted=false'))).toHaveLength(5);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids(`activated_at=${today}`)).toEqual([inactive.ids[0]]);
    expect(await ids(`activated_at=${today},`)).toEqual([inactive.ids[0]]);
    expect(await ids('activated_at=2000-01-01,2000-12-31T23:59:59Z')).toEqual([]);
    expect(await ids(`serial_number=${active.serials[1]}`)).toEqual([active.ids[1]]);
    expect(await ids(`serial_number=${Number(active.serials[1])}`)).toEqual([]);
    expect(await ids(`extended_id=${inactive.ids[2]}`)).toEqual([inactive.ids[2]]);
    expect(await ids('extended_id=NOSUCHCODE')).toEqual([]);
    expect(await ids(`workorder=${active.id}&status=1`)).toEqual([active.ids[0], active.ids[1]].sort());
  });

  it('another company sees neither its codes nor its documents', async () => {
    const { key } = await exportCodes(t, bo);
    const theirs = await exportCodes(t, other.brandToken);
    expect(theirs.lines).toEqual([HEADER]);
    expect((await t.call('GET', `/api/v2/documents/${key}/`, other.brandToken)).status).toBe(404);
    expect((await t.call('GET', `/api/v2/documents/${key}/get-download-link/`, other.brandToken)).status).toBe(404);
    const foreign = await t.call('GET', `/api/v2/codes/download/?workorder=${active.id}`, other.brandToken);
    expect(foreign.status).toBe(400);
    expect(Object.keys(foreign.body)).toEqual(['workorder']);
    expect((await t.call('GET', '/api/v2/documents/zzzzzzzzzzzz/', bo)).status).toBe(404);
    expect((await t.call('GET', '/api/v2/documents/NOT-A-KEY/', bo)).status).toBe(404);
  });

  it('the download link is the credential: a wrong signature, another document or an expired link gets 403', async () => {
    const { key } = await exportCodes(t, bo);
    const link = new URL((await t.call('GET', `/api/v2/documents/${key}/get-download-link/`, bo)).body.url);
    const expires = link.searchParams.get('expires')!;
    const signature = link.searchParams.get('signature')!;
    const { key: otherKey } = await exportCodes(t, bo, 'status=1');
    const attempts = [
      `/api/v2/documents/${key}/file/?expires=${expires}&signature=${signature.slice(0, -2)}AA`,
      `/api/v2/documents/${otherKey}/file/?expires=${expires}&signature=${signature}`,
      `/api/v2/documents/${key}/file/?expires=${Number(expires) + 1}&signature=${signature}`,
      `/api/v2/documents/${key}/file/?expires=${Math.floor(Date.now() / 1000) - 1}&signature=${new DownloadLinks(deriveKeys(t.container.config.secretKey).linkSigningKey).sign(key, Math.floor(Date.now() / 1000) - 1)}`,
    ];
    for (const url of attempts) {
      const reply = await t.app.inject({ method: 'GET', url });
      expect(reply.statusCode, url).toBe(403);
      expect(reply.json()).toEqual({ detail: 'This download link is invalid or has expired; ask for a new one.' });
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/v2/documents/${key}/file/` })).statusCode).toBe(400);
  });

  it('malformed filters are a 400 and start nothing; codes_view is needed', async () => {
    const count = async () => Number((await t.container.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    for (const query of ['status=5', 'workorder=abc', 'workorder=999999', 'blacklisted=maybe', 'activated_at=yesterday', 'activated_at=2026-13-45',
      'activated_at=,', 'activated_at=2026-01-01,2026-02-01,2026-03-01', `extended_id=${'x'.repeat(100)}`]) {
      const reply = await t.call('GET', `/api/v2/codes/download/?${query}`, bo);
      expect(reply.status, query).toBe(400);
      expectDrfBody(reply.body);
    }
    const noView = await tokenFor(t, t.seed.brand_owner.company_id, allBut('codes_view'));
    expect((await t.call('GET', '/api/v2/codes/download/', noView.key)).status).toBe(403);
    expect((await t.call('GET', '/api/v2/codes/download/', null)).status).toBe(401);
    expect(await count()).toBe(before);
  });
});
