/**
 * Mask penalty of ISO/IEC 18004 §7.8.3 on bit-packed symbols (layout in
 * symbol-template.ts): every row and every column of the symbol is a bit
 * lane, 32 lanes per word, and each rule costs a few word operations per
 * step along the lines.
 *
 *  N1  each run of ≥ 5 same-coloured modules in a row or column: 3 + (run − 5)
 *  N2  each 2×2 block of one colour (overlapping blocks counted): 3
 *  N3  each 1:1:3:1:1 pattern (dark-light-dark-dark-dark-light-dark, one
 *      module per unit) with 4 light modules before it, and each with 4 light
 *      modules after it, in a row or column (so one with light on both sides
 *      counts twice); outside the symbol is light: 40 each
 *  N4  10·k, k the smallest integer ≥ 0 with (45 − 5k)% ≤ dark share ≤ (55 + 5k)%
 *
 * The masked symbol is never materialised: each word is read as
 * base XOR overlay (unmasked data; mask + format information).
 */
import { LINE_PAD, lineWords, packModules } from './symbol-template.js';

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** N4 for `dark` dark modules among `total` (odd, so never exactly 50%). */
export function balancePenalty(dark: number, total: number): number {
  return 10 * (Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1);
}

/**
 * Penalty N1 + N2 + N3 + N4 of the symbol packed as `base ^ overlay`, which
 * has `dark` dark modules. Gives up (returning some value ≥ `limit`) once the
 * sum so far reaches `limit`.
 */
export function packedPenalty(
  base: Int32Array,
  overlay: Int32Array,
  size: number,
  dark: number,
  limit = Infinity,
): number {
  const w = lineWords(size);
  let penalty = balancePenalty(dark, size * size);
  for (let k = 0; k < w; k++) {
    const lanes = 2 * size - 32 * k;
    const laneMask = lanes >= 32 ? -1 : (1 << lanes) - 1;
    // Lanes along the rows (< size) hold the 2×2 blocks: they start at rows 0 … size − 2.
    const rowLanes = size - 32 * k;
    const blockMask = rowLanes > 32 ? -1 : rowLanes <= 1 ? 0 : (1 << (rowLanes - 1)) - 1;
    const neighbour = rowLanes > 32; // blocks straddle into the next word
    penalty += lanePenalty(base, overlay, size, w, k, laneMask, blockMask, neighbour);
    if (penalty >= limit) return penalty;
  }
  return penalty;
}

/** N1 + 3·N2 + 40·N3 counted in lane word k. */
function lanePenalty(
  base: Int32Array,
  overlay: Int32Array,
  size: number,
  w: number,
  k: number,
  laneMask: number,
  blockMask: number,
  neighbour: boolean,
): number {
  let sum = 0; // N1 + 3·N2
  let n3 = 0;
  let i = LINE_PAD * w + k;
  // Window x0 … x5 = lines t … t + 5, xp = line t − 1; y0 = line t of word k + 1.
  let x0 = base[i]! ^ overlay[i]!;
  let x1 = base[i + w]! ^ overlay[i + w]!;
  let x2 = base[i + 2 * w]! ^ overlay[i + 2 * w]!;
  let x3 = base[i + 3 * w]! ^ overlay[i + 3 * w]!;
  let x4 = base[i + 4 * w]! ^ overlay[i + 4 * w]!;
  let x5 = base[i + 5 * w]! ^ overlay[i + 5 * w]!;
  let xp = ~x0; // every lane starts a run at t = 0
  let y0 = neighbour ? base[i + 1]! ^ overlay[i + 1]! : 0;
  const hasBlocks = blockMask !== 0;

  // Lines t = 0 … size − 5: every rule (N3 needs t ≤ size − 7 but finds nothing later).
  for (let t = size - 4; t > 0; t--, i += w) {
    const j = i + 6 * w;
    const x6 = base[j]! ^ overlay[j]!;
    const e0 = x0 ^ x1;

    // N1: lanes whose modules t … t + 4 are equal. A run of ≥ 5 scores 1 at each
    // of its first (run − 4) positions and 2 more at its start.
    const run = ~(e0 | (x1 ^ x2) | (x2 ^ x3) | (x3 ^ x4)) & laneMask;
    const start = run & (xp ^ x0);
    let a = run - ((run >>> 1) & 0x55555555);
    a = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
    let s = start - ((start >>> 1) & 0x55555555);
    s = (s & 0x33333333) + ((s >>> 2) & 0x33333333);
    a += s << 1; // nibbles ≤ 12
    a = (a & 0x0f0f0f0f) + ((a >>> 4) & 0x0f0f0f0f); // bytes ≤ 24

    // N2: lanes j and j + 1 of lines t and t + 1 all equal.
    if (hasBlocks) {
      // Lane 0 of the next word stands in for lane 32: its change from line t to t + 1, its value.
      let yDiff = 0;
      let yRight = 0;
      if (neighbour) {
        const y1 = base[i + w + 1]! ^ overlay[i + w + 1]!;
        yDiff = (y0 ^ y1) << 31;
        yRight = y0 << 31;
        y0 = y1;
      }
      let b = ~(e0 | (e0 >>> 1) | yDiff | (x0 ^ ((x0 >>> 1) | yRight))) & blockMask;
      b -= (b >>> 1) & 0x55555555;
      b = (b & 0x33333333) + ((b >>> 2) & 0x33333333);
      b = (b + (b >>> 4)) & 0x0f0f0f0f; // bytes ≤ 8
      a += 3 * b; // bytes ≤ 48
    }
    sum += Math.imul(a, 0x01010101) >>> 24;

    // N3: 1011101 at t … t + 6, then 4 light lines before / after (rare: read from memory).
    const f = x0 & x2 & x3 & x4 & x6 & ~(x1 | x5);
    if (f !== 0) {
      const before =
        (base[i - w]! ^ overlay[i - w]!) |
        (base[i - 2 * w]! ^ overlay[i - 2 * w]!) |
        (base[i - 3 * w]! ^ overlay[i - 3 * w]!) |
        (base[i - 4 * w]! ^ overlay[i - 4 * w]!);
      const after =
        (base[i + 7 * w]! ^ overlay[i + 7 * w]!) |
        (base[i + 8 * w]! ^ overlay[i + 8 * w]!) |
        (base[i + 9 * w]! ^ overlay[i + 9 * w]!) |
        (base[i + 10 * w]! ^ overlay[i + 10 * w]!);
      n3 += popcount(f & ~before) + popcount(f & ~after);
    }

    xp = x0;
    x0 = x1;
    x1 = x2;
    x2 = x3;
    x3 = x4;
    x4 = x5;
    x5 = x6;
  }

  // Lines size − 4 … size − 2: the remaining 2×2 blocks.
  if (hasBlocks) {
    for (let t = size - 4; t < size - 1; t++, i += w) {
      const x = base[i]! ^ overlay[i]!;
      const e = x ^ base[i + w]! ^ overlay[i + w]!;
      let yDiff = 0;
      let yRight = 0;
      if (neighbour) {
        const y = base[i + 1]! ^ overlay[i + 1]!;
        yDiff = (y ^ base[i + w + 1]! ^ overlay[i + w + 1]!) << 31;
        yRight = y << 31;
      }
      sum += 3 * popcount(~(e | (e >>> 1) | yDiff | (x ^ ((x >>> 1) | yRight))) & blockMask);
    }
  }
  return sum + 40 * n3;
}

/** Penalty of a finished symbol given as size·size bytes (1 = dark); packs it first (not the fast path). */
export function matrixPenalty(modules: Uint8Array, size: number): number {
  const packed = packModules(modules, size);
  let dark = 0;
  for (let i = 0; i < size * size; i++) dark += modules[i] ? 1 : 0;
  return packedPenalty(packed, new Int32Array(packed.length), size, dark);
}
