import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng1Bit } from './png-1bit.js';

function randomPixels(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % 3 === 0 ? 1 : 0;
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
    expect(r === g && g === b && (r === 0 || r === 255)).toBe(true);
    pixels[i] = r === 0 ? 1 : 0;
  }
  return { width: img.width, height: img.height, pixels };
}

describe('encodePng1Bit', () => {
  it('round-trips through pngjs for odd and even widths', () => {
    for (const [w, h] of [
      [1, 1],
      [7, 3],
      [8, 2],
      [9, 5],
      [13, 11],
      [17, 1],
      [101, 37],
      [256, 64],
    ] as const) {
      const pixels = randomPixels(w * h, w * 1000 + h);
      const decoded = decodeToBlack(encodePng1Bit(w, h, pixels, 600));
      expect(decoded.width).toBe(w);
      expect(decoded.height).toBe(h);
      expect(Buffer.from(decoded.pixels).equals(Buffer.from(pixels))).toBe(true);
    }
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
  });

  it('omits pHYs without dpi', () => {
    expect(encodePng1Bit(2, 2, new Uint8Array(4)).indexOf('pHYs', 0, 'latin1')).toBe(-1);
  });

  it('validates dimensions and pixel count', () => {
    expect(() => encodePng1Bit(0, 1, new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodePng1Bit(2, 2, new Uint8Array(3))).toThrow(RangeError);
    expect(() => encodePng1Bit(2, 2, new Uint8Array(4), -5)).toThrow(RangeError);
  });
});
