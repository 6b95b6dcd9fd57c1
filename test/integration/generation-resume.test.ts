import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_SIZE } from '../../src/codegen/batches.js';
import { secureRandom, type Random } from '../../src/shared/random.js';
import { checkArchive } from '../helpers/archive-check.js';
import { generationService, runGeneration } from '../helpers/generation.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const QUANTITY = 40_010; // three batches: 20 000 + 20 000 + 10

/**
 * Generation interrupted in the middle of a batch resumes where it stopped: batches done stay done, a
 * batch whose codes are stored reads them back (never redraws), and the archive holds every code once.
 */
describe('generation resumes where it stopped', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('keeps the stored batches and completes the rest', async () => {
    const bo = t.seed.brand_owner.token;
    // Small printed size (6 mm) keeps the 40 000 images quick to render.
    const template = await t.container.admin.createTemplate({ company: t.seed.brand_owner.company_id, name: 'small SID', size_mm: 6 });
    const created = await t.call('POST', '/api/v2/workorders/create-sid/', bo, {
      reference: 'RESUME-1', quantity: QUANTITY, use_serial_number: true, template: template.id,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    // Stop the run once it has drawn ≈ 600 kB of random bytes (≈ 21 000 legacy IDs), in the second batch: its
    // codes are stored, then it stops while rendering, like a worker that lost its lease mid-batch.
    const controller = new AbortController();
    let drawn = 0;
    const counting: Random = {
      bytes: (n) => {
        drawn += n;
        if (drawn > 600_000) controller.abort(new Error('simulated stop'));
        return secureRandom.bytes(n);
      },
    };
    await expect(runGeneration(t, generationService(t, { random: counting }), id, controller.signal)).rejects.toThrow('simulated stop');

    const partial = await t.call('GET', `/api/v2/workorders/${id}/`, bo);
    const committed = partial.body.codegen_progress.codes_generated as number;
    expect(committed).toBe(2 * MAX_BATCH_SIZE); // a batch's codes commit together
    expect(partial.body.codegen_progress.images_rendered).toBe(MAX_BATCH_SIZE); // only the first batch's fragment is stored
    expect(await t.container.db.selectFrom('blob_uploads').selectAll().execute()).toEqual([]); // the stopped fragment's upload is gone
    expect(partial.body.codegen_status).toBe(6);
    const before = await t.container.db.selectFrom('codes').select(['sequence_number', 'extended_id', 'serial_number'])
      .where('workorder_id', '=', id).orderBy('sequence_number').execute();
    expect(before).toHaveLength(committed);

    expect(await runGeneration(t, generationService(t, { random: secureRandom }), id)).toBe('generated');

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
