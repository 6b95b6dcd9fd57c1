import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBut, createSid, WO } from '../helpers/api-fixtures.js';
import { createOtherTenants, createTestApp, tokenFor, waitForWorkorder, type TestApp } from '../helpers/test-app.js';

/** The download answers HEAD and single byte ranges (206), so clients can check and resume large archives. */
describe('GET/HEAD /api/v2/workorders/{id}/download/ with ranges', () => {
  let t: TestApp;
  let bo: string;
  let id: number;
  let whole: Buffer;
  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    const sid = await createSid(t, { reference: 'DL-RANGE', quantity: 40 });
    await waitForWorkorder(t, sid.id, bo, (wo) => wo.codegen_status === 4);
    id = sid.id;
    const full = await get();
    expect(full.statusCode).toBe(200);
    whole = full.rawPayload;
    expect(whole.length).toBeGreaterThan(1000);
  });
  afterAll(async () => t.close());

  const get = (headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET', token = bo) =>
    t.app.inject({ method, url: `${WO}/${id}/download/`, headers: { authorization: `UAT ${token}`, ...headers } });

  it('HEAD: the headers of the whole archive (its size, a strong ETag), no body', async () => {
    const head = await get({}, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers).toMatchObject({
      'content-type': 'application/zip', 'content-length': String(whole.length), 'accept-ranges': 'bytes',
      etag: expect.stringMatching(/^"[0-9A-Za-z]{12}"$/),
    });
    expect(String(head.headers['content-disposition'])).toMatch(/^attachment; filename="workorder_\d+_[0-9A-Za-z]{12}\.zip"$/);
    expect(head.rawPayload.length).toBe(0);
    expect((await get()).headers.etag).toBe(head.headers.etag);
  });

  it('the archive\'s SHA-256: on the order (codegen_file_sha256) and in the download\'s headers, whole or ranged', async () => {
    const sha256 = createHash('sha256').update(whole).digest();
    const order = await t.app.inject({ method: 'GET', url: `${WO}/${id}/`, headers: { authorization: `UAT ${bo}` } });
    expect(order.json().codegen_file_sha256).toBe(sha256.toString('hex'));
    for (const reply of [await get(), await get({}, 'HEAD'), await get({ range: 'bytes=0-9' })]) {
      expect(reply.headers['x-checksum-sha256']).toBe(sha256.toString('hex'));
      expect(reply.headers['repr-digest']).toBe(`sha-256=:${sha256.toString('base64')}:`);
    }
    const pending = await createSid(t, { reference: 'DL-PENDING', quantity: 5 });
    expect(pending.codegen_file_sha256).toBeNull();
  });

  it('one byte range: 206 with exactly those bytes and Content-Range', async () => {
    const n = whole.length;
    const cases: Array<[string, number, number]> = [
      ['bytes=0-9', 0, 9],
      ['bytes=100-', 100, n - 1],
      ['bytes=-22', n - 22, n - 1], // the end-of-central-directory record
      ['bytes=5-5', 5, 5],
      ['bytes=10-99999999', 10, n - 1],
      ['bytes=-99999999', 0, n - 1],
    ];
    for (const [range, start, end] of cases) {
      const reply = await get({ range });
      expect(reply.statusCode, range).toBe(206);
      expect(reply.headers['content-range'], range).toBe(`bytes ${start}-${end}/${n}`);
      expect(reply.headers['content-length'], range).toBe(String(end - start + 1));
      expect(reply.rawPayload.equals(whole.subarray(start, end + 1)), range).toBe(true);
    }
    const head = await get({ range: 'bytes=100-' }, 'HEAD');
    expect(head.statusCode).toBe(206);
    expect(head.headers).toMatchObject({ 'content-range': `bytes 100-${n - 1}/${n}`, 'content-length': String(n - 100) });
  });

  it('ranges read one after the other make the whole archive', async () => {
    const third = Math.floor(whole.length / 3);
    const pieces = [];
    for (const range of [`bytes=0-${third - 1}`, `bytes=${third}-${2 * third - 1}`, `bytes=${2 * third}-`]) pieces.push((await get({ range })).rawPayload);
    expect(Buffer.concat(pieces).equals(whole)).toBe(true);
  });

  it('a Range it does not serve as a part (several ranges, another unit, bad syntax) gets the whole archive', async () => {
    for (const range of ['bytes=0-1,5-6', 'items=0-5', 'bytes=9-3', 'bytes=abc', 'bytes=-']) {
      const reply = await get({ range });
      expect(reply.statusCode, range).toBe(200);
      expect(reply.rawPayload.equals(whole), range).toBe(true);
    }
  });

  it('a range outside the archive is 416 with Content-Range: bytes */size and a DRF body', async () => {
    for (const range of [`bytes=${whole.length}-`, `bytes=${whole.length + 10}-${whole.length + 20}`, 'bytes=-0']) {
      const reply = await get({ range });
      expect(reply.statusCode, range).toBe(416);
      expect(reply.headers['content-range']).toBe(`bytes */${whole.length}`);
      expect(reply.json()).toEqual({ detail: `The requested range is not within the archive's ${whole.length} bytes.` });
    }
  });

  it('HEAD and ranges follow the download\'s rules: another tenant 404, no permission 403', async () => {
    const other = await createOtherTenants(t);
    expect((await get({}, 'HEAD', other.brandToken)).statusCode).toBe(404);
    expect((await get({ range: 'bytes=0-9' }, 'GET', other.brandToken)).statusCode).toBe(404);
    const noDownload = (await tokenFor(t, t.seed.brand_owner.company_id, allBut('workorder_sid_download'))).key;
    expect((await get({ range: 'bytes=0-9' }, 'GET', noDownload)).statusCode).toBe(403);
  });

  it('an archive missing from storage is a 404 before any byte is sent', async () => {
    const sid = await createSid(t, { reference: 'DL-GONE', quantity: 2 });
    await waitForWorkorder(t, sid.id, bo, (wo) => wo.codegen_status === 4);
    const fragment = await t.container.db.selectFrom('generation_batches').select('fragment_key').where('workorder_id', '=', sid.id).executeTakeFirstOrThrow();
    await t.container.blobs.delete(fragment.fragment_key!);
    const reply = await t.app.inject({ method: 'GET', url: `${WO}/${sid.id}/download/`, headers: { authorization: `UAT ${bo}`, range: 'bytes=0-9' } });
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toEqual({ detail: 'The file of this work order is missing from storage.' });
  });
});
