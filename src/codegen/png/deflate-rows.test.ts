import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dynamicTables, FIXED_TABLES, tablesForScanlines, writeZlibScanlines, zlibBound, type DeflateTables } from './deflate-rows.js';
import { canonicalCodes, huffmanLengths } from './huffman.js';
import { xorshift32Unit } from '../seeded-random.js';

const rng = xorshift32Unit;

interface Bands {
  lines: Uint8Array;
  stride: number;
  pitch: number;
  counts: number[];
  raw: Buffer;
}

/** Random bands: rows from a small alphabet with runs, repeated 1..maxRepeat times. */
function randomBands(random: () => number, stride: number, nBands: number, maxRepeat: number, pitchPad: number): Bands {
  const pitch = stride + pitchPad;
  const lines = new Uint8Array(pitch * nBands + 3);
  const counts: number[] = [];
  const alphabet = [0x00, 0xff, 0x0f, 0xf0, 0x3c, Math.floor(random() * 256)];
  for (let i = 0; i < nBands; i++) {
    const off = i * pitch;
    for (let j = 1; j < stride; j++) {
      const r = random();
      // Copy the row above, repeat the previous byte, or pick a byte.
      lines[off + j] =
        i > 0 && r < 0.5 ? lines[off + j - pitch]! : r < 0.75 && j > 1 ? lines[off + j - 1]! : alphabet[Math.floor(random() * alphabet.length)]!;
    }
    counts.push(1 + Math.floor(random() * random() * maxRepeat));
  }
  const parts: Buffer[] = [];
  counts.forEach((k, i) => {
    for (let r = 0; r < k; r++) parts.push(Buffer.from(lines.subarray(i * pitch, i * pitch + stride)));
  });
  return { lines, stride, pitch, counts, raw: Buffer.concat(parts) };
}

function deflate(b: Bands, tables?: DeflateTables): Buffer {
  const dest = new Uint8Array(zlibBound(b.raw.length, tables) + 10);
  const start = 5;
  const end = writeZlibScanlines(b.lines, b.stride, b.pitch, b.counts, b.counts.length, dest, start, tables);
  expect(end).toBeLessThanOrEqual(start + zlibBound(b.raw.length, tables));
  return Buffer.from(dest.subarray(start, end));
}

describe('writeZlibScanlines', () => {
  it('inflates (with a valid Adler-32) to the scanlines for random band layouts', () => {
    const random = rng(42);
    for (let trial = 0; trial < 300; trial++) {
      const stride = 2 + Math.floor(random() * random() * 600);
      const b = randomBands(random, stride, 1 + Math.floor(random() * 40), 1 + Math.floor(random() * 300), trial % 5);
      expect(inflateSync(deflate(b)).equals(b.raw), `trial ${trial} fixed`).toBe(true);
      const tables = tablesForScanlines(b.lines, b.stride, b.pitch, b.counts, b.counts.length);
      expect(inflateSync(deflate(b, tables)).equals(b.raw), `trial ${trial} dynamic`).toBe(true);
    }
  });

  it('handles one-byte rows, single rows and strides beyond the window', () => {
    const random = rng(7);
    for (const [stride, nBands, maxRepeat] of [
      [2, 1, 1],
      [2, 1, 2],
      [2, 3, 2],
      [2, 5, 100_000],
      [3, 1, 2],
      [32_768, 3, 3],
      [32_769, 3, 3],
      [40_001, 2, 4],
    ] as const) {
      for (let trial = 0; trial < 4; trial++) {
        const b = randomBands(random, stride, nBands, maxRepeat, trial);
        expect(inflateSync(deflate(b)).equals(b.raw), `stride ${stride}`).toBe(true);
      }
    }
  });

  it('writes a valid zlib header', () => {
    const b = randomBands(rng(1), 10, 3, 3, 0);
    const z = deflate(b);
    expect(z[0]).toBe(0x78);
    expect((z[0]! * 256 + z[1]!) % 31).toBe(0);
  });

  it('dynamic tables give every symbol a code', () => {
    const tables = dynamicTables([5, 0, 0, 1000], [0, 7]);
    for (let v = 0; v < 256; v++) expect(tables.litBits[v]).toBeGreaterThan(0);
    for (let len = 3; len <= 258; len++) expect(tables.lenBits[len]).toBeGreaterThan(0);
    expect(tables.distBits.every((b) => b > 0)).toBe(true);
    expect(FIXED_TABLES.litBits[0]).toBe(8);
    expect(FIXED_TABLES.litBits[200]).toBe(9);
  });
});

describe('huffmanLengths', () => {
  it('builds complete codes within the length limit', () => {
    const random = rng(3);
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + Math.floor(random() * 300);
      const freqs = Array.from({ length: n }, () => (random() < 0.2 ? 0 : Math.floor(2 ** (random() * 24))));
      freqs[0] = 1;
      freqs[1] = 1;
      for (const maxBits of [7, 15]) {
        if (freqs.filter((f) => f > 0).length > 1 << maxBits) continue;
        const lengths = huffmanLengths(freqs, maxBits);
        let kraft = 0;
        lengths.forEach((l, s) => {
          expect(l > 0).toBe(freqs[s]! > 0);
          expect(l).toBeLessThanOrEqual(maxBits);
          if (l > 0) kraft += 2 ** -l;
        });
        expect(kraft).toBeCloseTo(1, 12);
      }
    }
  });

  it('assigns canonical codes (RFC 1951 example)', () => {
    // Lengths (3, 3, 3, 3, 3, 2, 4, 4) → codes 010, 011, 100, 101, 110, 00, 1110, 1111 (bit-reversed here).
    const codes = canonicalCodes(Uint8Array.of(3, 3, 3, 3, 3, 2, 4, 4));
    const reversed = (c: number, l: number): number => parseInt(c.toString(2).padStart(l, '0').split('').reverse().join(''), 2);
    expect([...codes]).toEqual([
      reversed(0b010, 3),
      reversed(0b011, 3),
      reversed(0b100, 3),
      reversed(0b101, 3),
      reversed(0b110, 3),
      reversed(0b00, 2),
      reversed(0b1110, 4),
      reversed(0b1111, 4),
    ]);
  });
});
