import { describe, expect, it } from 'vitest';
import { FragmentDirectoryBuilder, rebaseDirectory, rebasedLength } from './fragment-directory.js';
import { encodeCentralDirectoryHeader, toDosDateTime, type CentralEntry } from './zip-records.js';

const dos = toDosDateTime(new Date(2026, 0, 2, 3, 4, 6));
const files = [
  { name: 'images/batch_0001/0000001_AAAA.png', size: 900, crc: 0x11111111 },
  { name: 'images/batch_0001/0000002_BBBB.png', size: 1100, crc: 0x22222222 },
  { name: 'images/batch_0001/0000003_ünï.png', size: 7, crc: 0x33333333 },
];

function build(): FragmentDirectoryBuilder {
  const builder = new FragmentDirectoryBuilder(dos, 1);
  for (const f of files) builder.add(f.name, 0, f.crc, f.size, f.size);
  return builder;
}

/** The records a whole-archive writer would write, with offsets from `base`. */
function expected(base: number): Buffer {
  let offset = base;
  return Buffer.concat(files.map((f) => {
    const entry: CentralEntry = { name: f.name, method: 0, dos, dataDescriptor: false, crc32: f.crc, compressedSize: f.size, uncompressedSize: f.size, localHeaderOffset: offset };
    offset += 30 + Buffer.byteLength(f.name) + f.size;
    return encodeCentralDirectoryHeader(entry);
  }));
}

describe('fragment directories', () => {
  it('records each entry at its offset in the fragment (header, name, data), growing as needed', () => {
    const builder = build();
    expect(builder.entries).toBe(3);
    expect(builder.fragmentSize).toBe(files.reduce((sum, f) => sum + 30 + Buffer.byteLength(f.name) + f.size, 0));
    expect(builder.records()).toEqual(expected(0));
  });

  it('rebases in place below 4 GiB, and with ZIP64 extras beyond', () => {
    const records = build().records();
    expect(rebaseDirectory(records, 0)).toEqual({ records: expected(0), entries: 3, zip64: false });
    expect(rebaseDirectory(records, 123_456)).toEqual({ records: expected(123_456), entries: 3, zip64: false });
    const far = 5 * 2 ** 30;
    expect(rebaseDirectory(records, far)).toEqual({ records: expected(far), entries: 3, zip64: true });
    // Into a buffer the caller reuses: a view of it when it is large enough, a new one when not.
    const reused = Buffer.alloc(rebasedLength(records.length));
    const piece = rebaseDirectory(records, far, reused);
    expect(piece.records.buffer).toBe(reused.buffer);
    expect(piece.records).toEqual(expected(far));
    expect(rebaseDirectory(records, 7, Buffer.alloc(10)).records).toEqual(expected(7));
    // Straddling the limit: the first records fit 32 bits, the last does not.
    const edge = 0xfffffffe - 1000;
    const straddling = rebaseDirectory(records, edge);
    expect(straddling.records).toEqual(expected(edge));
    expect(straddling.zip64).toBe(true);
  });

  it('refuses records it did not write: cut short, foreign bytes, extra fields', () => {
    const records = build().records();
    expect(() => rebaseDirectory(records.subarray(0, records.length - 3), 0)).toThrow(/middle of a record/);
    expect(() => rebaseDirectory(Buffer.alloc(60), 0)).toThrow(/not a central-directory record/);
    expect(() => rebaseDirectory(expected(5 * 2 ** 30), 0)).toThrow(/extra fields/);
  });
});
