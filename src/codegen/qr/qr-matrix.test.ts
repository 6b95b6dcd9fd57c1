import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { chooseOrderQrVersion, chooseQrVersion, dataCapacityBits, encodeQr, type SegmentMode } from './qr-matrix.js';
import {
  alignmentPatternCoordinates,
  byteModeCapacity,
  functionModuleMask,
  symbolSize,
  type EccLevel,
} from './qr-spec.js';

// The qrcode package's internals serve as the oracle for our own tables.
const require = createRequire(import.meta.url);
const oracleVersion = require('qrcode/lib/core/version.js') as {
  getCapacity(version: number, ecl: unknown, mode: unknown): number;
};
const oracleLevels = require('qrcode/lib/core/error-correction-level.js') as Record<EccLevel, unknown>;
const oracleMode = require('qrcode/lib/core/mode.js') as { BYTE: unknown };
const oracleAlignment = require('qrcode/lib/core/alignment-pattern.js') as {
  getRowColCoords(version: number): number[];
};

const LEVELS: EccLevel[] = ['L', 'M', 'Q', 'H'];
const VERSIONS = Array.from({ length: 40 }, (_, i) => i + 1);

describe('qr-spec tables', () => {
  it('byte-mode capacity matches the qrcode package for every version and level', () => {
    for (const v of VERSIONS) {
      for (const ecc of LEVELS) {
        expect(byteModeCapacity(v, ecc), `v${v}-${ecc}`).toBe(
          oracleVersion.getCapacity(v, oracleLevels[ecc], oracleMode.BYTE),
        );
      }
    }
    expect(byteModeCapacity(1, 'M')).toBe(14);
    expect(byteModeCapacity(40, 'L')).toBe(2953);
  });

  it('alignment pattern coordinates match the qrcode package', () => {
    for (const v of VERSIONS) expect(alignmentPatternCoordinates(v)).toEqual(oracleAlignment.getRowColCoords(v));
  });

  it('function module mask equals the reserved modules of real symbols', () => {
    for (const v of VERSIONS) {
      const qr = QRCode.create('x', { version: v, errorCorrectionLevel: 'L' });
      const mask = functionModuleMask(v);
      expect(mask.length).toBe(symbolSize(v) ** 2);
      expect(Array.from(mask), `version ${v}`).toEqual(Array.from(qr.modules.reservedBit));
    }
  });
});

describe('chooseQrVersion', () => {
  it('picks the smallest version that holds the text in byte mode', () => {
    expect(chooseQrVersion(14, 'M')).toBe(1);
    expect(chooseQrVersion(15, 'M')).toBe(2);
    expect(chooseQrVersion(45, 'H')).toBe(6);
    expect(chooseQrVersion(0, 'L')).toBe(1);
    for (const ecc of LEVELS) {
      for (let len = 1; len <= 400; len += 7) {
        const v = chooseQrVersion(len, ecc);
        expect(byteModeCapacity(v, ecc)).toBeGreaterThanOrEqual(len);
        if (v > 1) expect(byteModeCapacity(v - 1, ecc)).toBeLessThan(len);
      }
    }
  });

  it('throws RangeError when nothing fits or input is bad', () => {
    expect(() => chooseQrVersion(1274, 'H')).toThrow(RangeError);
    expect(chooseQrVersion(1273, 'H')).toBe(40);
    expect(() => chooseQrVersion(-1, 'M')).toThrow(RangeError);
    expect(() => chooseQrVersion(1.5, 'M')).toThrow(RangeError);
    expect(() => chooseQrVersion(10, 'X' as EccLevel)).toThrow(RangeError);
  });
});

describe('encodeQr', () => {
  it('returns a size·size 0/1 matrix of the requested version', () => {
    const url = 'http://127.0.0.1:8000/q/Ab3dE5gH9kLm';
    const m = encodeQr(url, 4, 'H');
    expect(m.size).toBe(33);
    expect(m.modules.length).toBe(33 * 33);
    expect(m.modules.every((x) => x === 0 || x === 1)).toBe(true);
    // Top-left finder pattern: dark 7x7 ring.
    expect(m.modules[0]).toBe(1);
    expect(m.modules[6]).toBe(1);
    expect(m.modules[1 * 33 + 1]).toBe(0);
    expect(m.modules[3 * 33 + 3]).toBe(1);
  });

  it('fills every symbol of an order to the same size, even for short texts', () => {
    expect(encodeQr('a', 10, 'M').size).toBe(57);
  });

  it('throws RangeError when the text does not fit the version', () => {
    expect(() => encodeQr('x'.repeat(100), 1, 'H')).toThrow(RangeError);
    expect(() => encodeQr('x'.repeat(100), 1, 'H')).toThrow(/needs 812 data bits, but QR version 1-H holds only 72/);
    // 1-H holds 72 bits: 17 digits need 4 + 10 + 5·10 + 7 = 71, 18 need 74.
    expect(encodeQr('1'.repeat(17), 1, 'H').size).toBe(21);
    expect(() => encodeQr('1'.repeat(18), 1, 'H')).toThrow(RangeError);
  });

  it('throws RangeError on a bad version, ECC level or mask', () => {
    for (const version of [0, 41, 1.5, NaN]) expect(() => encodeQr('x', version, 'H')).toThrow(RangeError);
    expect(() => encodeQr('x', 1, 'X' as EccLevel)).toThrow(RangeError);
    for (const mask of [8, -1, 1.5]) expect(() => encodeQr('x', 1, 'L', mask)).toThrow(RangeError);
    expect(encodeQr('x', 1, 'L', 7).mask).toBe(7);
  });

  it('returns new bytes on every call', () => {
    const a = encodeQr('HELLO', 2, 'M');
    const copy = a.modules.slice();
    const b = encodeQr('WORLD', 2, 'M');
    expect(Array.from(a.modules)).toEqual(Array.from(copy));
    a.modules.fill(0);
    expect(Array.from(encodeQr('WORLD', 2, 'M').modules)).toEqual(Array.from(b.modules));
  });

  it('data capacity in bits', () => {
    expect(dataCapacityBits(1, 'M')).toBe(128);
    expect(dataCapacityBits(1, 'H')).toBe(72);
    expect(dataCapacityBits(40, 'L')).toBe(2956 * 8);
  });
});

describe('chooseOrderQrVersion', () => {
  const rand = (() => {
    let seed = 99;
    return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  })();
  const CHARSETS: Record<SegmentMode, string> = {
    numeric: '0123456789',
    alphanumeric: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:',
    byte: Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join(''),
  };
  const randomSuffix = (charset: SegmentMode, length: number): string => {
    const set = CHARSETS[charset];
    let s = '';
    for (let i = 0; i < length; i++) s += set[Math.floor(rand() * set.length)];
    return s;
  };

  it('an uppercase alphanumeric URL needs a smaller version than the lowercase one', () => {
    const upper = { M: 2, H: 4 } as const;
    const lower = { M: 3, H: 5 } as const;
    for (const ecc of ['M', 'H'] as const) {
      expect(chooseOrderQrVersion('HTTPS://QR2.CH/Q/', { length: 21, charset: 'alphanumeric' }, ecc)).toBe(upper[ecc]);
      expect(chooseOrderQrVersion('https://qr2.ch/q/', { length: 21, charset: 'byte' }, ecc)).toBe(lower[ecc]);
    }
  });

  it('every suffix of the charset encodes at the chosen version, and the worst one not below it', () => {
    const prefixes = ['HTTPS://QR2.CH/Q/', 'https://qr2.ch/q/', 'https://example.com/p/12345678/', '', 'ÉTIQUETTE-'];
    const worst: Record<SegmentMode, string> = { numeric: '0', alphanumeric: 'Z', byte: '~' };
    for (const prefix of prefixes) {
      for (const charset of ['numeric', 'alphanumeric', 'byte'] as const) {
        for (const length of [0, 1, 7, 21, 60]) {
          for (const ecc of LEVELS) {
            const version = chooseOrderQrVersion(prefix, { length, charset }, ecc);
            expect(version).toBeLessThanOrEqual(chooseQrVersion(Buffer.byteLength(prefix) + length, ecc));
            for (let i = 0; i < 20; i++) encodeQr(prefix + randomSuffix(charset, length), version, ecc);
            // All digits, all alphanumeric letters: the extremes of the DP.
            encodeQr(prefix + CHARSETS[charset].slice(0, 10).repeat(7).slice(0, length), version, ecc);
            if (version > 1) {
              expect(() => encodeQr(prefix + worst[charset].repeat(length), version - 1, ecc)).toThrow(RangeError);
            }
          }
        }
      }
    }
  });

  it('throws RangeError when nothing fits or the suffix is bad', () => {
    expect(() => chooseOrderQrVersion('', { length: 7090, charset: 'numeric' }, 'L')).toThrow(RangeError);
    expect(chooseOrderQrVersion('', { length: 7089, charset: 'numeric' }, 'L')).toBe(40);
    expect(() => chooseOrderQrVersion('x'.repeat(1300), { length: 0, charset: 'byte' }, 'H')).toThrow(RangeError);
    expect(() => chooseOrderQrVersion('x', { length: -1, charset: 'byte' }, 'H')).toThrow(RangeError);
    expect(() => chooseOrderQrVersion('x', { length: 3, charset: 'kanji' as SegmentMode }, 'H')).toThrow(RangeError);
    expect(() => chooseOrderQrVersion('x', { length: 3, charset: 'byte' }, 'X' as EccLevel)).toThrow(RangeError);
  });
});
