import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { tablesForScanlines } from './deflate-rows.js';
import { xorshift32 } from '../seeded-random.js';
import { encodePng1Bit, encodePng1BitBands, encodePng1BitPacked, packRows, packScanlines } from './png-1bit.js';

/** xorshift32 bytes: 1 (black) with probability ≈ 1/3. */
function randomPixels(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  const next = xorshift32(seed);
  for (let i = 0; i < n; i++) out[i] = next() % 3 === 0 ? 1 : 0;
  return out;
}

/** Random rows, each repeated a random number of times, with some long black/white runs. */
function blockyPixels(width: number, height: number, seed: number): Uint8Array {
  const noise = randomPixels(width * height, seed);
  const out = new Uint8Array(width * height);
  let y = 0;
  let r = 0;
  while (y < height) {
    const repeat = 1 + (noise[r % noise.length]! + noise[(r * 7 + 3) % noise.length]! * 5 + (r % 4)) * 3;
    const kind = r % 4;
    for (let x = 0; x < width; x++) {
      out[y * width + x] = kind === 0 ? 0 : kind === 1 ? 1 : kind === 2 ? (Math.floor(x / 13) % 2) : noise[r * width + x]!;
    }
    for (let k = 1; k < repeat && y + k < height; k++) out.copyWithin((y + k) * width, y * width, (y + 1) * width);
    y += repeat;
    r++;
  }
  return out;
}

function decodeToBlack(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const img = PNG.sync.read(png);
  const pixels = new Uint8Array(img.width * img.height);
  for (let i = 0; i < pixels.length; i++) {
    const r = img.data[4 * i]!;
    const g = img.data[4 * i + 1]!;
    const b = img.data[4 * i + 2]!;
    if (!(r === g && g === b && (r === 0 || r === 255))) throw new Error(`pixel ${i} is not black or white`);
    pixels[i] = r === 0 ? 1 : 0;
  }
  return { width: img.width, height: img.height, pixels };
}

interface Chunk {
  type: string;
  data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    out.push({ type, data });
    at += 12 + length;
  }
  return out;
}

/** Checks the whole file: decodes to `pixels` with pngjs, and the IDAT inflates (Adler-32 checked) to the raw scanlines. */
function expectRoundTrip(png: Buffer, width: number, height: number, pixels: Uint8Array, label: string): void {
  const decoded = decodeToBlack(png);
  expect([decoded.width, decoded.height], label).toEqual([width, height]);
  expect(Buffer.from(decoded.pixels).equals(Buffer.from(pixels)), label).toBe(true);
  const list = chunks(png);
  expect(list.map((c) => c.type).filter((t) => t !== 'pHYs'), label).toEqual(['IHDR', 'IDAT', 'IEND']);
  const idat = list.find((c) => c.type === 'IDAT')!.data;
  expect((idat[0]! * 256 + idat[1]!) % 31, 'zlib FCHECK').toBe(0);
  expect(inflateSync(idat).equals(packScanlines(width, height, pixels)), label).toBe(true);
}

describe('encodePng1Bit', () => {
  it('round-trips random bitmaps of odd and even widths through pngjs and zlib', () => {
    for (const [w, h] of [
      [1, 1],
      [1, 9],
      [7, 3],
      [8, 2],
      [9, 5],
      [13, 11],
      [17, 1],
      [101, 37],
      [256, 64],
      [333, 41],
    ] as const) {
      const pixels = randomPixels(w * h, w * 1000 + h);
      expectRoundTrip(encodePng1Bit(w, h, pixels, 600), w, h, pixels, `random ${w}×${h}`);
    }
  });

  it('round-trips all-white, all-black and repeated-row images', () => {
    for (const [w, h] of [
      [1, 1],
      [1, 2],
      [3, 2],
      [7, 5],
      [8, 8],
      [9, 300],
      [333, 222],
      [2100, 3],
    ] as const) {
      const white = new Uint8Array(w * h);
      const black = new Uint8Array(w * h).fill(1);
      expectRoundTrip(encodePng1Bit(w, h, white), w, h, white, `white ${w}×${h}`);
      expectRoundTrip(encodePng1Bit(w, h, black), w, h, black, `black ${w}×${h}`);
      const blocky = blockyPixels(w, h, w + h);
      expectRoundTrip(encodePng1Bit(w, h, blocky, 300), w, h, blocky, `blocky ${w}×${h}`);
    }
  });

  it('handles rows longer than a match (> 258 bytes) and beyond the 32 KiB window', () => {
    for (const [w, seed] of [
      [2100, 0],
      [2100, 1],
      [2064, 0],
      [262_151, 0],
      [262_151, 1],
    ] as const) {
      const h = 5;
      const pixels = seed === 0 ? blockyPixels(w, h, w) : randomPixels(w * h, w);
      // Rows 1 and 2 equal, row 4 equal to row 3: repeated scanlines of stride > 32 768 bytes
      // cannot be back-references and must be encoded again.
      pixels.copyWithin(2 * w, w, 2 * w);
      pixels.copyWithin(4 * w, 3 * w, 4 * w);
      expectRoundTrip(encodePng1Bit(w, h, pixels, 600), w, h, pixels, `wide ${w}`);
    }
  });

  it('computes Adler-32 over long runs of repeated rows (k(k−1)/2 far above 65521)', () => {
    for (const [w, h] of [
      [1, 70_000],
      [16, 40_000],
      [333, 3000],
    ] as const) {
      const pixels = new Uint8Array(w * h);
      for (let y = 0; y < h; y += 997) pixels[y * w + (y % w)] = 1;
      const png = encodePng1Bit(w, h, pixels);
      const idat = chunks(png).find((c) => c.type === 'IDAT')!.data;
      expect(inflateSync(idat).equals(packScanlines(w, h, pixels)), `${w}×${h}`).toBe(true);
    }
  });

  it('compresses code-like images about as well as zlib level 6 (fixed codes)', () => {
    const w = 330;
    const h = 222;
    const pixels = blockyPixels(w, h, 5);
    const ours = chunks(encodePng1Bit(w, h, pixels)).find((c) => c.type === 'IDAT')!.data.length;
    const zlib = deflateSync(packScanlines(w, h, pixels)).length;
    expect(ours).toBeLessThan(zlib * 2);
  });

  it('writes 1-bit greyscale IHDR and pHYs in dots per metre', () => {
    const png = encodePng1Bit(3, 2, new Uint8Array(6), 600);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(png[24]).toBe(1); // bit depth
    expect(png[25]).toBe(0); // colour type
    const physAt = png.indexOf('pHYs', 0, 'latin1');
    expect(physAt).toBeGreaterThan(0);
    expect(png.readUInt32BE(physAt + 4)).toBe(23622); // 600 / 0.0254
    expect(png.readUInt32BE(physAt + 8)).toBe(23622);
    expect(png[physAt + 12]).toBe(1);
    expect(png.toString('latin1', png.length - 8, png.length - 4)).toBe('IEND');
    const img = PNG.sync.read(png);
    expect(img.width).toBe(3);
    expect(chunks(encodePng1Bit(3, 2, new Uint8Array(6), 812)).find((c) => c.type === 'pHYs')!.data.readUInt32BE(0)).toBe(
      Math.round(812 / 0.0254),
    );
  });

  it('omits pHYs without dpi', () => {
    expect(encodePng1Bit(2, 2, new Uint8Array(4)).indexOf('pHYs', 0, 'latin1')).toBe(-1);
  });

  it('returns independent buffers', () => {
    const a = encodePng1Bit(9, 9, randomPixels(81, 1));
    const copy = Buffer.from(a);
    encodePng1Bit(9, 9, randomPixels(81, 2));
    expect(a.equals(copy)).toBe(true);
  });

  it('validates dimensions and pixel count', () => {
    expect(() => encodePng1Bit(0, 1, new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodePng1Bit(2, 2, new Uint8Array(3))).toThrow(RangeError);
    expect(() => encodePng1Bit(2, 2, new Uint8Array(4), -5)).toThrow(RangeError);
  });
});

describe('encodePng1BitPacked and encodePng1BitBands', () => {
  it('packed rows give the same file as byte-per-pixel input', () => {
    for (const [w, h] of [
      [1, 3],
      [9, 5],
      [333, 41],
    ] as const) {
      const pixels = blockyPixels(w, h, 3);
      expect(encodePng1BitPacked(w, h, packRows(w, h, pixels), 600).equals(encodePng1Bit(w, h, pixels, 600))).toBe(true);
    }
    expect(() => encodePng1BitPacked(9, 2, new Uint8Array(3))).toThrow(RangeError);
  });

  it('encodes bands with a pitch and dynamic Huffman codes fitted to another image', () => {
    for (const [w, h] of [
      [7, 4],
      [330, 222],
      [1000, 50],
    ] as const) {
      const stride = ((w + 7) >> 3) + 1;
      const pitch = stride + 5;
      const toBands = (pixels: Uint8Array): { lines: Uint8Array; counts: number[]; nBands: number } => {
        const rows = packRows(w, h, pixels);
        const lines = new Uint8Array(pitch * h);
        const counts: number[] = [];
        for (let y = 0; y < h; y++) {
          const row = rows.subarray(y * (stride - 1), (y + 1) * (stride - 1));
          const last = counts.length - 1;
          if (last >= 0 && Buffer.from(row).equals(lines.subarray(last * pitch + 1, last * pitch + stride))) counts[last]!++;
          else {
            lines.set(row, counts.length * pitch + 1);
            counts.push(1);
          }
        }
        return { lines, counts, nBands: counts.length };
      };
      const sample = toBands(blockyPixels(w, h, 11));
      const tables = tablesForScanlines(sample.lines, stride, pitch, sample.counts, sample.nBands);
      for (const pixels of [blockyPixels(w, h, 12), randomPixels(w * h, 13), new Uint8Array(w * h).fill(1)]) {
        const png = encodePng1BitBands(w, h, { ...toBands(pixels), pitch, tables }, 600);
        expectRoundTrip(png, w, h, pixels, `dynamic ${w}×${h}`);
      }
    }
  });

  it('validates bands', () => {
    const lines = new Uint8Array(4);
    expect(() => encodePng1BitBands(9, 2, { lines, counts: [1], nBands: 1 })).toThrow(/rows/);
    expect(() => encodePng1BitBands(9, 2, { lines, counts: [2], nBands: 1, pitch: 2 })).toThrow(/pitch/);
    expect(() => encodePng1BitBands(9, 2, { lines: Uint8Array.of(1, 0, 0), counts: [2], nBands: 1 })).toThrow(/filter/);
    expect(() => encodePng1BitBands(9, 2, { lines: new Uint8Array(8), counts: [2, 0], nBands: 2 })).toThrow(/at least once/);
  });
});
