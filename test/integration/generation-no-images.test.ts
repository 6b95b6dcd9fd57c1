import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_SIZE } from '../../src/codegen/batches.js';
import type { ImageRenderer } from '../../src/domain/codes/render-pool.js';
import { fragmentKey } from '../../src/domain/codes/generation-plan.js';
import { secureRandom, type Random } from '../../src/shared/random.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { confirm, createSg, createSid, WO } from '../helpers/api-fixtures.js';
import { generationService, runGeneration } from '../helpers/generation.js';
import { listItemSchema } from '../helpers/openapi-doc.js';
import { runCli } from '../helpers/server-process.js';
import { createTestApp, waitForWorkorder, type TestApp } from '../helpers/test-app.js';
import { TEST_SECRET_KEY } from '../helpers/test-database.js';
import { readZip } from '../helpers/zip-reader.js';

/** A render pool that counts what it is asked for (an order without images must ask for nothing). */
function countingRenderer(pool: ImageRenderer, count: { tasks: number }): ImageRenderer {
  return {
    parallelism: pool.parallelism,
    close: () => pool.close(),
    render: (task) => {
      count.tasks += 1;
      return pool.render(task);
    },
  };
}

/** A renderer that must never be called. */
const NO_RENDERER: ImageRenderer = {
  parallelism: 1,
  close: async () => undefined,
  render: () => Promise.reject(new Error('an order without images asked for a render')),
};

/** The order's archive as downloaded: every entry's bytes, by name, in archive order. */
async function download(t: TestApp, id: number, token: string): Promise<Map<string, Buffer>> {
  const reply = await t.call('GET', `${WO}/${id}/download/`, token);
  expect(reply.status).toBe(200);
  const file = join(t.dataDir, `wo-${id}.zip`);
  writeFileSync(file, reply.raw);
  const entries = new Map<string, Buffer>();
  await readZip(file, (name, data) => void entries.set(name, data)); // CRC-32 of each entry checked
  return entries;
}

/** The blobs the store holds for an order, relative to its blob directory. */
function blobsOf(t: TestApp, id: number): string[] {
  const root = join(t.dataDir, 'blobs');
  const dir = join(root, 'workorders', String(id));
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
  } catch {
    return [];
  }
}

/**
 * Checks an archive without images: exactly codes.csv and manifest.json; codes.csv lists every code of
 * the database once, in sequence order; the manifest says there are no images and checksums codes.csv.
 */
async function checkNoImageArchive(t: TestApp, id: number, token: string, expected: { kind: 'sid' | 'ssc'; useSerialNumber: boolean }) {
  const order = (await t.call('GET', `${WO}/${id}/`, token)).body;
  expect(order).toMatchObject({ codegen_status: 4 });
  const entries = await download(t, id, token);
  expect([...entries.keys()]).toEqual(['codes.csv', 'manifest.json']);

  const csv = entries.get('codes.csv')!;
  const lines = csv.toString('utf8').trimEnd().split('\n');
  expect(lines[0]).toBe('extended_id,serial_number,sequence_number,batch_number,url');
  const stored = await t.container.db.selectFrom('codes').select(['sequence_number', 'batch_number', 'extended_id', 'serial_number'])
    .where('workorder_id', '=', id).orderBy('sequence_number').execute();
  expect(stored).toHaveLength(order.quantity);
  expect(lines.slice(1)).toEqual(stored.map((c) => [c.extended_id, c.serial_number ?? '', c.sequence_number, c.batch_number, order.url_prefix + c.extended_id].join(',')));
  expect(new Set(stored.map((c) => c.extended_id)).size).toBe(order.quantity);
  expect(stored.map((c) => c.sequence_number)).toEqual(stored.map((_, i) => i + 1));
  expect(stored.every((c) => c.batch_number === Math.ceil(c.sequence_number / MAX_BATCH_SIZE))).toBe(true);
  if (expected.useSerialNumber) expect(stored.every((c) => /^\d{10}$/.test(c.serial_number ?? ''))).toBe(true);

  const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
  expect(manifest).toMatchObject({
    format: 'sigil-workorder-archive/2',
    workorder: { id, type: expected.kind === 'sid' ? 'SID' : 'SSC', quantity: order.quantity },
    layout: null,
    counts: { codes: order.quantity, images: 0, batches: Math.ceil(order.quantity / MAX_BATCH_SIZE) },
    files: [{ path: 'codes.csv', size: csv.length, sha256: createHash('sha256').update(csv).digest('hex') }],
  });
  expect(manifest.images.format).toBe('none');
  expect(manifest.images).not.toHaveProperty('naming');
  expect(manifest.printing.dpi).toBeNull();
  for (const batch of manifest.batches) expect(batch).not.toHaveProperty('folder');

  // The store holds each batch's codes.csv piece and the archive's end, and no fragment of image data.
  const blobs = blobsOf(t, id);
  expect(blobs.filter((key) => !key.endsWith('.dir') && !/\/tail-[0-9A-Za-z]+$/.test(key))).toEqual([]);
  expect(blobs.filter((key) => key.endsWith('.dir'))).toHaveLength(manifest.counts.batches);
  const batches = await t.container.db.selectFrom('generation_batches').select(['fragment_key', 'fragment_size', 'directory_size'])
    .where('workorder_id', '=', id).execute();
  expect(batches.every((b) => b.fragment_key === null && b.fragment_size === 0 && b.directory_size === 0)).toBe(true);
  return { order, stored, manifest, csv };
}

describe('orders without images (template image_format "none"), generated by the worker', () => {
  let t: TestApp;
  const renders = { tasks: 0 };
  beforeAll(async () => {
    t = await createTestApp({ worker: true, overrides: { wrapRenderer: (pool) => countingRenderer(pool, renders) } });
  });
  afterAll(async () => t.close());

  /** `sigil template create …` against the test app's database (SQLite file or PostgreSQL). */
  function cli(args: string[]): string {
    const database = t.container.config.database;
    return runCli(args, {
      SIGIL_DATA_DIR: t.dataDir, SIGIL_LOG_LEVEL: 'silent',
      ...(database.kind === 'postgres' ? { DATABASE_URL: database.url, SIGIL_SECRET_KEY: TEST_SECRET_KEY } : {}),
    });
  }

  it('the CLI and the admin service take "none" and refuse anything else with a field error; the template API lists it', async () => {
    const company = String(t.seed.brand_owner.company_id);
    const made = JSON.parse(cli(['template', 'create', '--company', company, '--name', 'CSV only (CLI)', '--image-format', 'none']));
    expect(made).toMatchObject({ name: 'CSV only (CLI)', image_format: 'none', code_layout: null });
    expect(() => cli(['template', 'create', '--company', company, '--name', 'gif', '--image-format', 'gif']))
      .toThrow('{"image_format":["Choose one of: png, svg, none."]}');
    const before = await t.container.db.selectFrom('templates').select('id').execute();
    await expect(t.container.admin.createTemplate({ company: t.seed.brand_owner.company_id, name: 'NONE', image_format: 'NONE' }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: { image_format: ['Choose one of: png, svg, none.'] } } });
    expect(await t.container.db.selectFrom('templates').select('id').execute()).toEqual(before);

    const listed = await t.call('GET', `${WO}/templates/`, t.seed.brand_owner.token);
    expect(listed.status).toBe(200);
    expect(listed.body.results.find((r: any) => r.id === made.id)).toMatchObject({ image_format: 'none', code_layout: null });
    const schema = await t.call('GET', '/api/v2/schema/');
    expect(schema.status).toBe(200);
    const template = listItemSchema(schema.body, schema.body.paths['/api/v2/workorders/templates/'].get);
    expect(template.properties.image_format.anyOf).toContainEqual({ type: 'string', enum: ['none'] });
  });

  it('a SID order of such a template: codes.csv and manifest.json only, no render, progress without images', async () => {
    const bo = t.seed.brand_owner.token;
    const template = await t.container.admin.createTemplate({ company: t.seed.brand_owner.company_id, name: 'CSV only SID', image_format: 'none' });
    const before = renders.tasks;
    const sid = await createSid(t, { quantity: 20_003, template: template.id, use_serial_number: true }); // two batches
    const done = await waitForWorkorder(t, sid.id, bo, (wo) => wo.codegen_status === 4 || wo.codegen_status === 5, 60_000);
    expect(done).toMatchObject({ state: 'completed', codegen_status: 4, codegen_error: null });
    expect(done.codegen_progress).toEqual({ codes_generated: 20_003, images_rendered: 0, percent: 100 });
    expect(renders.tasks).toBe(before);
    await checkNoImageArchive(t, sid.id, bo, { kind: 'sid', useSerialNumber: true });

    // The download is the archive's end alone: HEAD, and a range, work as for any archive.
    const head = await t.app.inject({ method: 'HEAD', url: `${WO}/${sid.id}/download/`, headers: { authorization: `UAT ${bo}` } });
    expect(head.statusCode).toBe(200);
    const size = Number(head.headers['content-length']);
    const range = await t.app.inject({ method: 'GET', url: `${WO}/${sid.id}/download/`, headers: { authorization: `UAT ${bo}`, range: `bytes=${size - 22}-` } });
    expect(range.statusCode).toBe(206);
    expect(range.rawPayload.readUInt32LE(0)).toBe(0x06054b50); // the end-of-central-directory record
    expect(range.rawPayload.readUInt16LE(10)).toBe(2); // two entries
  });

  it('an SSC order of such a template, confirmed by the partner: the same, the manifest noting there is no secure graphic', async () => {
    const bo = t.seed.brand_owner.token;
    const template = await t.container.admin.createTemplate({
      company: t.seed.brand_owner.company_id, name: 'CSV only SG', image_format: 'none', code_layout: 'sg-inside',
      printing_partner: t.seed.printing_partner.company_id,
    });
    const before = renders.tasks;
    const sg = await createSg(t, { quantity: 300, template: String(template.id), code_layout: 'sg-inside', use_serial_number: false });
    await confirm(t, sg.id);
    const done = await waitForWorkorder(t, sg.id, bo, (wo) => wo.codegen_status === 4 || wo.codegen_status === 5, 60_000);
    expect(done).toMatchObject({ codegen_status: 4, codegen_progress: { codes_generated: 300, images_rendered: 0 } });
    expect(renders.tasks).toBe(before);
    const { manifest } = await checkNoImageArchive(t, sg.id, bo, { kind: 'ssc', useSerialNumber: false });
    expect(manifest.images.note).toMatch(/No secure graphic/);
    expect(manifest.printing.equipment).toMatchObject({ id: t.seed.equipment_id });
  });

  it('a PNG order beside them still has one image per code', async () => {
    const bo = t.seed.brand_owner.token;
    const before = renders.tasks;
    const sid = await createSid(t, { quantity: 7 }); // no template: PNG
    const done = await waitForWorkorder(t, sid.id, bo, (wo) => wo.codegen_status === 4 || wo.codegen_status === 5, 60_000);
    expect(done).toMatchObject({ codegen_status: 4, codegen_progress: { codes_generated: 7, images_rendered: 7 } });
    expect(renders.tasks).toBeGreaterThan(before);
    const entries = await download(t, sid.id, bo);
    const images = [...entries.keys()].filter((name) => name.startsWith('images/batch_0001/') && name.endsWith('.png'));
    expect(images).toHaveLength(7);
    expect([...entries.keys()]).toEqual([...images, 'codes.csv', 'manifest.json']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ images: { format: 'png' }, counts: { codes: 7, images: 7 } });
    expect(manifest.images.naming).toMatch(/\.png$/);
    expect(blobsOf(t, sid.id).filter((key) => /batch-000001-[0-9A-Za-z]+$/.test(key))).toHaveLength(1); // the fragment
  });
});

describe('orders without images: crash, retry and twin runs of their batches', () => {
  let t: TestApp;
  let templateId: number;
  beforeAll(async () => {
    t = await createTestApp(); // no worker: the jobs run here, one by one
    templateId = (await t.container.admin.createTemplate({ company: t.seed.brand_owner.company_id, name: 'CSV only', image_format: 'none' })).id;
  });
  afterAll(async () => t.close());

  async function order(reference: string, quantity: number): Promise<number> {
    return (await createSid(t, { reference, quantity, template: templateId, use_serial_number: true })).id as number;
  }
  const storedCodes = (id: number) => t.container.db.selectFrom('codes').select(['sequence_number', 'extended_id', 'serial_number'])
    .where('workorder_id', '=', id).orderBy('sequence_number').execute();

  it('a run stopped in the middle of a batch resumes: stored codes are read back, never drawn again', async () => {
    const quantity = 2 * MAX_BATCH_SIZE + 10;
    const id = await order('NOIMG-RESUME', quantity);
    // Stops once ≈ 21 000 legacy IDs are drawn, in the second batch: its codes commit, then the run stops.
    const controller = new AbortController();
    let drawn = 0;
    const counting: Random = {
      bytes: (n) => {
        drawn += n;
        if (drawn > 600_000) controller.abort(new Error('simulated stop'));
        return secureRandom.bytes(n);
      },
    };
    await expect(runGeneration(t, generationService(t, { random: counting, renderer: NO_RENDERER }), id, controller.signal)).rejects.toThrow('simulated stop');
    const partial = (await t.call('GET', `${WO}/${id}/`, t.seed.brand_owner.token)).body;
    expect(partial.codegen_progress).toMatchObject({ codes_generated: 2 * MAX_BATCH_SIZE, images_rendered: 0 });
    expect(partial.codegen_status).toBe(6);
    expect(await t.container.db.selectFrom('blob_uploads').selectAll().execute()).toEqual([]);
    const before = await storedCodes(id);

    expect(await runGeneration(t, generationService(t, { renderer: NO_RENDERER }), id)).toBe('generated');
    const after = await storedCodes(id);
    expect(after).toHaveLength(quantity);
    expect(after.slice(0, before.length)).toEqual(before);
    await checkNoImageArchive(t, id, t.seed.brand_owner.token, { kind: 'sid', useSerialNumber: true });
  }, 120_000);

  it('a batch whose piece fails to store after its codes committed, and a crashed run\'s upload left behind: the retry completes with every code once', async () => {
    const quantity = 2 * MAX_BATCH_SIZE + 10;
    const id = await order('NOIMG-CRASH', quantity);
    // The blob store fails to publish batch 2's codes.csv piece (its codes are committed by then).
    const blobs = t.container.blobs;
    const failing: BlobStore = Object.create(blobs, {
      createUpload: {
        value: async (key: string) => {
          const upload = await blobs.createUpload(key);
          if (!/batch-000002-[0-9A-Za-z]+\.dir$/.test(key)) return upload;
          // Fails once the piece is written, as a store would (the stream is never cut short under it).
          const commit = async () => {
            await finished(upload.stream).catch(() => undefined);
            throw new Error('store unavailable');
          };
          return { ...upload, commit };
        },
      },
    });
    await expect(runGeneration(t, generationService(t, { blobs: failing, renderer: NO_RENDERER }), id)).rejects.toThrow('store unavailable');
    const done = await t.container.db.selectFrom('generation_batches').select('batch_number')
      .where('workorder_id', '=', id).where('done_date', 'is not', null).execute();
    expect(done).toEqual([{ batch_number: 1 }]);
    const before = await storedCodes(id);
    expect(before).toHaveLength(2 * MAX_BATCH_SIZE);
    expect(await t.container.db.selectFrom('blob_uploads').selectAll().execute()).toEqual([]);

    // What a process killed while writing batch 2's piece leaves: a recorded upload, half written.
    const archiveKey = (await t.container.db.selectFrom('workorders').select('archive_key').where('id', '=', id).executeTakeFirstOrThrow()).archive_key!;
    const leftover = await t.container.generation.uploads.start(id, `${fragmentKey(id, archiveKey, 2, 'killedrun0')}.dir`);
    await new Promise<void>((resolve, reject) => leftover.stream.write(Buffer.from('half a piece'), (error) => (error ? reject(error) : resolve())));
    leftover.stream.destroy(); // the process dies: its file stays, unfinished

    expect(await runGeneration(t, generationService(t, { renderer: NO_RENDERER }), id)).toBe('generated');
    const after = await storedCodes(id);
    expect(after).toHaveLength(quantity);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(await t.container.db.selectFrom('blob_uploads').selectAll().execute()).toEqual([]);
    expect(blobsOf(t, id).filter((key) => key.includes('killedrun0'))).toEqual([]);
    await checkNoImageArchive(t, id, t.seed.brand_owner.token, { kind: 'sid', useSerialNumber: true });
  }, 120_000);

  it('a canceled order\'s codes.csv pieces are discarded (there are no fragments to find)', async () => {
    const id = await order('NOIMG-CANCEL', MAX_BATCH_SIZE + 5);
    const service = generationService(t, { renderer: NO_RENDERER });
    expect(await service.plan(id)).toBe('planned');
    expect(await service.runBatch(id, 1, new AbortController().signal)).toBe('done');
    expect(blobsOf(t, id).filter((key) => key.endsWith('.dir'))).toHaveLength(1);
    const canceled = await t.call('POST', `${WO}/${id}/cancel/`, t.seed.brand_owner.token);
    expect(canceled.status).toBe(200);
    expect(await service.runBatch(id, 2, new AbortController().signal)).toBe('skipped');
    expect(await service.discard(id)).toEqual({ blobs: 1 });
    expect(blobsOf(t, id)).toEqual([]);
    const download = await t.call('GET', `${WO}/${id}/download/`, t.seed.brand_owner.token);
    expect(download.status).toBeGreaterThanOrEqual(400);
  });

  it('two runs of every job at once store one set of codes', async () => {
    const quantity = MAX_BATCH_SIZE + 500;
    const id = await order('NOIMG-TWICE', quantity);
    const outcomes = await Promise.allSettled([
      runGeneration(t, generationService(t, { renderer: NO_RENDERER }), id),
      runGeneration(t, generationService(t, { renderer: NO_RENDERER }), id),
    ]);
    expect(outcomes.some((o) => o.status === 'fulfilled' && o.value === 'generated')).toBe(true);
    const { stored } = await checkNoImageArchive(t, id, t.seed.brand_owner.token, { kind: 'sid', useSerialNumber: true });
    expect(stored).toHaveLength(quantity);
    expect(await t.container.db.selectFrom('blob_uploads').selectAll().execute()).toEqual([]);
  }, 120_000);
});
