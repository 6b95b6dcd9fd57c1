import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generationService, runGeneration } from '../helpers/generation.js';
import { secureRandom, type Random } from '../../src/shared/random.js';
import { checkArchive } from '../helpers/archive-check.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Size of the random-byte pool the generator draws IDs from (one legacy ID takes 28 bytes of it). */
const POOL_BYTES = 64 * 1024;

/**
 * A random source that hands out, as its `replayAt`-th pool, an exact copy of an earlier pool: every ID
 * drawn from it is one already drawn before, like a run of astronomically unlucky draws.
 */
function replaying(replayAt: number, source: () => Uint8Array | null): Random & { firstPool: () => Uint8Array; pools: () => number } {
  let pools = 0;
  let first: Uint8Array | null = null;
  return {
    bytes(n) {
      if (n !== POOL_BYTES) return secureRandom.bytes(n);
      pools += 1;
      const replay = pools === replayAt ? source() ?? first : null;
      const bytes = replay ? Uint8Array.from(replay) : secureRandom.bytes(n);
      if (pools === 1) first = Uint8Array.from(bytes);
      return bytes;
    },
    firstPool: () => first!,
    pools: () => pools,
  };
}

/**
 * Extended IDs are unique across the platform: an ID drawn again, in the same order or one already in
 * another order, is skipped by the insert and drawn afresh, and the archive lists the final IDs.
 */
describe('extended IDs that are already taken are drawn again', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  async function generate(reference: string, quantity: number, random: Random) {
    const bo = t.seed.brand_owner.token;
    const template = await t.container.admin.createTemplate({ company: t.seed.brand_owner.company_id, name: `small ${reference}`, size_mm: 6 });
    const created = await t.call('POST', '/api/v2/workorders/create-sid/', bo, { reference, quantity, template: template.id });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(await runGeneration(t, generationService(t, { random }), id)).toBe('generated');
    const rows = await t.container.db.selectFrom('codes').select(['sequence_number', 'extended_id'])
      .where('workorder_id', '=', id).orderBy('sequence_number').execute();
    const zip = await t.call('GET', `/api/v2/workorders/${id}/download/`, bo);
    const file = join(t.dataDir, `${reference}.zip`);
    writeFileSync(file, zip.raw);
    const done = await t.call('GET', `/api/v2/workorders/${id}/`, bo);
    const archive = await checkArchive(file, { quantity, urlPrefix: done.body.url_prefix, useSerialNumber: true, sample: 10 });
    // The archive lists the IDs the database holds, in sequence order.
    expect(archive.rows.map(([extendedId]) => extendedId)).toEqual(rows.map((r) => r.extended_id));
    return rows.map((r) => r.extended_id);
  }

  it('within one order and against another order', async () => {
    // Pool 2 repeats pool 1: codes 2341–4680 first draw the IDs of codes 1–2340 (same insert statement).
    const first = replaying(2, () => null);
    const ids = await generate('DUP-SAME', 5000, first);
    expect(first.pools()).toBeGreaterThanOrEqual(3); // the repeat was handed out, and fresh bytes after it
    expect(new Set(ids).size).toBe(5000);

    // Pool 1 of the next order repeats pool 1 of the first: its first 2340 draws are all taken already.
    const second = replaying(1, () => first.firstPool());
    const other = await generate('DUP-OTHER', 3000, second);
    expect(second.pools()).toBeGreaterThanOrEqual(2);
    expect(new Set(other).size).toBe(3000);
    expect(other.filter((id) => ids.includes(id))).toEqual([]);
  }, 120_000);
});
