import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeGenerationService, COMMIT_CHUNK } from '../../src/domain/codes/code-generation.service.js';
import { secureRandom, type Random } from '../../src/shared/random.js';
import { checkArchive } from '../helpers/archive-check.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const QUANTITY = 40_010; // three batches: 20 000 + 20 000 + 10

/**
 * Generation interrupted between commits resumes after the last committed chunk: committed codes are
 * kept exactly as they were, nothing is generated twice, and the archive holds every code once.
 */
describe('generation resumes where it stopped', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('keeps the committed chunks and completes the rest', async () => {
    const bo = t.seed.brand_owner.token;
    // Small printed size (6 mm) keeps the 40 000 images quick to render.
    const template = await t.container.admin.createTemplate({ company: t.seed.brand_owner.company_id, name: 'small SID', size_mm: 6 });
    const created = await t.call('POST', '/api/v2/workorders/create-sid/', bo, {
      reference: 'RESUME-1', quantity: QUANTITY, use_serial_number: true, template: template.id,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    // Stop the run once it has drawn ≈ 600 kB of random bytes (≈ 25 000 legacy IDs): it commits the chunk
    // in hand and stops before the next one, like a worker that lost its lease mid-order.
    const controller = new AbortController();
    let drawn = 0;
    const counting: Random = {
      bytes: (n) => {
        drawn += n;
        if (drawn > 600_000) controller.abort(new Error('simulated stop'));
        return secureRandom.bytes(n);
      },
    };
    const deps = {
      db: t.container.db, clock: t.container.clock, blobs: t.container.blobs, queue: t.container.queue, logger: t.container.logger,
      tmpDir: join(t.dataDir, 'tmp'), renderer: t.container.renderer,
    };
    await expect(new CodeGenerationService({ ...deps, random: counting }).generate(id, controller.signal)).rejects.toThrow('simulated stop');

    const partial = await t.call('GET', `/api/v2/workorders/${id}/`, bo);
    const committed = partial.body.codegen_progress.codes_generated as number;
    expect(committed % COMMIT_CHUNK).toBe(0); // codes commit in whole chunks
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(QUANTITY);
    expect(partial.body.codegen_status).toBe(6);
    const before = await t.container.db.selectFrom('codes').select(['sequence_number', 'extended_id', 'serial_number'])
      .where('workorder_id', '=', id).orderBy('sequence_number').execute();
    expect(before).toHaveLength(committed);

    expect(await new CodeGenerationService({ ...deps, random: secureRandom }).generate(id, new AbortController().signal)).toBe('generated');

    const after = await t.container.db.selectFrom('codes').select(['sequence_number', 'extended_id', 'serial_number'])
      .where('workorder_id', '=', id).orderBy('sequence_number').execute();
    expect(after).toHaveLength(QUANTITY);
    expect(after.slice(0, committed)).toEqual(before);
    expect(new Set(after.map((c) => c.extended_id)).size).toBe(QUANTITY);
    expect(after.map((c) => c.serial_number)).toEqual(after.map((_, i) => String(1 + i).padStart(10, '0')));

    const done = await t.call('GET', `/api/v2/workorders/${id}/`, bo);
    expect(done.body).toMatchObject({ state: 'completed', codegen_status: 4 });
    const zip = await t.call('GET', `/api/v2/workorders/${id}/download/`, bo);
    const file = join(t.dataDir, 'resume.zip');
    writeFileSync(file, zip.raw);
    await checkArchive(file, { quantity: QUANTITY, urlPrefix: done.body.url_prefix, useSerialNumber: true, sample: 20 });
  }, 300_000);
});
