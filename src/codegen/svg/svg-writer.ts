/**
 * Vector (SVG) rendering of one code following a RenderPlan: the same geometry
 * as the PNG, in printer dots (viewBox), with the physical size in millimetres.
 *
 * Output: a white background, one black path of QR modules (horizontal runs of
 * dark modules merged into one rectangle each), one black path of pattern cells
 * (runs merged), one black path of fiducial markers and one white path of the
 * orientation marker's centre, drawn last. Integer coordinates only; the output
 * is deterministic.
 */
import type { RenderPlan } from '../render/types.js';

const MM_PER_INCH = 25.4;

/** A QR symbol matrix: size·size bytes, row-major, 1 = dark. */
export interface SvgQrMatrix {
  size: number;
  modules: Uint8Array;
}

/** Millimetres with up to 4 decimals, without trailing zeros. */
export function formatMm(dots: number, dpi: number): string {
  const s = ((dots * MM_PER_INCH) / dpi).toFixed(4);
  return s.replace(/\.?0+$/, '');
}

/**
 * Path data of one rectangle per horizontal run of dark cells in `rows` grid rows
 * of `count` cells, each `size` dots, the grid's top-left dot at (x0, y0).
 * Cell c of row r is dark when grid[r·count + c] ≠ 0, unless r is in [skipRow0, skipRow1)
 * and c in [skipCol0, skipCol1) (the inside hole).
 */
function gridPath(
  grid: Uint8Array,
  rows: number,
  count: number,
  size: number,
  x0: number,
  y0: number,
  skipRow0: number,
  skipRow1: number,
  skipCol0: number,
  skipCol1: number,
): string {
  let d = '';
  for (let r = 0; r < rows; r++) {
    const base = r * count;
    const holeRow = r >= skipRow0 && r < skipRow1;
    const y = y0 + r * size;
    let c = 0;
    while (c < count) {
      if (grid[base + c] === 0 || (holeRow && c >= skipCol0 && c < skipCol1)) {
        c++;
        continue;
      }
      const start = c++;
      while (c < count && grid[base + c] !== 0 && !(holeRow && c >= skipCol0 && c < skipCol1)) c++;
      const w = (c - start) * size;
      d += `M${x0 + start * size} ${y}h${w}v${size}h-${w}z`;
    }
  }
  return d;
}

/** Rectangle subpath in dot units. */
function rect(x: number, y: number, w: number, h: number): string {
  return `M${x} ${y}h${w}v${h}h-${w}z`;
}

/**
 * Writes the SVG document of one code.
 * @param qr      the symbol's module matrix (plan.modules per side)
 * @param pattern plan.graphic.cells² cells (non-zero = black) when the plan has a graphic, else null
 */
export function writeCodeSvg(plan: RenderPlan, qr: SvgQrMatrix, pattern: Uint8Array | null): string {
  const { width, height, dpi, dotsPerModule: dpm, graphic, hole } = plan;
  const n = qr.size;
  if (n !== plan.modules || qr.modules.length !== n * n) {
    throw new Error(`QR symbol has ${n} modules, the plan expects ${plan.modules}`);
  }
  if (graphic && (!pattern || pattern.length !== graphic.cells * graphic.cells)) {
    throw new RangeError(`the secure-graphic pattern must have ${graphic.cells * graphic.cells} cells`);
  }
  const qrPath = hole
    ? gridPath(qr.modules, n, n, dpm, plan.qrOrigin.x, plan.qrOrigin.y, hole.row, hole.row + hole.modules, hole.column, hole.column + hole.modules)
    : gridPath(qr.modules, n, n, dpm, plan.qrOrigin.x, plan.qrOrigin.y, 0, 0, 0, 0);
  const cellPath =
    graphic && pattern
      ? gridPath(pattern, graphic.cells, graphic.cells, graphic.cellDots, graphic.x, graphic.y, 0, 0, 0, 0)
      : '';

  const markerParts: string[] = [];
  const centreParts: string[] = [];
  for (const marker of plan.fiducials) {
    markerParts.push(rect(marker.x, marker.y, marker.size, marker.size));
    const c = marker.whiteCentre;
    if (c && c.size > 0) centreParts.push(rect(c.x, c.y, c.size, c.size));
  }

  let svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${formatMm(width, dpi)}mm" height="${formatMm(height, dpi)}mm" ` +
    `viewBox="0 0 ${width} ${height}" shape-rendering="crispEdges">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>`;
  if (qrPath) svg += `<path fill="#000" d="${qrPath}"/>`;
  if (cellPath) svg += `<path fill="#000" d="${cellPath}"/>`;
  if (markerParts.length > 0) svg += `<path fill="#000" d="${markerParts.join('')}"/>`;
  if (centreParts.length > 0) svg += `<path fill="#fff" d="${centreParts.join('')}"/>`;
  return svg + '</svg>\n';
}
