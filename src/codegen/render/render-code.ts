/**
 * Rasterises one code (QR symbol, secure graphic, fiducials) at the press's
 * native resolution following a RenderPlan. Pixels: 1 = black, 0 = white.
 */
import { encodePng1Bit } from '../png/png-1bit.js';
import { encodeQr } from '../qr/qr-matrix.js';
import type { DotSquare, RenderPlan } from './types.js';

export interface CodeBitmap {
  width: number;
  height: number;
  /** width·height bytes, row-major, 1 = black. */
  pixels: Uint8Array;
}

function fillSquare(pixels: Uint8Array, width: number, sq: DotSquare, value: number): void {
  for (let y = sq.y; y < sq.y + sq.size; y++) {
    const row = y * width;
    pixels.fill(value, row + sq.x, row + sq.x + sq.size);
  }
}

/** Copies the dot row `from` onto the following `count` rows, over columns [x0, x1). */
function repeatRow(pixels: Uint8Array, width: number, from: number, count: number, x0: number, x1: number): void {
  const start = from * width + x0;
  const end = from * width + x1;
  for (let i = 1; i <= count; i++) pixels.copyWithin(start + i * width, start, end);
}

export function renderCodeBitmap(plan: RenderPlan, url: string, pattern: Uint8Array | null): CodeBitmap {
  const { width, height, dotsPerModule: dpm, graphic, hole } = plan;
  if (graphic) {
    const expected = graphic.cells * graphic.cells;
    if (!(pattern instanceof Uint8Array) || pattern.length !== expected) {
      throw new RangeError(
        `layout '${plan.layout}' needs a secure-graphic pattern of ${expected} cells ` +
          `(${graphic.cells}×${graphic.cells}), got ${pattern ? pattern.length : 'none'}`,
      );
    }
  } else if (pattern !== null) {
    throw new RangeError(`layout '${plan.layout}' has no secure graphic; pattern must be null`);
  }

  const qr = encodeQr(url, plan.qrVersion, plan.ecc);
  const n = qr.size;
  if (n !== plan.modules) throw new Error(`QR symbol has ${n} modules, the plan expects ${plan.modules}`);
  const pixels = new Uint8Array(width * height);
  const ox = plan.qrOrigin.x;
  const oy = plan.qrOrigin.y;
  const holeRow0 = hole ? hole.row : -1;
  const holeRow1 = hole ? hole.row + hole.modules : -1;
  const holeCol0 = hole ? hole.column : -1;
  const holeCol1 = hole ? hole.column + hole.modules : -1;

  // QR symbol: per module row, fill runs of dark modules on the first dot row, then copy it.
  const mods = qr.modules;
  for (let r = 0; r < n; r++) {
    const y = oy + r * dpm;
    const rowBase = y * width + ox;
    const inHoleRow = r >= holeRow0 && r < holeRow1;
    let c = 0;
    while (c < n) {
      if (mods[r * n + c] === 0 || (inHoleRow && c >= holeCol0 && c < holeCol1)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && mods[r * n + c] === 1 && !(inHoleRow && c >= holeCol0 && c < holeCol1)) c++;
      pixels.fill(1, rowBase + start * dpm, rowBase + c * dpm);
    }
    if (dpm > 1) repeatRow(pixels, width, y, dpm - 1, ox, ox + n * dpm);
  }

  // Secure graphic.
  if (graphic && pattern) {
    const { cells, cellDots: cd, x: gx, y: gy } = graphic;
    for (let r = 0; r < cells; r++) {
      const y = gy + r * cd;
      const rowBase = y * width + gx;
      let c = 0;
      while (c < cells) {
        if (pattern[r * cells + c] === 0) {
          c++;
          continue;
        }
        const start = c;
        while (c < cells && pattern[r * cells + c] !== 0) c++;
        pixels.fill(1, rowBase + start * cd, rowBase + c * cd);
      }
      if (cd > 1) repeatRow(pixels, width, y, cd - 1, gx, gx + cells * cd);
    }
  }

  for (const marker of plan.fiducials) {
    fillSquare(pixels, width, marker, 1);
    if (marker.whiteCentre) fillSquare(pixels, width, marker.whiteCentre, 0);
  }
  return { width, height, pixels };
}

/** Renders one code as a 1-bit PNG whose pHYs chunk records the plan's dpi. */
export function renderCodePng(plan: RenderPlan, url: string, pattern: Uint8Array | null): Buffer {
  const { width, height, pixels } = renderCodeBitmap(plan, url, pattern);
  return encodePng1Bit(width, height, pixels, plan.dpi);
}
