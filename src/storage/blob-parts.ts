import { Readable } from 'node:stream';
import type { BlobStore, ByteRange } from './blob-store.js';

/** One blob of a file stored in parts, and its size. */
export interface BlobPart {
  key: string;
  size: number;
}

/**
 * The bytes `range` (default: all) of the file made of `parts` one after the other, read part by part
 * (only the parts the range touches, each only as far as it needs): memory stays at one read buffer
 * whatever the file's size. The first part is opened before this resolves, so a missing blob is
 * reported before any byte is sent; a part missing later fails the stream.
 */
export async function openParts(blobs: BlobStore, parts: readonly BlobPart[], range?: ByteRange): Promise<Readable> {
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  const wanted = range ?? { start: 0, end: total - 1 };
  const slices: Array<{ key: string; range: ByteRange }> = [];
  let offset = 0;
  for (const part of parts) {
    const start = Math.max(wanted.start, offset);
    const end = Math.min(wanted.end, offset + part.size - 1);
    if (start <= end) slices.push({ key: part.key, range: { start: start - offset, end: end - offset } });
    offset += part.size;
  }
  const first = slices[0];
  if (!first) return Readable.from([]);
  const opened = await blobs.open(first.key, first.range);
  if (!opened) throw new MissingBlobError(first.key);
  return Readable.from((async function* () {
    yield* opened.stream;
    for (const slice of slices.slice(1)) {
      const next = await blobs.open(slice.key, slice.range);
      if (!next) throw new MissingBlobError(slice.key);
      yield* next.stream;
    }
  })(), { objectMode: false });
}

export class MissingBlobError extends Error {
  constructor(readonly key: string) {
    super(`blob ${key} is missing from storage`);
    this.name = 'MissingBlobError';
  }
}
