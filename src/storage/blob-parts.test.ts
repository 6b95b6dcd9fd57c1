import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingBlobError, openParts, type BlobPart } from './blob-parts.js';
import { FsBlobStore } from './fs-blob-store.js';

/** A file stored as several blobs, read whole or by range, on the real filesystem store. */
describe('openParts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-parts-'));
  const blobs = new FsBlobStore(dir);
  const contents = [Buffer.from('alpha-'), Buffer.alloc(0), Buffer.from('bravo-charlie-'), Buffer.from('delta')];
  const parts: BlobPart[] = contents.map((bytes, i) => ({ key: `f/part-${i}`, size: bytes.length }));
  const whole = Buffer.concat(contents);

  beforeAll(async () => {
    for (const [i, bytes] of contents.entries()) {
      const upload = await blobs.createUpload(`f/part-${i}`);
      upload.stream.end(bytes);
      await upload.commit();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the parts in order, whole', async () => {
    expect((await buffer(await openParts(blobs, parts))).equals(whole)).toBe(true);
  });

  it('reads any range, within one part or across several (and past an empty one)', async () => {
    for (let start = 0; start < whole.length; start++) {
      for (let end = start; end < whole.length; end++) {
        const read = await buffer(await openParts(blobs, parts, { start, end }));
        expect(read.toString(), `${start}-${end}`).toBe(whole.subarray(start, end + 1).toString());
      }
    }
  });

  it('reports a missing first part before streaming, a missing later part as a stream error', async () => {
    await expect(openParts(blobs, [{ key: 'f/nope', size: 3 }, ...parts])).rejects.toBeInstanceOf(MissingBlobError);
    const stream = await openParts(blobs, [...parts, { key: 'f/nope', size: 3 }]);
    await expect(buffer(stream)).rejects.toBeInstanceOf(MissingBlobError);
  });
});
