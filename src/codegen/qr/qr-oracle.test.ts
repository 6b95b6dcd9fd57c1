/**
 * Oracle test: our symbols must equal those of the `qrcode` package
 * (given our segmentation and the same version, ECC level and mask), and our
 * optimal segmentation must never be longer than qrcode's own.
 */
import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../seeded-random.js';
import { encodeQr, type EccLevel } from './qr-matrix.js';
import { dataCapacityBits } from './qr-spec.js';
import { optimalBitLength, segmentText } from './segments.js';

const require = createRequire(import.meta.url);
interface OracleSegment {
  mode: unknown;
  getLength(): number;
  getBitsLength(): number;
}
const oracleSegments = require('qrcode/lib/core/segments.js') as {
  fromString(text: string, version: number): OracleSegment[];
};
const oracleMode = require('qrcode/lib/core/mode.js') as {
  getCharCountIndicator(mode: unknown, version: number): number;
};

const rng = mulberry32;

const LEVELS: EccLevel[] = ['L', 'M', 'Q', 'H'];
const DIGITS = '0123456789';
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UNICODE = ['é', 'ü', 'ß', '€', '漢', '字', '😀', 'Ω'];

type Kind = 'numeric' | 'alphanumeric' | 'ascii' | 'utf8' | 'mixed';
const KINDS: Kind[] = ['numeric', 'alphanumeric', 'ascii', 'utf8', 'mixed'];
/** Rough bits per character, to aim the text length at the capacity. */
const BITS_PER_CHAR: Record<Kind, number> = { numeric: 3.4, alphanumeric: 5.5, ascii: 8, utf8: 14, mixed: 7 };

function makeText(kind: Kind, length: number, rand: () => number): string {
  const pick = (set: string | string[]): string => set[Math.floor(rand() * set.length)]!;
  let s = '';
  switch (kind) {
    case 'numeric':
      while (s.length < length) s += pick(DIGITS);
      return s;
    case 'alphanumeric':
      while (s.length < length) s += pick(ALNUM);
      return s;
    case 'ascii':
      while (s.length < length) s += String.fromCharCode(32 + Math.floor(rand() * 95));
      return s;
    case 'utf8':
      while (s.length < length) s += rand() < 0.4 ? pick(UNICODE) : pick(LOWER + DIGITS);
      return s;
    case 'mixed': {
      // URL-like: lowercase, digit runs, uppercase/alphanumeric runs, now and then a non-ASCII character.
      s = rand() < 0.5 ? 'https://' : 'HTTP://';
      while (s.length < length) {
        const r = rand();
        const n = 1 + Math.floor(rand() * 24);
        for (let i = 0; i < n; i++) {
          s += r < 0.3 ? pick(DIGITS) : r < 0.55 ? pick(LOWER) : r < 0.85 ? pick(ALNUM) : r < 0.95 ? pick('/?=&_.') : pick(UNICODE);
        }
      }
      return s;
    }
  }
}

function qrcodeAutoBits(text: string, version: number): number {
  return oracleSegments
    .fromString(text, version)
    .reduce((sum, seg) => sum + 4 + oracleMode.getCharCountIndicator(seg.mode, version) + seg.getBitsLength(), 0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

describe('QR encoder vs the qrcode package', () => {
  it('10 000 random inputs: same modules; segmentation never longer than qrcode', () => {
    const rand = rng(2024);
    const seen = new Set<string>();
    let compared = 0;
    let multiSegment = 0;
    for (let iter = 0; iter < 10_000; iter++) {
      const kind = KINDS[iter % KINDS.length]!;
      const ecc = LEVELS[Math.floor(rand() * 4)]!;
      const version = rand() < 0.75 ? 1 + Math.floor(rand() * 10) : 11 + Math.floor(rand() * 30);
      const mask = Math.floor(rand() * 8);
      const capacity = dataCapacityBits(version, ecc);
      const target = Math.max(1, Math.floor(((0.2 + 0.8 * rand()) * (capacity - 20)) / BITS_PER_CHAR[kind]));
      let text = makeText(kind, target, rand);
      // Shorten until it fits this version (never splitting a surrogate pair).
      while (optimalBitLength(text, version) > capacity) {
        const chars = Array.from(text);
        text = chars.slice(0, Math.floor(chars.length * 0.9)).join('');
      }
      if (text.length === 0) continue;
      seen.add(`${kind}:${version}:${ecc}`);

      const ours = encodeQr(text, version, ecc, mask);
      const segments = segmentText(text, version);
      if (segments.length > 1) multiSegment++;
      const reference = QRCode.create(
        segments.map(({ data, mode }) => ({ data, mode }) as QRCode.QRCodeSegment),
        { version, errorCorrectionLevel: ecc, maskPattern: mask as QRCode.QRCodeMaskPattern },
      );
      expect(ours.size).toBe(reference.modules.size);
      if (!sameBytes(ours.modules, reference.modules.data)) {
        expect.fail(`modules differ for ${JSON.stringify(text)} at ${version}-${ecc} mask ${mask}`);
      }
      const ourBits = optimalBitLength(text, version);
      const theirBits = qrcodeAutoBits(text, version);
      if (ourBits > theirBits) expect.fail(`${JSON.stringify(text)} v${version}: ${ourBits} bits > qrcode's ${theirBits}`);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(10_000 - 5);
    expect(multiSegment).toBeGreaterThan(1000);
    // Every kind met every level at small and large versions.
    for (const kind of KINDS) {
      for (const ecc of LEVELS) {
        expect([...seen].some((k) => k.startsWith(`${kind}:`) && k.endsWith(`:${ecc}`))).toBe(true);
      }
    }
    expect(new Set([...seen].map((k) => k.split(':')[1])).size).toBe(40);
  });

  it('plain strings: qrcode picks the same single segment and symbol', () => {
    const rand = rng(7);
    for (let iter = 0; iter < 300; iter++) {
      const kind = (['numeric', 'alphanumeric', 'ascii'] as const)[iter % 3]!;
      const ecc = LEVELS[iter % 4]!;
      const version = 1 + Math.floor(rand() * 12);
      let text = makeText(kind === 'alphanumeric' ? 'numeric' : kind, 1 + Math.floor(rand() * 30), rand);
      if (kind === 'alphanumeric') text = text.replace(/[0-9]/g, (d) => 'ABCDEFGHIJ'[Number(d)]!);
      if (kind === 'ascii') text = text.replace(/[0-9A-Z $%*+\-./:]/g, 'x');
      if (optimalBitLength(text, version) > dataCapacityBits(version, ecc)) continue;
      const mask = iter % 8;
      const reference = QRCode.create(text, {
        version,
        errorCorrectionLevel: ecc,
        maskPattern: mask as QRCode.QRCodeMaskPattern,
      });
      expect(sameBytes(encodeQr(text, version, ecc, mask).modules, reference.modules.data), text).toBe(true);
    }
  });
});
