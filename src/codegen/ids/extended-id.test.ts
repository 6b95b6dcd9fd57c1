import { randomBytes as cryptoRandomBytes, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  extendedIdCharset,
  extendedIdLength,
  generateExtendedId,
  isValidLegacyId,
  legacyCheckCharacter,
  type RandomBytes,
} from './extended-id.js';

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Deterministic byte stream (SHA-256 in counter mode) for reproducible tests. */
function seededRandomBytes(seed: string): RandomBytes {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      const take = Math.min(block.length, n - filled);
      out.set(block.subarray(0, take), filled);
      filled += take;
    }
    return out;
  };
}

describe('generateExtendedId', () => {
  it('compact-12: 12 characters of [0-9A-Za-z]', () => {
    const rb = seededRandomBytes('compact');
    for (let i = 0; i < 2000; i++) {
      expect(generateExtendedId('compact-12', rb)).toMatch(/^[0-9A-Za-z]{12}$/);
    }
    expect(extendedIdLength('compact-12')).toBe(12);
  });

  it('legacy: 20 characters of [0-9A-Z] + a valid check character', () => {
    const rb = seededRandomBytes('legacy');
    for (let i = 0; i < 2000; i++) {
      const id = generateExtendedId('legacy', rb);
      expect(id).toMatch(/^[0-9A-Z]{21}$/);
      expect(isValidLegacyId(id)).toBe(true);
      expect(id.slice(20)).toBe(legacyCheckCharacter(id.slice(0, 20)));
    }
    expect(extendedIdLength('legacy')).toBe(21);
  });

  it('uses every alphabet character about uniformly', () => {
    const rb = seededRandomBytes('uniform');
    const counts = new Map<string, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      for (const ch of generateExtendedId('compact-12', rb)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (n * 12) / 62;
    for (const c of counts.values()) expect(Math.abs(c - expected) / expected).toBeLessThan(0.1);
  });

  it('refills when rejection sampling runs out of bytes', () => {
    // First call returns only rejected bytes; later calls return usable ones.
    let calls = 0;
    const rb: RandomBytes = (n) => {
      calls++;
      return calls === 1 ? new Uint8Array(n).fill(255) : new Uint8Array(n).fill(1);
    };
    expect(generateExtendedId('compact-12', rb)).toBe('111111111111');
    expect(calls).toBe(2);
    const tiny: RandomBytes = () => new Uint8Array([0, 253, 35]);
    expect(generateExtendedId('legacy', tiny).slice(0, 20)).toBe('0Z'.repeat(10));
  });

  it('draws bytes in one call per ID in the common case', () => {
    let calls = 0;
    const rb: RandomBytes = (n) => {
      calls++;
      return cryptoRandomBytes(n);
    };
    for (let i = 0; i < 1000; i++) generateExtendedId('compact-12', rb);
    expect(calls).toBeLessThan(1010);
  });

  it('100 000 generated IDs are unique (both styles)', () => {
    const rb: RandomBytes = (n) => cryptoRandomBytes(n);
    for (const style of ['compact-12', 'legacy'] as const) {
      const seen = new Set<string>();
      for (let i = 0; i < 100_000; i++) seen.add(generateExtendedId(style, rb));
      expect(seen.size).toBe(100_000);
    }
  });
});

describe('legacy check character (ISO/IEC 7064 MOD 37,36)', () => {
  it('matches published test vectors', () => {
    expect(legacyCheckCharacter('A12425GABC1234002')).toBe('M');
    expect(legacyCheckCharacter('RABD')).toBe('A');
    expect(legacyCheckCharacter('X0H')).toBe('X');
    expect(legacyCheckCharacter('TBR')).toBe('1');
  });

  it('rejects characters outside [0-9A-Z]', () => {
    expect(() => legacyCheckCharacter('abc')).toThrow(RangeError);
    expect(isValidLegacyId('a'.repeat(21))).toBe(false);
    expect(isValidLegacyId('0'.repeat(20))).toBe(false);
    expect(isValidLegacyId('')).toBe(false);
  });

  it('catches every single-character substitution on a sample', () => {
    const rb = seededRandomBytes('substitution');
    for (let n = 0; n < 60; n++) {
      const id = generateExtendedId('legacy', rb);
      for (let i = 0; i < id.length; i++) {
        for (const ch of BASE36) {
          if (ch === id[i]) continue;
          const changed = id.slice(0, i) + ch + id.slice(i + 1);
          expect(isValidLegacyId(changed)).toBe(false);
        }
      }
    }
  });

  it('catches adjacent transpositions except the few the hybrid system cannot', () => {
    // ISO/IEC 7064 hybrid systems detect "all or nearly all" transpositions: for
    // MOD 37,36 exactly 72 of the 45 360 (state, a, b) combinations escape, namely
    // those where (state + a) mod 36 and (state + b) mod 36 are 18 and 19.
    const rb = seededRandomBytes('transposition');
    let tried = 0;
    let missed = 0;
    for (let n = 0; n < 2000; n++) {
      const id = generateExtendedId('legacy', rb);
      for (let i = 0; i + 1 < id.length; i++) {
        if (id[i] === id[i + 1]) continue;
        const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
        tried++;
        if (isValidLegacyId(swapped)) missed++;
      }
    }
    expect(tried).toBeGreaterThan(30_000);
    expect(missed / tried).toBeLessThan(0.005);
  });

  it('misses a transposition only for the known structural cause', () => {
    const rb = seededRandomBytes('transposition-cause');
    const value = (c: string) => BASE36.indexOf(c);
    for (let n = 0; n < 500; n++) {
      const id = generateExtendedId('legacy', rb);
      let p = 36;
      for (let i = 0; i + 1 < id.length; i++) {
        const a = value(id[i] as string);
        const b = value(id[i + 1] as string);
        const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
        if (a !== b && isValidLegacyId(swapped)) {
          const pair = [(p + a) % 36, (p + b) % 36].sort((x, y) => x - y);
          expect(pair).toEqual([18, 19]);
        }
        let s = (p + a) % 36;
        if (s === 0) s = 36;
        p = (s * 2) % 37;
      }
    }
  });
});

describe('extendedIdCharset', () => {
  it('legacy IDs are QR alphanumeric, compact-12 IDs are not', () => {
    const qrAlphanumeric = /^[0-9A-Z $%*+\-./:]+$/;
    const random = (n: number) => new Uint8Array(n).map(() => Math.floor(Math.random() * 256));
    for (let i = 0; i < 200; i++) expect(generateExtendedId('legacy', random)).toMatch(qrAlphanumeric);
    expect(extendedIdCharset('legacy')).toBe('alphanumeric');
    expect(extendedIdCharset('compact-12')).toBe('byte');
  });
});
