import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../seeded-random.js';
import { balancePenalty, matrixPenalty } from './mask-penalty.js';
import { maskPenalties } from './qr-encoder.js';
import { encodeQr, type EccLevel } from './qr-matrix.js';
import { byteModeCapacity } from './qr-spec.js';

const rng = mulberry32;

/** ISO/IEC 18004 §7.8.3 penalty, written plainly: module by module, outside the symbol light. */
function referencePenalty(m: Uint8Array, n: number): number {
  const at = (r: number, c: number): number => (r < 0 || r >= n || c < 0 || c >= n ? 0 : m[r * n + c]!);
  let penalty = 0;
  const lines: ((i: number) => number)[] = [];
  for (let a = 0; a < n; a++) {
    lines.push((i) => at(a, i)); // row a
    lines.push((i) => at(i, a)); // column a
  }
  // N1: runs of five or more modules of one colour.
  for (const line of lines) {
    let run = 1;
    for (let i = 1; i <= n; i++) {
      if (i < n && line(i) === line(i - 1)) run++;
      else {
        if (run >= 5) penalty += 3 + (run - 5);
        run = 1;
      }
    }
  }
  // N2: 2×2 blocks of one colour.
  for (let r = 0; r + 1 < n; r++) {
    for (let c = 0; c + 1 < n; c++) {
      const v = at(r, c);
      if (at(r, c + 1) === v && at(r + 1, c) === v && at(r + 1, c + 1) === v) penalty += 3;
    }
  }
  // N3: 1011101 with four light modules before, or after (each window counted).
  const patterns = [
    [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1],
    [1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0],
  ];
  for (const line of lines) {
    const get = (i: number): number => (i < 0 || i >= n ? 0 : line(i));
    for (let s = -11; s <= n; s++) {
      for (const pat of patterns) {
        if (pat.every((bit, j) => get(s + j) === bit)) penalty += 40;
      }
    }
  }
  // N4: smallest k with (45 − 5k)% ≤ dark share ≤ (55 + 5k)%.
  let dark = 0;
  for (let i = 0; i < n * n; i++) dark += m[i]!;
  const total = n * n;
  let k = 0;
  while (!((45 - 5 * k) * total <= 100 * dark && 100 * dark <= (55 + 5 * k) * total)) k++;
  return penalty + 10 * k;
}

const LEVELS: EccLevel[] = ['L', 'M', 'Q', 'H'];

describe('mask penalty', () => {
  it('N4 steps of 5% around 50%', () => {
    expect(balancePenalty(50, 101)).toBe(0);
    expect(balancePenalty(46, 101)).toBe(0); // 45.5%
    expect(balancePenalty(45, 101)).toBe(10); // 44.6%
    expect(balancePenalty(56, 101)).toBe(10); // 55.4%
    expect(balancePenalty(0, 441)).toBe(90);
    expect(balancePenalty(441, 441)).toBe(90);
  });

  it('bit-packed penalty equals the plain implementation on random matrices', () => {
    const rand = rng(7);
    for (let iter = 0; iter < 300; iter++) {
      const version = iter < 200 ? 1 + Math.floor(rand() * 10) : 1 + Math.floor(rand() * 40);
      const n = 17 + 4 * version;
      const m = new Uint8Array(n * n);
      // Mixtures of noise, long runs and stamped finder-like patterns.
      const density = rand();
      const style = iter % 3;
      for (let r = 0; r < n; r++) {
        let v = rand() < density ? 1 : 0;
        for (let c = 0; c < n; c++) {
          if (style === 0) v = rand() < density ? 1 : 0;
          else if (rand() < 0.25) v ^= 1;
          m[r * n + c] = v;
        }
      }
      if (style === 2) {
        for (let s = 0; s < 20; s++) {
          const r = Math.floor(rand() * n);
          const c = Math.floor(rand() * n);
          const pattern = [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0];
          const vertical = rand() < 0.5;
          pattern.forEach((bit, j) => {
            const rr = vertical ? r + j - 4 : r;
            const cc = vertical ? c : c + j - 4;
            if (rr >= 0 && rr < n && cc >= 0 && cc < n) m[rr * n + cc] = bit;
          });
        }
      }
      expect(matrixPenalty(m, n), `iteration ${iter}, size ${n}`).toBe(referencePenalty(m, n));
    }
  });

  it('finder-like patterns at the symbol edge count the outside as light', () => {
    const n = 21;
    const m = new Uint8Array(n * n);
    const row = [1, 0, 1, 1, 1, 0, 1];
    row.forEach((bit, j) => (m[10 * n + j] = bit)); // at the left edge of row 10
    row.forEach((bit, j) => (m[(j + 3) * n + n - 1] = bit)); // down the right edge column
    expect(matrixPenalty(m, n)).toBe(referencePenalty(m, n));
  });

  it('auto mask = the forced mask of minimum penalty (lowest number on ties)', () => {
    const rand = rng(11);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/.-';
    for (let iter = 0; iter < 200; iter++) {
      const version = iter < 150 ? 1 + Math.floor(rand() * 10) : 1 + Math.floor(rand() * 40);
      const ecc = LEVELS[iter % 4]!;
      const len = 1 + Math.floor(rand() * Math.min(120, byteModeCapacity(version, ecc)));
      let text = '';
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
      const penalties = Array.from({ length: 8 }, (_, mask) => {
        const forced = encodeQr(text, version, ecc, mask);
        expect(forced.mask).toBe(mask);
        return referencePenalty(forced.modules, forced.size);
      });
      // The encoder's own (bit-packed, never materialised) penalties are the same numbers.
      expect(maskPenalties(text, version, ecc)).toEqual(penalties);
      const best = penalties.indexOf(Math.min(...penalties));
      const auto = encodeQr(text, version, ecc);
      expect(auto.mask, `${text} v${version}-${ecc} penalties ${penalties.join(',')}`).toBe(best);
      expect(Buffer.from(auto.modules).equals(Buffer.from(encodeQr(text, version, ecc, best).modules))).toBe(true);
    }
  });
});
