import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../seeded-random.js';
import {
  charCountBits,
  optimalBitLength,
  segmentBits,
  segmentOptimally,
  segmentText,
  writeDataCodewords,
  type SegmentMode,
} from './segments.js';

const rng = mulberry32;

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const MODES: SegmentMode[] = ['numeric', 'alphanumeric', 'byte'];

function allowed(ch: string, mode: SegmentMode): boolean {
  if (mode === 'numeric') return ch >= '0' && ch <= '9';
  if (mode === 'alphanumeric') return ALNUM.includes(ch);
  return true;
}

/**
 * Exhaustive minimum: every assignment of a mode to each character, runs of
 * one mode merged into a segment (splitting a run never helps).
 */
function bruteForceBits(text: string, version: number): number {
  const chars = Array.from(text);
  const utf8 = chars.map((ch) => new TextEncoder().encode(ch).length);
  let best = Infinity;
  const modes: SegmentMode[] = [];
  const walk = (i: number): void => {
    if (i === chars.length) {
      let bits = 0;
      for (let s = 0; s < chars.length; ) {
        let e = s;
        while (e < chars.length && modes[e] === modes[s]) e++;
        let count = e - s;
        if (modes[s] === 'byte') count = utf8.slice(s, e).reduce((a, b) => a + b, 0);
        bits += segmentBits(modes[s]!, count, version);
        s = e;
      }
      best = Math.min(best, bits);
      return;
    }
    for (const mode of MODES) {
      if (!allowed(chars[i]!, mode)) continue;
      modes[i] = mode;
      walk(i + 1);
    }
  };
  walk(0);
  return chars.length === 0 ? 0 : best;
}

describe('segments', () => {
  it('character-count field widths', () => {
    expect([1, 9, 10, 26, 27, 40].map((v) => charCountBits('numeric', v))).toEqual([10, 10, 12, 12, 14, 14]);
    expect([1, 9, 10, 26, 27, 40].map((v) => charCountBits('alphanumeric', v))).toEqual([9, 9, 11, 11, 13, 13]);
    expect([1, 9, 10, 26, 27, 40].map((v) => charCountBits('byte', v))).toEqual([8, 8, 16, 16, 16, 16]);
    expect(segmentBits('numeric', 8, 1)).toBe(4 + 10 + 27);
    expect(segmentBits('alphanumeric', 5, 1)).toBe(4 + 9 + 28);
    expect(segmentBits('byte', 3, 10)).toBe(4 + 16 + 24);
  });

  it('an uppercase URL is one alphanumeric segment', () => {
    expect(segmentText('HTTPS://QR2.CH/Q/ABC123', 2)).toEqual([
      { mode: 'alphanumeric', data: 'HTTPS://QR2.CH/Q/ABC123', count: 23 },
    ]);
    expect(segmentText('0123456789', 1)).toEqual([{ mode: 'numeric', data: '0123456789', count: 10 }]);
    expect(segmentText('', 1)).toEqual([]);
    expect(optimalBitLength('', 1)).toBe(0);
  });

  it('a lowercase URL with a long digit run splits off a numeric segment', () => {
    const text = 'https://qr2.ch/q/12345678901234567890abc';
    const segs = segmentText(text, 3);
    expect(segs.map((s) => s.mode)).toEqual(['byte', 'numeric', 'byte']);
    expect(segs.map((s) => s.data).join('')).toBe(text);
    expect(segs[1]!.data).toBe('12345678901234567890');
    // A short digit run stays in the byte segment.
    expect(segmentText('https://qr2.ch/q/123abc', 3).map((s) => s.mode)).toEqual(['byte']);
  });

  it('counts UTF-8 bytes in byte mode (lone surrogates as U+FFFD)', () => {
    expect(segmentText('é漢😀', 1)).toEqual([{ mode: 'byte', data: 'é漢😀', count: 2 + 3 + 4 }]);
    expect(segmentText('a\ud800b', 1)).toEqual([{ mode: 'byte', data: 'a\ud800b', count: 5 }]);
    const out = new Uint8Array(12);
    writeDataCodewords(segmentOptimally('a\ud800é', 1), 'a\ud800é', 1, out, 12);
    // 0100 00000110 then 'a', EF BF BD, C3 A9 shifted by 4 bits.
    const bytes = [0x61, 0xef, 0xbf, 0xbd, 0xc3, 0xa9];
    const expected = [0x40 | 0, 0x60 | (bytes[0]! >> 4)];
    for (let i = 0; i + 1 < bytes.length; i++) expected.push(((bytes[i]! & 15) << 4) | (bytes[i + 1]! >> 4));
    expected.push((bytes[5]! & 15) << 4);
    expect(Array.from(out.subarray(0, expected.length))).toEqual(expected);
  });

  it('matches an exhaustive search on short random strings', () => {
    const rand = rng(42);
    const pools = ['0123456789', 'ABC0123 /:', 'abc01AB2é', '0123456789AB.', 'x9Y8%'];
    for (let iter = 0; iter < 400; iter++) {
      const pool = pools[iter % pools.length]!;
      const len = 1 + Math.floor(rand() * 8);
      let text = '';
      for (let i = 0; i < len; i++) text += pool[Math.floor(rand() * pool.length)];
      for (const version of [1, 10, 27]) {
        const segs = segmentText(text, version);
        expect(segs.map((s) => s.data).join('')).toBe(text);
        const bits = segs.reduce((sum, s) => sum + segmentBits(s.mode, s.count, version), 0);
        expect(bits, `${text} v${version}`).toBe(optimalBitLength(text, version));
        expect(bits, `${text} v${version}`).toBe(bruteForceBits(text, version));
      }
    }
  });

  it('writes ISO/IEC 18004 Annex I "01234567" at 1-M', () => {
    const out = new Uint8Array(16);
    writeDataCodewords(segmentOptimally('01234567', 1), '01234567', 1, out, 16);
    expect(Buffer.from(out).toString('hex')).toBe('10200c566180ec11ec11ec11ec11ec11');
  });

  it('terminator is shortened when the data nearly fills the symbol', () => {
    // 1-M holds 128 bits; 17 alphanumeric characters need 4 + 9 + 94 = 107, 19 need 118.
    for (const text of ['ABCDEFGHIJKLMNOPQ', 'ABCDEFGHIJKLMNOPQRS', 'ABCDEFGHIJKLMNOPQRST']) {
      const seg = segmentOptimally(text, 1);
      const out = new Uint8Array(16).fill(0xff);
      writeDataCodewords(seg, text, 1, out, 16);
      const bits = seg.bits;
      // The bits after the data are zero up to the byte boundary, then pads 0xEC, 0x11, …
      const firstPad = Math.ceil(Math.min(bits + 4, 128) / 8);
      for (let b = bits; b < firstPad * 8; b++) expect((out[b >> 3]! >> (7 - (b & 7))) & 1).toBe(0);
      for (let i = firstPad; i < 16; i++) expect(out[i]).toBe((i - firstPad) % 2 === 0 ? 0xec : 0x11);
    }
  });
});
