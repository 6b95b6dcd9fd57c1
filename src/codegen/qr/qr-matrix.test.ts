import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { chooseQrVersion, encodeQr } from './qr-matrix.js';
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

  it('throws when the text does not fit the version', () => {
    expect(() => encodeQr('x'.repeat(100), 1, 'H')).toThrow();
    expect(() => encodeQr('x', 41, 'H')).toThrow(RangeError);
  });
});
