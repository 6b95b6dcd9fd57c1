import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readThroughBuffer } from './read-through-buffer.js';

describe('readThroughBuffer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bytes = randomBytes(10_000);
  const file = join(dir, 'data.bin');
  writeFileSync(file, bytes);

  async function collect(length?: number) {
    const handle = await open(file, 'r');
    try {
      const chunks: Buffer[] = [];
      const buffers = new Set<ArrayBufferLike>();
      for await (const chunk of readThroughBuffer(handle, 4096, length)) {
        buffers.add(chunk.buffer);
        chunks.push(Buffer.from(chunk)); // copied before the next read overwrites it
      }
      return { data: Buffer.concat(chunks), chunks: chunks.map((c) => c.length), buffers: buffers.size };
    } finally {
      await handle.close();
    }
  }

  it('reads the whole file through one buffer, in buffer-sized views', async () => {
    expect(await collect()).toEqual({ data: bytes, chunks: [4096, 4096, 1808], buffers: 1 });
  });

  it('reads exactly `length` bytes when given', async () => {
    const { data } = await collect(5000);
    expect(data.equals(bytes.subarray(0, 5000))).toBe(true);
  });

  it('fails when the file ends before `length` bytes', async () => {
    await expect(collect(12_000)).rejects.toThrow('file ended after 10000 of 12000 bytes');
  });
});
