/**
 * QR symbol matrices — the public entry point of the QR encoder (our own,
 * see qr-encoder.ts); the rest of codegen only depends on what is exported here.
 */
import { encodeSymbol } from './qr-encoder.js';
import {
  assertEcc,
  byteModeCapacity,
  dataCapacityBits,
  MAX_VERSION,
  MIN_VERSION,
  type EccLevel,
} from './qr-spec.js';
import { optimalBitLength, type SegmentMode } from './segments.js';

export type { EccLevel } from './qr-spec.js';
export { dataCapacityBits } from './qr-spec.js';
export type { SegmentMode } from './segments.js';

export interface QrMatrix {
  /** Modules per side (without quiet zone). */
  size: number;
  /**
   * size·size bytes, row-major, 1 = dark. Owned by the caller: new bytes on
   * every call, never touched by the encoder again. (A view into a shared
   * 64 KiB ArrayBuffer, so `modules.byteOffset` may be non-zero and
   * `modules.buffer` is larger; copy with `slice()` before transferring it.)
   */
  modules: Uint8Array;
  /** The mask pattern applied (0–7). */
  mask: number;
}

/**
 * Smallest version whose byte-mode capacity at `ecc` holds `textLength` bytes
 * (UTF-8 bytes of the text; equal to the character count for URLs in ASCII).
 * A worst-case bound: the encoder's optimal segmentation never needs more.
 */
export function chooseQrVersion(textLength: number, ecc: EccLevel): number {
  assertEcc(ecc);
  if (!Number.isInteger(textLength) || textLength < 0) {
    throw new RangeError(`text length must be a non-negative integer, got ${textLength}`);
  }
  for (let version = MIN_VERSION; version <= MAX_VERSION; version++) {
    if (byteModeCapacity(version, ecc) >= textLength) return version;
  }
  throw new RangeError(
    `text of ${textLength} bytes does not fit in any QR version at error correction ${ecc} ` +
      `(maximum ${byteModeCapacity(MAX_VERSION, ecc)})`,
  );
}

export interface OrderSuffix {
  /** Characters of the variable part (ASCII). */
  length: number;
  /** Character set the variable part is drawn from. */
  charset: SegmentMode;
}

const CHARSETS: readonly SegmentMode[] = ['numeric', 'alphanumeric', 'byte'];

/** A character of each suffix charset that no other character of the set encodes more cheaply than. */
const WORST_CHARACTER: Record<SegmentMode, string> = { numeric: '0', alphanumeric: 'A', byte: 'a' };

/**
 * Smallest version at `ecc` in which every text `prefix + s` fits, for any
 * string s of `suffix.length` ASCII characters from `suffix.charset`.
 *
 * Exact, not just a bound: let w be prefix + c·length with c = '0' (numeric),
 * 'A' (alphanumeric) or 'a' (byte). Any segmentation of w is also valid for
 * prefix + s with the same number of bits — its suffix characters sit in
 * segments of modes every character of the charset can use, at the same cost
 * (1 byte per ASCII character in byte mode) — so optimal(prefix + s) ≤
 * optimal(w), and w itself is one of the strings. (The simpler bound
 * bits(prefix) + bits(s as its own segment) is never smaller.)
 */
export function chooseOrderQrVersion(prefix: string, suffix: OrderSuffix, ecc: EccLevel): number {
  assertEcc(ecc);
  if (typeof prefix !== 'string') throw new TypeError('prefix must be a string');
  if (!Number.isInteger(suffix.length) || suffix.length < 0) {
    throw new RangeError(`suffix length must be a non-negative integer, got ${suffix.length}`);
  }
  if (!CHARSETS.includes(suffix.charset)) {
    throw new RangeError(`suffix charset must be numeric, alphanumeric or byte, got ${String(suffix.charset)}`);
  }
  const worst = prefix + WORST_CHARACTER[suffix.charset].repeat(suffix.length);
  for (let version = MIN_VERSION; version <= MAX_VERSION; version++) {
    if (optimalBitLength(worst, version) <= dataCapacityBits(version, ecc)) return version;
  }
  throw new RangeError(
    `a prefix of ${prefix.length} characters plus ${suffix.length} ${suffix.charset} characters does not fit ` +
      `in any QR version at error correction ${ecc} (at most ${dataCapacityBits(MAX_VERSION, ecc)} data bits)`,
  );
}

/**
 * Encodes `text` (optimal numeric/alphanumeric/byte segments, UTF-8 bytes) as a
 * symbol of exactly `version` at `ecc`, with mask pattern `mask` (0–7) or, if
 * omitted, the one with the lowest ISO/IEC 18004 penalty. Throws RangeError if
 * the text does not fit or an argument is out of range.
 */
export function encodeQr(text: string, version: number, ecc: EccLevel, mask?: number): QrMatrix {
  return encodeSymbol(text, version, ecc, mask);
}
