import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derivePattern, PatternGenerator } from './pattern.js';

const KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
const OTHER_KEY = new Uint8Array(32).map((_, i) => (i * 53 + 7) & 0xff);

function countOnes(p: Uint8Array): number {
  let c = 0;
  for (const v of p) c += v;
  return c;
}

describe('derivePattern', () => {
  it('is deterministic for the same key and identity', () => {
    const a = derivePattern(KEY, 'Ab3dE5gH9kLm', 64, 0.5);
    const b = derivePattern(KEY, 'Ab3dE5gH9kLm', 64, 0.5);
    expect(a).toEqual(b);
    expect(a.length).toBe(64 * 64);
    expect(a.every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('differs for another identity or another key', () => {
    const base = derivePattern(KEY, 'code-1', 32, 0.5);
    expect(derivePattern(KEY, 'code-2', 32, 0.5)).not.toEqual(base);
    expect(derivePattern(OTHER_KEY, 'code-1', 32, 0.5)).not.toEqual(base);
  });

  it('has exactly round(density · n) black cells', () => {
    for (const [cells, density] of [
      [4, 0.5],
      [5, 0.3],
      [17, 0.37],
      [100, 0.45],
      [33, 0.01],
      [33, 0.99],
      [512, 0.5],
    ] as const) {
      const p = derivePattern(KEY, `id-${cells}-${density}`, cells, density);
      expect(countOnes(p)).toBe(Math.round(density * cells * cells));
    }
  });

  it('patterns of different codes agree on about half their cells', () => {
    const cells = 48;
    const patterns: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) patterns.push(derivePattern(KEY, `code-${i}`, cells, 0.5));
    let agree = 0;
    let total = 0;
    for (let i = 0; i < patterns.length; i++) {
      for (let j = i + 1; j < patterns.length; j++) {
        const a = patterns[i] as Uint8Array;
        const b = patterns[j] as Uint8Array;
        for (let k = 0; k < a.length; k++) if (a[k] === b[k]) agree++;
        total += a.length;
      }
    }
    const ratio = agree / total;
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.55);
  });

  it('black cells are spread evenly over the pattern', () => {
    // Each cell is black in about density of the codes.
    const cells = 16;
    const hits = new Uint32Array(cells * cells);
    const codes = 2000;
    for (let i = 0; i < codes; i++) {
      const p = derivePattern(KEY, `spread-${i}`, cells, 0.3);
      for (let k = 0; k < p.length; k++) hits[k]! += p[k]!;
    }
    for (const h of hits) {
      expect(h / codes).toBeGreaterThan(0.24);
      expect(h / codes).toBeLessThan(0.36);
    }
  });

  it('treats the identity as UTF-8 text', () => {
    expect(derivePattern(KEY, 'é', 8, 0.5)).not.toEqual(derivePattern(KEY, 'e\u0301', 8, 0.5));
  });

  it('validates its inputs', () => {
    expect(() => derivePattern(KEY, 'x', 3, 0.5)).toThrow(RangeError);
    expect(() => derivePattern(KEY, 'x', 513, 0.5)).toThrow(RangeError);
    expect(() => derivePattern(KEY, 'x', 10.5, 0.5)).toThrow(RangeError);
    expect(() => derivePattern(KEY, 'x', 10, 0)).toThrow(RangeError);
    expect(() => derivePattern(KEY, 'x', 10, 1)).toThrow(RangeError);
    expect(() => derivePattern(KEY, 'x', 10, Number.NaN)).toThrow(RangeError);
    expect(() => derivePattern(new Uint8Array(4), 'x', 10, 0.5)).toThrow(RangeError);
  });
});

describe('derivePattern specification', () => {
  it('follows HMAC-SHA256 key → AES-256-CTR keystream on a hashed nonce → partial Fisher–Yates', () => {
    // Independent restatement of the derivation with Node's own CTR mode, for verifiers written elsewhere.
    for (const [identity, cells, density] of [['Ab3dE5gH9kLm', 6, 0.4], ['Zz9', 9, 0.7], ['x', 40, 0.5], ['big', 300, 0.5]] as const) {
      const n = cells * cells;
      const black = Math.round(density * n);
      const pickBlack = black <= n - black;
      const picks = pickBlack ? black : n - black;
      const aesKey = createHmac('sha256', KEY).update('sigil/secure-graphic/v2/aes-256').digest();
      const nonce = createHash('sha256').update(Buffer.concat([Buffer.from('sigil/secure-graphic/v2\0'), Buffer.from(identity)])).digest();
      const iv = Buffer.concat([nonce.subarray(0, 12), Buffer.alloc(4)]);
      const stream = createCipheriv('aes-256-ctr', aesKey, iv).update(Buffer.alloc(4 * 200_000));
      let word = 0;
      const perm = Array.from({ length: n }, (_, i) => i);
      const expected = new Uint8Array(n).fill(pickBlack ? 0 : 1);
      for (let i = 0; i < picks; i++) {
        const bound = n - i;
        const bits = bound === 1 ? 0 : Math.ceil(Math.log2(bound));
        let x: number;
        do x = (n > 65536 ? stream.readUInt32BE(4 * word++) : stream.readUInt16BE(2 * word++)) % 2 ** bits;
        while (x >= bound);
        const j = i + x;
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
        expected[perm[i]!] = pickBlack ? 1 : 0;
      }
      expect(derivePattern(KEY, identity, cells, density)).toEqual(expected);
    }
  });

  it('gives the same pattern from a reused generator as from a fresh one', () => {
    const generator = new PatternGenerator(KEY);
    const sizes = [[512, 0.5], [8, 0.2], [100, 0.9], [32, 0.5]] as const;
    for (const [cells, density] of sizes) {
      expect(generator.derive(`id-${cells}`, cells, density)).toEqual(derivePattern(KEY, `id-${cells}`, cells, density));
    }
  });

  it('is stable across releases (known answer)', () => {
    const p = derivePattern(KEY, 'Ab3dE5gH9kLm', 100, 0.45);
    expect(createHash('sha256').update(p).digest('hex')).toBe('550c9245860e0bbaafc0fcf0fc6f37e3bca0140233dabf8ddcd34ef3780efb0b');
  });
});
