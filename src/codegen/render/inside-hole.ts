/**
 * Where to cut the square hole for an inside secure graphic.
 *
 * The hole is the largest square of at most `maxSide` modules that covers no
 * function module (finder, separator, timing, format/version information,
 * alignment pattern, dark module). It is centred on the symbol when that is
 * possible; for versions with an alignment pattern at the centre (7–13, 21–27,
 * 35–40) it sits right next to that pattern instead (its nearest module at most
 * 3 modules from the centre), so only data/error-correction codewords are lost.
 */
import { functionModuleMask, symbolSize } from '../qr/qr-spec.js';
import type { QrHole } from './types.js';

/** Farthest (Chebyshev distance, modules) an off-centre hole may lie from the symbol centre. */
const MAX_OFFSET = 3;

export function findInsideHole(version: number, maxSide: number, minSide: number): QrHole | null {
  const size = symbolSize(version);
  const mask = functionModuleMask(version);
  // 2-D prefix sums of the mask: any square is tested in O(1).
  const w = size + 1;
  const sum = new Int32Array(w * w);
  for (let r = 0; r < size; r++) {
    let rowSum = 0;
    for (let c = 0; c < size; c++) {
      rowSum += mask[r * size + c]!;
      sum[(r + 1) * w + c + 1] = sum[r * w + c + 1]! + rowSum;
    }
  }
  const clear = (row: number, col: number, side: number): boolean =>
    sum[(row + side) * w + col + side]! - sum[row * w + col + side]! - sum[(row + side) * w + col]! + sum[row * w + col]! ===
    0;

  const centre = (size - 1) / 2;
  for (let side = Math.min(maxSide, size); side >= Math.max(1, minSide); side--) {
    if ((size - side) % 2 === 0) {
      const start = (size - side) / 2;
      if (clear(start, start, side)) return { row: start, column: start, modules: side };
    }
    let best: QrHole | null = null;
    let bestDistance = Infinity;
    for (let row = 0; row + side <= size; row++) {
      const dr = Math.max(row - centre, 0, centre - (row + side - 1));
      if (dr > MAX_OFFSET) continue;
      for (let col = 0; col + side <= size; col++) {
        const dc = Math.max(col - centre, 0, centre - (col + side - 1));
        if (dc > MAX_OFFSET || !clear(row, col, side)) continue;
        // Distance between the hole centre and the symbol centre; ties go to the later
        // (lower, then further right) position, away from the top-left finder/format area.
        const hr = row + (side - 1) / 2 - centre;
        const hc = col + (side - 1) / 2 - centre;
        const distance = hr * hr + hc * hc;
        if (distance <= bestDistance) {
          best = { row, column: col, modules: side };
          bestDistance = distance;
        }
      }
    }
    if (best) return best;
  }
  return null;
}
