/**
 * Reed–Solomon error-correction codewords over GF(256) with the QR field
 * polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator roots α⁰ … α^(n−1).
 */

/** EXP[i] = α^i, doubled (510 entries) so that EXP[log a + log b] needs no reduction. */
const EXP = new Uint8Array(512);
/** LOG[a] = i with α^i = a, for a = 1 … 255 (LOG[0] is unused). */
const LOG = new Uint8Array(256);

{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

/** Product of two field elements. */
export function gfMultiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

const generatorCache = new Map<number, Uint8Array>();

/**
 * Coefficients of the monic generator polynomial Π (x − α^i), i < degree,
 * highest power first and without the leading 1 — as discrete logarithms,
 * since none of them is zero for the degrees QR uses (checked on creation).
 */
export function generatorLogs(degree: number): Uint8Array {
  let logs = generatorCache.get(degree);
  if (logs) return logs;
  if (!Number.isInteger(degree) || degree < 1 || degree > 254) {
    throw new RangeError(`Reed–Solomon degree must be an integer from 1 to 254, got ${degree}`);
  }
  // coef[0] is the leading coefficient (always 1); multiply by (x + α^i) one root at a time.
  const coef = new Uint8Array(degree + 1);
  coef[0] = 1;
  for (let i = 0; i < degree; i++) {
    const root = EXP[i]!;
    for (let j = i + 1; j >= 1; j--) coef[j] = coef[j]! ^ gfMultiply(coef[j - 1]!, root);
  }
  logs = new Uint8Array(degree);
  for (let j = 0; j < degree; j++) {
    const c = coef[j + 1]!;
    if (c === 0) throw new Error(`generator polynomial of degree ${degree} has a zero coefficient`);
    logs[j] = LOG[c]!;
  }
  generatorCache.set(degree, logs);
  return logs;
}

/** Remainder words: QR uses at most 30 error-correction codewords per block. */
const MAX_WORDS = 8;

/**
 * Remainder computation for one degree (≤ 32), 4 codeword bytes per Int32
 * word: the remainder register is shifted a byte per data codeword and XORed
 * with a row of `table`, the generator multiplied by the feedback byte.
 */
export interface ReedSolomonEncoder {
  degree: number;
  /** table[f · 8 + i]: word i (big-endian bytes, zero-padded) of f · generator without its leading term. */
  table: Int32Array;
  /** Scratch for the final remainder words. */
  register: Int32Array;
}

const encoderCache = new Map<number, ReedSolomonEncoder>();

/** The cached encoder producing `degree` (1–32) error-correction codewords per block. */
export function reedSolomonEncoder(degree: number): ReedSolomonEncoder {
  let enc = encoderCache.get(degree);
  if (enc) return enc;
  if (!Number.isInteger(degree) || degree < 1 || degree > 4 * MAX_WORDS) {
    throw new RangeError(`Reed–Solomon degree must be an integer from 1 to ${4 * MAX_WORDS}, got ${degree}`);
  }
  const logs = generatorLogs(degree);
  const table = new Int32Array(256 * MAX_WORDS);
  for (let f = 1; f < 256; f++) {
    const lf = LOG[f]!;
    for (let j = 0; j < degree; j++) table[f * MAX_WORDS + (j >> 2)]! |= EXP[lf + logs[j]!]! << (24 - 8 * (j & 3));
  }
  enc = { degree, table, register: new Int32Array(MAX_WORDS) };
  encoderCache.set(degree, enc);
  return enc;
}

/**
 * Writes the `enc.degree` error-correction codewords of
 * `data[dataStart … dataStart + dataLength)` to `out[outStart …)`: the
 * remainder of data(x)·x^degree divided by the generator polynomial.
 */
export function reedSolomonRemainder(
  data: Uint8Array,
  dataStart: number,
  dataLength: number,
  enc: ReedSolomonEncoder,
  out: Uint8Array,
  outStart: number,
): void {
  const table = enc.table;
  // The remainder register, 32 bytes in 8 words (unused low bytes stay 0: the table rows are 0 there).
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  let r4 = 0;
  let r5 = 0;
  let r6 = 0;
  let r7 = 0;
  for (let i = dataStart, end = dataStart + dataLength; i < end; i++) {
    const row = (data[i]! ^ (r0 >>> 24)) << 3;
    r0 = ((r0 << 8) | (r1 >>> 24)) ^ table[row]!;
    r1 = ((r1 << 8) | (r2 >>> 24)) ^ table[row + 1]!;
    r2 = ((r2 << 8) | (r3 >>> 24)) ^ table[row + 2]!;
    r3 = ((r3 << 8) | (r4 >>> 24)) ^ table[row + 3]!;
    r4 = ((r4 << 8) | (r5 >>> 24)) ^ table[row + 4]!;
    r5 = ((r5 << 8) | (r6 >>> 24)) ^ table[row + 5]!;
    r6 = ((r6 << 8) | (r7 >>> 24)) ^ table[row + 6]!;
    r7 = (r7 << 8) ^ table[row + 7]!;
  }
  const reg = enc.register;
  reg[0] = r0;
  reg[1] = r1;
  reg[2] = r2;
  reg[3] = r3;
  reg[4] = r4;
  reg[5] = r5;
  reg[6] = r6;
  reg[7] = r7;
  for (let j = 0, degree = enc.degree; j < degree; j++) out[outStart + j] = reg[j >> 2]! >>> (24 - 8 * (j & 3));
}
