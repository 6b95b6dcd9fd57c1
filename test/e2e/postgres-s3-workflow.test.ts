import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArchive } from '../helpers/archive-check.js';
import { S3RVER_KEY, startS3rver, type S3Server } from '../helpers/s3-server.js';
import {
  apiClient, download, freePort, hasUnzip, runCli, startServer, startWorker, type SigilProcess,
} from '../helpers/server-process.js';
import { createPostgresDatabase, type TestDatabase } from '../helpers/test-database.js';

const QUANTITY = 13_000; // one batch whose fragment passes 8 MiB: more than one S3 part
const BUCKET = 'sigil-e2e';

/**
 * The scale-out setup end to end: an API process and a worker process, PostgreSQL, archives in an
 * S3-compatible store (s3rver on loopback). The archive goes to the bucket by multipart upload, and
 * the download (whole, HEAD, byte ranges) is read back from it; nothing lands in the data directory.
 */
describe('PostgreSQL + S3, API and worker in separate processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-pg-s3-'));
  let database: TestDatabase | undefined;
  let s3: S3Server | undefined;
  const processes: SigilProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await database?.drop();
    await s3?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates into the bucket and serves the archive from it', async () => {
    database = await createPostgresDatabase();
    s3 = await startS3rver(BUCKET);
    const env = {
      ...database.env, SIGIL_DATA_DIR: dataDir, SIGIL_BLOB_URL: `s3://${BUCKET}/archives`, SIGIL_S3_ENDPOINT: s3.endpoint,
      SIGIL_S3_FORCE_PATH_STYLE: 'true', AWS_ACCESS_KEY_ID: S3RVER_KEY, AWS_SECRET_ACCESS_KEY: S3RVER_KEY, AWS_REGION: 'us-east-1',
    };
    const seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    const server = await startServer({ ...env, SIGIL_RUN_WORKER: 'false' }, await freePort());
    processes.push(server);
    const worker = await startWorker(env);
    processes.push(worker);
    const started = worker.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'Sigil worker is running');
    expect(started).toMatchObject({ blobs: `s3://${BUCKET}/archives/ (endpoint ${s3.endpoint})`, database: expect.stringMatching(/^postgres:\/\/127\.0\.0\.1:5432\/sigil_test_/) });
    expect(worker.output()).not.toContain(S3RVER_KEY);

    const api = apiClient(server.baseUrl, seed.brand_owner.token);
    const created = await api('POST', '/api/v2/workorders/create-sid/', { reference: 'PG-S3', quantity: QUANTITY, use_serial_number: true });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    let order = created.body;
    for (const deadline = Date.now() + 120_000; order.codegen_status !== 4; await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > deadline) throw new Error(`not generated: ${JSON.stringify(order.codegen_progress)}\n${worker.output()}`);
      order = (await api('GET', `/api/v2/workorders/${id}/`)).body;
    }

    const client = new S3Client({
      region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    client.destroy();
    const objects = (listed.Contents ?? []).map((o) => ({ key: o.Key, size: o.Size }));
    // The archive is stored as its parts: the batch's fragment (images), its directory piece (records and
    // codes.csv lines, read by the assembly) and the archive's end (codes.csv, manifest, central directory).
    const folder = `archives/workorders/${id}/workorder_${id}_[0-9A-Za-z]{12}\\.zip\\.parts/`;
    expect(objects).toEqual([
      { key: expect.stringMatching(new RegExp(`^${folder}batch-000001-[0-9A-Za-z]{10}$`)), size: expect.any(Number) },
      { key: expect.stringMatching(new RegExp(`^${folder}batch-000001-[0-9A-Za-z]{10}\\.dir$`)), size: expect.any(Number) },
      { key: expect.stringMatching(new RegExp(`^${folder}tail-[0-9A-Za-z]{10}$`)), size: expect.any(Number) },
    ]);
    const [fragment, , tail] = objects as Array<{ key: string; size: number }>;
    expect(fragment!.size).toBeGreaterThan(8 * 2 ** 20); // more than one 8 MiB part: a real multipart upload
    expect(existsSync(join(dataDir, 'blobs'))).toBe(false);

    const zip = await download(order.codegen_file, seed.brand_owner.token);
    expect(zip.status).toBe(200);
    expect(zip.data.length).toBe(fragment!.size + tail!.size);
    const file = join(dataDir, 'pg-s3.zip');
    writeFileSync(file, zip.data);
    await checkArchive(file, { quantity: QUANTITY, urlPrefix: order.url_prefix, useSerialNumber: true, sample: 20 });
    if (hasUnzip()) expect(spawnSync('unzip', ['-tq', file], { encoding: 'utf8' }).status).toBe(0);

    const head = await fetch(order.codegen_file, { method: 'HEAD', headers: { authorization: `UAT ${seed.brand_owner.token}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(zip.data.length));
    const start = fragment!.size - 100; // across the boundary of the fragment and the archive's end
    const ranged = await fetch(order.codegen_file, { headers: { authorization: `UAT ${seed.brand_owner.token}`, range: `bytes=${start}-${start + 999}` } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes ${start}-${start + 999}/${zip.data.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(zip.data.subarray(start, start + 1000))).toBe(true);
  }, 180_000);
});
