/**
 * Byte-per-pixel rasteriser (1 = black): an independent, straightforward implementation of what
 * render-code.ts renders as packed bands. Tests and decoders use it as the reference.
 */
import { encodeQr } from '../qr/qr-matrix.js';
import { checkPattern, checkQr } from './render-checks.js';
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
  checkPattern(plan, pattern);
  const qr = encodeQr(url, plan.qrVersion, plan.ecc);
  checkQr(plan, qr);
  const n = qr.size;
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
      while (c < n && mods[r * n + c] !== 0 && !(inHoleRow && c >= holeCol0 && c < holeCol1)) c++;
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

// ---------------------------------------------------------------------------
// Packed, banded renderer.
//
// Three layers, each a set of packed rows of `pitch` bytes (stride rounded up to a
// multiple of 4, so rows can be combined 32 bits at a time), 1 bit = white:
//  - fixed: fiducial rows, the same for every code of the plan (row 0 is all white);
//    byte 0 of every fixed row is 0, the PNG filter type;
//  - qr: one row per QR module row (row n is all white); byte 0 = 0 as well;
//  - cell: one row per pattern cell row (last row all white).
// A band's scanline is the AND of its three rows.

/** Per-plan band layout, computed once per plan object. */
