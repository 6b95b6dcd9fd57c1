import { describe, expect, it } from 'vitest';
import { generatorLogs, gfMultiply, reedSolomonEncoder, reedSolomonRemainder } from './reed-solomon.js';

/** GF(256) product by shift-and-add, independent of the tables. */
function slowMultiply(a: number, b: number): number {
  let r = 0;
  for (let i = 7; i >= 0; i--) {
    r = (r << 1) ^ ((r >>> 7) * 0x11d);
    if ((b >>> i) & 1) r ^= a;
  }
  return r & 0xff;
}

/** Remainder of data(x)·x^n by Π (x − α^i), by schoolbook polynomial long division. */
function slowRemainder(data: number[], n: number): number[] {
  let gen = [1];
  let root = 1;
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(gen.length + 1).fill(0);
    gen.forEach((c, j) => {
      next[j] = next[j]! ^ c;
      next[j + 1] = next[j + 1]! ^ slowMultiply(c, root);
    });
    gen = next;
    root = slowMultiply(root, 2);
  }
  const rem = [...data, ...new Array<number>(n).fill(0)];
  for (let i = 0; i < data.length; i++) {
    const f = rem[i]!;
    if (f === 0) continue;
    for (let j = 0; j <= n; j++) rem[i + j] = rem[i + j]! ^ slowMultiply(gen[j]!, f);
  }
  return rem.slice(data.length);
}

describe('reed-solomon', () => {
  it('field multiplication', () => {
    for (let a = 0; a < 256; a += 7) for (let b = 0; b < 256; b += 3) expect(gfMultiply(a, b)).toBe(slowMultiply(a, b));
  });

  it('ISO/IEC 18004 Annex I: EC codewords of "01234567" at 1-M', () => {
    const data = Uint8Array.from(Buffer.from('10200c566180ec11ec11ec11ec11ec11', 'hex'));
    const ec = new Uint8Array(10);
    reedSolomonRemainder(data, 0, 16, reedSolomonEncoder(10), ec, 0);
    expect(Buffer.from(ec).toString('hex')).toBe('a524d4c1ed36c7872c55');
  });

  it('equals long division for every degree QR uses', () => {
    let seed = 1;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (const degree of [7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30]) {
      expect(generatorLogs(degree).length).toBe(degree);
      for (let trial = 0; trial < 5; trial++) {
        const len = 1 + (next() % 120);
        const data = Array.from({ length: len }, next);
        const buf = Uint8Array.from([9, 9, ...data]);
        const out = new Uint8Array(degree + 3).fill(0xaa);
        reedSolomonRemainder(buf, 2, len, reedSolomonEncoder(degree), out, 1);
        expect(Array.from(out.subarray(1, 1 + degree)), `degree ${degree}`).toEqual(slowRemainder(data, degree));
        expect(out[0]).toBe(0xaa);
        expect(out[1 + degree]).toBe(0xaa);
      }
    }
  });

  it('rejects degrees outside 1–32', () => {
    expect(() => reedSolomonEncoder(0)).toThrow(RangeError);
    expect(() => reedSolomonEncoder(33)).toThrow(RangeError);
  });
});
