/**
 * Rasterises one code (QR symbol, secure graphic, fiducials) at the press's
 * native resolution following a RenderPlan.
 *
 * Fast path: the image is rendered straight into packed 1-bit scanlines, and
 * only once per "band" of identical dot rows (a band ends wherever a QR module
 * row, a pattern cell row or a fiducial marker starts or ends). The PNG encoder
 * takes the bands as they are, so a repeated row costs O(1). Its IDAT stream uses
 * dynamic Huffman codes fitted once per plan to a synthetic image of the plan.
 *
 * `renderCodeBitmap` (render-bitmap.ts) is an independent byte-per-pixel implementation
 * (1 = black) kept for tests and decoders; it is re-exported here.
 */
import { crc32 } from 'node:zlib';
import { tablesForScanlines, type DeflateTables } from '../png/deflate-rows.js';
import { encodePng1BitBands } from '../png/png-1bit.js';
import { encodeQr } from '../qr/qr-matrix.js';
import { writeCodeSvg } from '../svg/svg-writer.js';
import { xorshift32Unit } from '../seeded-random.js';
import { checkPattern, checkQr, type QrModules } from './render-checks.js';
import type { ImageFormat, RenderPlan } from './types.js';

export { renderCodeBitmap, type CodeBitmap } from './render-bitmap.js';
export type { QrModules } from './render-checks.js';

export interface PackedCodeImage {
  width: number;
  height: number;
  /** ceil(width / 8). */
  rowBytes: number;
  /** height·rowBytes bytes, each row MSB first, 1 bit = white (as PNG grey). */
  rows: Uint8Array;
}

export interface RenderedCodeImage {
  data: Buffer;
  /** CRC-32 (zlib.crc32) of `data`. */
  crc32: number;
}

interface BandGeometry {
  width: number;
  height: number;
  /** Scanline bytes: filter byte + ceil(width / 8). */
  stride: number;
  /** Bytes between rows of the layers and of the output: stride rounded up to 4. */
  pitch: number;
  nBands: number;
  /** Dot rows per band. */
  counts: Int32Array;
  /** Row of each layer used by each band. */
  fixedRow: Int32Array;
  qrRow: Int32Array;
  cellRow: Int32Array;
  /** Fixed layer: pitch-byte rows, row 0 all white. */
  fixed: Uint32Array;
  /** Words [cellWord0, cellWord1) of a row hold the pattern. */
  cellWord0: number;
  cellWord1: number;
  /** Dynamic Huffman codes fitted to a synthetic sample of the plan (built on first PNG). */
  tables: DeflateTables | null;
}

const geometryCache = new WeakMap<RenderPlan, BandGeometry>();

/** Widest cell (in dots) written with the bit accumulator; wider cells are filled as runs. */
const MAX_ACC_CELL = 23;

/** Clears (sets black) bits [x0, x1) of the packed row whose byte 0 is at `origin`. */
function clearBits(buf: Uint8Array, origin: number, x0: number, x1: number): void {
  const b0 = x0 >> 3;
  const b1 = (x1 - 1) >> 3;
  const head = 0xff >> (x0 & 7);
  const tail = (0xff00 >> (((x1 - 1) & 7) + 1)) & 0xff;
  if (b0 === b1) {
    buf[origin + b0]! &= ~(head & tail);
    return;
  }
  buf[origin + b0]! &= ~head;
  for (let b = origin + b0 + 1, e = origin + b1; b < e; b++) buf[b] = 0;
  buf[origin + b1]! &= ~tail;
}

/** Sets (white) bits [x0, x1) of the packed row whose byte 0 is at `origin`. */
function setBits(buf: Uint8Array, origin: number, x0: number, x1: number): void {
  const b0 = x0 >> 3;
  const b1 = (x1 - 1) >> 3;
  const head = 0xff >> (x0 & 7);
  const tail = (0xff00 >> (((x1 - 1) & 7) + 1)) & 0xff;
  if (b0 === b1) {
    buf[origin + b0]! |= head & tail;
    return;
  }
  buf[origin + b0]! |= head;
  for (let b = origin + b0 + 1, e = origin + b1; b < e; b++) buf[b] = 0xff;
  buf[origin + b1]! |= tail;
}

/** Widest cell (in dots) written four cells at a time. */
const MAX_QUAD_CELL = 6;

/**
 * QUADS[size][d]: the 4·size bits (MSB first, 1 = white) of four cells whose
 * dark flags are the bits of d, the first cell in bit 3.
 */
const QUADS: Uint32Array[] = Array.from({ length: MAX_QUAD_CELL + 1 }, (_, size) =>
  Uint32Array.from({ length: 16 }, (_, d) => {
    let bits = 0;
    for (let j = 0; j < 4; j++) bits = bits * (1 << size) + ((d >> (3 - j)) & 1 ? 0 : (1 << size) - 1);
    return bits;
  }),
);

/**
 * Writes one grid row into a white packed row whose byte 0 is at `origin`: `count`
 * cells of `size` dots from dot x0, cell c black when grid[base + c] ≠ 0.
 * `view` is a DataView of `grid`, used to read four 0/1 cells at once.
 */
function writeGridRow(
  buf: Uint8Array,
  origin: number,
  x0: number,
  grid: Uint8Array,
  view: DataView,
  base: number,
  count: number,
  size: number,
): void {
  if (size > MAX_ACC_CELL) {
    let c = 0;
    while (c < count) {
      if (grid[base + c] === 0) {
        c++;
        continue;
      }
      const start = c++;
      while (c < count && grid[base + c] !== 0) c++;
      clearBits(buf, origin, x0 + start * size, x0 + c * size);
    }
    return;
  }
  // Bit accumulator, MSB first: the low `bits` (< 8 between cells) bits of `acc` are
  // pending; higher bits are stale and drop out (int32 shifts, byte stores truncate).
  let p = origin + (x0 >> 3);
  let bits = x0 & 7;
  let acc = (1 << bits) - 1; // dots left of x0 in the first byte stay white
  let i = base;
  const end = base + count;
  if (size <= MAX_QUAD_CELL) {
    // Four cells per step: bytes c0..c3 (0/1) of a little-endian word gather into
    // c0·8 + c1·4 + c2·2 + c3 with one multiplication (no two terms share a bit).
    const quad = QUADS[size]!;
    const step = 4 * size;
    const end4 = base + (count & ~3);
    let seen = 0;
    for (; i < end4; i += 4) {
      const x = view.getUint32(i, true);
      seen |= x;
      acc = (acc << step) | quad[Math.imul(x, 0x80402010) >>> 28]!;
      bits += step;
      while (bits >= 8) {
        bits -= 8;
        buf[p++] = acc >>> bits;
      }
    }
    if ((seen & 0xfefefefe) !== 0) {
      // Cells other than 0/1: start over one cell at a time.
      p = origin + (x0 >> 3);
      bits = x0 & 7;
      acc = (1 << bits) - 1;
      i = base;
    }
  }
  const ones = (1 << size) - 1;
  for (; i < end; i++) {
    // Branch-free (cells are random): (v − 1) >> 31 is −1 for v = 0 (white), else 0.
    acc = (acc << size) | (ones & ((grid[i]! - 1) >> 31));
    bits += size;
    while (bits >= 8) {
      bits -= 8;
      buf[p++] = acc >>> bits;
    }
  }
  if (bits > 0) buf[p] = (acc << (8 - bits)) | (0xff >> bits);
}

function buildGeometry(plan: RenderPlan): BandGeometry {
  const { width, height, dotsPerModule: dpm, modules: n, graphic, fiducials } = plan;
  const oy = plan.qrOrigin.y;
  const stride = ((width + 7) >> 3) + 1;
  const pitch = (stride + 3) & ~3;
  const words = pitch >> 2;

  const cutSet = new Set<number>([0, height]);
  for (let r = 0; r <= n; r++) cutSet.add(oy + r * dpm);
  if (graphic) for (let r = 0; r <= graphic.cells; r++) cutSet.add(graphic.y + r * graphic.cellDots);
  for (const m of fiducials) {
    cutSet.add(m.y).add(m.y + m.size);
    if (m.whiteCentre) cutSet.add(m.whiteCentre.y).add(m.whiteCentre.y + m.whiteCentre.size);
  }
  const cuts = [...cutSet].filter((y) => y >= 0 && y <= height).sort((a, b) => a - b);
  const nBands = cuts.length - 1;
  const counts = new Int32Array(nBands);
  const fixedRow = new Int32Array(nBands);
  const qrRow = new Int32Array(nBands);
  const cellRow = new Int32Array(nBands);
  const fixedBands: number[] = [];
  for (let i = 0; i < nBands; i++) {
    const y = cuts[i]!;
    counts[i] = cuts[i + 1]! - y;
    qrRow[i] = y >= oy && y < oy + n * dpm ? Math.floor((y - oy) / dpm) : n;
    cellRow[i] =
      graphic && y >= graphic.y && y < graphic.y + graphic.sizeDots
        ? Math.floor((y - graphic.y) / graphic.cellDots)
        : graphic
          ? graphic.cells
          : 0;
    if (fiducials.some((m) => y >= m.y && y < m.y + m.size)) {
      fixedBands.push(i);
      fixedRow[i] = fixedBands.length;
    }
  }
  const fixed = new Uint32Array((fixedBands.length + 1) * words).fill(0xffffffff);
  const fixedBytes = new Uint8Array(fixed.buffer);
  for (let k = 0; k <= fixedBands.length; k++) fixedBytes[k * pitch] = 0; // filter type 0
  fixedBands.forEach((band, j) => {
    const origin = (j + 1) * pitch + 1;
    const y = cuts[band]!;
    for (const m of fiducials) {
      if (y >= m.y && y < m.y + m.size) clearBits(fixedBytes, origin, m.x, m.x + m.size);
    }
    for (const m of fiducials) {
      const c = m.whiteCentre;
      if (c && c.size > 0 && y >= c.y && y < c.y + c.size) setBits(fixedBytes, origin, c.x, c.x + c.size);
    }
  });
  return {
    width,
    height,
    stride,
    pitch,
    nBands,
    counts,
    fixedRow,
    qrRow,
    cellRow,
    fixed,
    // +1: the filter byte precedes the row's bytes.
    cellWord0: graphic ? (1 + (graphic.x >> 3)) >> 2 : 0,
    cellWord1: graphic ? ((1 + ((graphic.x + graphic.sizeDots - 1) >> 3)) >> 2) + 1 : 0,
    tables: null,
  };
}

/** Geometries by plan content, for plans that arrive as fresh copies (e.g. one per worker task). */
const geometryByContent = new Map<string, BandGeometry>();
const MAX_CACHED_PLANS = 16;

/** The plan's band geometry; plans are treated as immutable. */
function geometryFor(plan: RenderPlan): BandGeometry {
  let g = geometryCache.get(plan);
  if (!g) {
    const key = JSON.stringify(plan);
    g = geometryByContent.get(key);
    if (!g) {
      g = buildGeometry(plan);
      if (geometryByContent.size >= MAX_CACHED_PLANS) geometryByContent.delete(geometryByContent.keys().next().value!);
      geometryByContent.set(key, g);
    }
    geometryCache.set(plan, g);
  }
  return g;
}

/**
 * Huffman codes for the plan's PNGs, fitted once to a synthetic image of the plan
 * (random modules and cells at the plan's density), so they do not depend on
 * which code is rendered first.
 */
function tablesFor(plan: RenderPlan, g: BandGeometry): DeflateTables {
  if (g.tables) return g.tables;
  const random = xorshift32Unit(0x5eed);
  const n = plan.modules;
  const modules = new Uint8Array(n * n).map(() => (random() < 0.5 ? 1 : 0));
  const graphic = plan.graphic;
  const pattern = graphic
    ? new Uint8Array(graphic.cells * graphic.cells).map(() => (random() < graphic.density ? 1 : 0))
    : null;
  renderBands(plan, { size: n, modules }, pattern);
  g.tables = tablesForScanlines(outLines.u8, g.stride, g.pitch, g.counts, g.nBands);
  return g.tables;
}

/** A reusable scratch buffer with byte and 32-bit views. */
interface Scratch {
  u8: Uint8Array;
  u32: Uint32Array;
}

function scratch(bytes: number): Scratch {
  const buffer = new ArrayBuffer(bytes);
  return { u8: new Uint8Array(buffer), u32: new Uint32Array(buffer) };
}

function grow(s: Scratch, bytes: number): Scratch {
  return s.u8.length >= bytes ? s : scratch(Math.max(bytes, 2 * s.u8.length));
}

// Reusable scratch buffers (single-threaded); sizes are multiples of 4.
let outLines = scratch(16384);
let qrLayer = scratch(4096);
let cellLayer = scratch(4096);

/**
 * Renders the plan's distinct scanlines into `outLines` (band i at i·pitch,
 * filter byte 0) and returns the plan's band geometry.
 */
function renderBands(plan: RenderPlan, qr: QrModules, pattern: Uint8Array | null): BandGeometry {
  checkPattern(plan, pattern);
  checkQr(plan, qr);
  const g = geometryFor(plan);
  const { pitch, nBands } = g;
  const words = pitch >> 2;
  const n = qr.size;
  const hole = plan.hole;
  const holeRow0 = hole ? hole.row : -1;
  const holeRow1 = hole ? hole.row + hole.modules : -1;

  // QR layer: one packed row per module row, then a white row.
  qrLayer = grow(qrLayer, (n + 1) * pitch);
  const qrU8 = qrLayer.u8;
  qrLayer.u32.fill(0xffffffff, 0, (n + 1) * words);
  for (let r = 0; r <= n; r++) qrU8[r * pitch] = 0; // filter type 0
  const dpm = plan.dotsPerModule;
  const ox = plan.qrOrigin.x;
  const qrView = new DataView(qr.modules.buffer, qr.modules.byteOffset, qr.modules.byteLength);
  for (let r = 0; r < n; r++) {
    const origin = r * pitch + 1;
    writeGridRow(qrU8, origin, ox, qr.modules, qrView, r * n, n, dpm);
    if (hole !== null && r >= holeRow0 && r < holeRow1) {
      setBits(qrU8, origin, ox + hole.column * dpm, ox + (hole.column + hole.modules) * dpm);
    }
  }

  // Cell layer: one packed row per pattern cell row, then a white row.
  const graphic = plan.graphic;
  if (graphic && pattern) {
    const { cells, cellDots, x } = graphic;
    cellLayer = grow(cellLayer, (cells + 1) * pitch);
    cellLayer.u32.fill(0xffffffff, 0, (cells + 1) * words);
    const cellU8 = cellLayer.u8;
    const view = new DataView(pattern.buffer, pattern.byteOffset, pattern.byteLength);
    for (let r = 0; r < cells; r++) writeGridRow(cellU8, r * pitch + 1, x, pattern, view, r * cells, cells, cellDots);
  }

  // Each band's scanline = its qr row, AND its fixed row unless white, AND its cell row
  // (over the words it covers) unless white; 32 bits at a time.
  outLines = grow(outLines, nBands * pitch);
  const out = outLines.u32;
  const fixed = g.fixed;
  const qrU32 = qrLayer.u32;
  const cellU32 = cellLayer.u32;
  const { fixedRow, qrRow, cellRow, cellWord0, cellWord1 } = g;
  const whiteCell = graphic ? graphic.cells : 0;
  for (let i = 0; i < nBands; i++) {
    const o = i * words;
    const q = qrRow[i]! * words;
    for (let w = 0; w < words; w++) out[o + w] = qrU32[q + w]!;
    const f = fixedRow[i]! * words;
    if (f > 0) for (let w = 0; w < words; w++) out[o + w]! &= fixed[f + w]!;
    const cr = cellRow[i]!;
    if (cr !== whiteCell) {
      const c = cr * words;
      for (let w = cellWord0; w < cellWord1; w++) out[o + w]! &= cellU32[c + w]!;
    }
  }
  return g;
}

/** The distinct scanlines of a rendered code; valid until the next render call. */
export interface CodeScanlines {
  width: number;
  height: number;
  /** 1 + ceil(width / 8). */
  stride: number;
  /** Distance between scanlines in `lines` (≥ stride). */
  pitch: number;
  /** Band i's scanline (filter byte 0, then the row, 1 bit = white) is lines[i·pitch, i·pitch + stride). */
  lines: Uint8Array;
  /** Band i covers counts[i] consecutive dot rows. */
  counts: Int32Array;
  nBands: number;
}

/**
 * Renders a code into bands of identical scanlines (the PNG encoder's input).
 * The returned `lines` is a shared scratch buffer, overwritten by the next call.
 */
export function renderCodeScanlines(plan: RenderPlan, qr: QrModules, pattern: Uint8Array | null): CodeScanlines {
  const g = renderBands(plan, qr, pattern);
  return {
    width: g.width,
    height: g.height,
    stride: g.stride,
    pitch: g.pitch,
    lines: outLines.u8,
    counts: g.counts,
    nBands: g.nBands,
  };
}

function encodePlanPng(plan: RenderPlan, qr: QrModules, pattern: Uint8Array | null): Buffer {
  checkPattern(plan, pattern);
  checkQr(plan, qr);
  const tables = tablesFor(plan, geometryFor(plan));
  const g = renderBands(plan, qr, pattern);
  const bands = { lines: outLines.u8, counts: g.counts, nBands: g.nBands, pitch: g.pitch, tables };
  return encodePng1BitBands(g.width, g.height, bands, plan.dpi);
}

/** Renders the code into packed rows (1 bit = white), e.g. for other encoders or tests. */
export function renderCodePacked(plan: RenderPlan, url: string, pattern: Uint8Array | null): PackedCodeImage {
  checkPattern(plan, pattern);
  const g = renderBands(plan, encodeQr(url, plan.qrVersion, plan.ecc), pattern);
  const { stride, pitch, height, nBands, counts } = g;
  const rowBytes = stride - 1;
  const rows = new Uint8Array(rowBytes * height);
  let y = 0;
  for (let i = 0; i < nBands; i++) {
    const line = outLines.u8.subarray(i * pitch + 1, i * pitch + stride);
    for (let k = counts[i]!; k > 0; k--) rows.set(line, rowBytes * y++);
  }
  return { width: g.width, height, rowBytes, rows };
}

/** Renders a code from an already encoded QR matrix (lets callers time or cache the QR step). */
export function renderCodeImageFromQr(
  plan: RenderPlan,
  qr: QrModules,
  pattern: Uint8Array | null,
  format: ImageFormat,
): RenderedCodeImage {
  let data: Buffer;
  if (format === 'png') {
    data = encodePlanPng(plan, qr, pattern);
  } else if (format === 'svg') {
    checkPattern(plan, pattern);
    checkQr(plan, qr);
    data = Buffer.from(writeCodeSvg(plan, qr, pattern), 'utf8');
  } else {
    throw new RangeError(`image format must be 'png' or 'svg', got ${String(format)}`);
  }
  return { data, crc32: crc32(data) };
}

/** Renders one code as PNG (1-bit, pHYs = plan dpi) or SVG, with the CRC-32 of the file. */
export function renderCodeImage(
  plan: RenderPlan,
  url: string,
  pattern: Uint8Array | null,
  format: ImageFormat,
): RenderedCodeImage {
  checkPattern(plan, pattern);
  return renderCodeImageFromQr(plan, encodeQr(url, plan.qrVersion, plan.ecc), pattern, format);
}

/** Renders one code as a 1-bit PNG whose pHYs chunk records the plan's dpi. */
export function renderCodePng(plan: RenderPlan, url: string, pattern: Uint8Array | null): Buffer {
  checkPattern(plan, pattern);
  return encodePlanPng(plan, encodeQr(url, plan.qrVersion, plan.ecc), pattern);
}

/** Renders one code as an SVG document (vector, same geometry as the PNG). */
export function renderCodeSvg(plan: RenderPlan, url: string, pattern: Uint8Array | null): string {
  checkPattern(plan, pattern);
  const qr = encodeQr(url, plan.qrVersion, plan.ecc);
  checkQr(plan, qr);
  return writeCodeSvg(plan, qr, pattern);
}
