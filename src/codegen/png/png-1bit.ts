/**
 * 1-bit greyscale PNG encoder for print-ready code images (PNG: W3C/RFC 2083).
 * In the file, bit 0 = black and 1 = white. The IDAT stream comes from our own
 * zlib/DEFLATE writer (deflate-rows.ts), which exploits repeated scanlines.
 */
import { crc32 } from 'node:zlib';
import { FIXED_TABLES, writeZlibScanlines, zlibBound, type DeflateTables } from './deflate-rows.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const METRES_PER_INCH = 0.0254;
const MAX_DIMENSION = 0x7fffffff;
/** Signature + IHDR chunk + pHYs chunk. */
const MAX_HEADER = 8 + 25 + 21;
/** IDAT length/type/CRC + IEND chunk. */
const TRAILER = 12 + 12;
const IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
const IDAT_TYPE = [0x49, 0x44, 0x41, 0x54];

/** Reusable output buffer, grown on demand; results are copied out of it. */
let work: Buffer = Buffer.allocUnsafeSlow(64 * 1024);
/** Last header written (signature, IHDR, pHYs), reused while the image geometry repeats. */
let headerWidth = 0;
let headerHeight = 0;
let headerDpi: number | undefined;
let header: Buffer = Buffer.alloc(0);

function checkDimensions(width: number, height: number): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_DIMENSION) {
    throw new RangeError(`PNG width must be a positive integer, got ${width}`);
  }
  if (!Number.isInteger(height) || height < 1 || height > MAX_DIMENSION) {
    throw new RangeError(`PNG height must be a positive integer, got ${height}`);
  }
}

function checkDpi(dpi: number | undefined): void {
  if (dpi !== undefined && !(Number.isFinite(dpi) && dpi > 0)) {
    throw new RangeError(`dpi must be a positive number, got ${dpi}`);
  }
}

function writeChunkCrc(buf: Buffer, typeAt: number, end: number): void {
  buf.writeUInt32BE(crc32(buf.subarray(typeAt, end)), end);
}

function buildHeader(width: number, height: number, dpi: number | undefined): Buffer {
  const buf = Buffer.alloc(dpi === undefined ? 8 + 25 : MAX_HEADER);
  buf.set(SIGNATURE, 0);
  buf.writeUInt32BE(13, 8);
  buf.write('IHDR', 12, 'latin1');
  buf.writeUInt32BE(width, 16);
  buf.writeUInt32BE(height, 20);
  buf[24] = 1; // bit depth
  buf[25] = 0; // colour type: greyscale
  buf[26] = 0; // compression: deflate
  buf[27] = 0; // filter method 0
  buf[28] = 0; // no interlace
  writeChunkCrc(buf, 12, 29);
  if (dpi !== undefined) {
    const ppm = Math.round(dpi / METRES_PER_INCH);
    buf.writeUInt32BE(9, 33);
    buf.write('pHYs', 37, 'latin1');
    buf.writeUInt32BE(ppm, 41);
    buf.writeUInt32BE(ppm, 45);
    buf[49] = 1; // unit: metre
    writeChunkCrc(buf, 37, 50);
  }
  return buf;
}

function headerFor(width: number, height: number, dpi: number | undefined): Buffer {
  if (width !== headerWidth || height !== headerHeight || dpi !== headerDpi || header.length === 0) {
    header = buildHeader(width, height, dpi);
    headerWidth = width;
    headerHeight = height;
    headerDpi = dpi;
  }
  return header;
}

/** An image as bands of identical scanlines (see encodePng1BitBands). */
export interface ScanlineBands {
  /** Band i's scanline is lines[i·pitch, i·pitch + stride), stride = 1 + ceil(width / 8). */
  lines: Uint8Array;
  /** Band i covers counts[i] ≥ 1 consecutive rows. */
  counts: ArrayLike<number>;
  nBands: number;
  /** Default stride; a multiple of 4 (with `lines` 4-byte aligned) is faster. */
  pitch?: number;
  /** Huffman codes for the IDAT stream (default: fixed codes). */
  tables?: DeflateTables;
}

/**
 * Encodes a 1-bit PNG from scanline bands: the image's scanlines are
 * `counts[0]` copies of the first scanline in `lines`, then `counts[1]` copies
 * of the second, etc. Each scanline is `stride = 1 + ceil(width / 8)` bytes:
 * filter type 0, then the row packed MSB first with 1 bit = white.
 * Returns an exact-size copy (the encoder's buffer is reused).
 */
export function encodePng1BitBands(width: number, height: number, bands: ScanlineBands, dpi?: number): Buffer {
  checkDimensions(width, height);
  checkDpi(dpi);
  const { lines, counts, nBands } = bands;
  const tables = bands.tables ?? FIXED_TABLES;
  const stride = ((width + 7) >> 3) + 1;
  const step = bands.pitch ?? stride;
  if (!Number.isInteger(step) || step < stride) throw new RangeError(`pitch must be an integer ≥ ${stride}, got ${step}`);
  if (!Number.isInteger(nBands) || nBands < 1 || nBands > counts.length || lines.length < (nBands - 1) * step + stride) {
    throw new RangeError(`expected ${nBands} scanlines of ${stride} bytes with their repeat counts`);
  }
  let rows = 0;
  for (let i = 0; i < nBands; i++) {
    if (lines[i * step] !== 0) throw new RangeError(`scanline ${i} must start with filter type 0`);
    rows += counts[i]!;
  }
  if (rows !== height) throw new RangeError(`the bands hold ${rows} rows, expected ${height}`);

  const head = headerFor(width, height, dpi);
  const bound = head.length + TRAILER + zlibBound(height * stride, tables);
  if (work.length < bound) work = Buffer.allocUnsafeSlow(Math.max(bound, 2 * work.length));
  const buf = work;
  head.copy(buf, 0);
  const idatAt = head.length;
  buf.set(IDAT_TYPE, idatAt + 4);
  const end = writeZlibScanlines(lines, stride, step, counts, nBands, buf, idatAt + 8, tables);
  buf.writeUInt32BE(end - idatAt - 8, idatAt);
  writeChunkCrc(buf, idatAt + 4, end);
  IEND.copy(buf, end + 4);
  const length = end + 4 + IEND.length;
  const result = Buffer.allocUnsafe(length);
  buf.copy(result, 0, 0, length);
  return result;
}

/**
 * Encodes a 1-bit greyscale PNG from packed rows.
 * @param rows height·ceil(width/8) bytes, each row MSB first, 1 bit = white (PNG grey)
 * @param dpi  when given, a pHYs chunk records the resolution (pixels per metre)
 */
export function encodePng1BitPacked(width: number, height: number, rows: Uint8Array, dpi?: number): Buffer {
  checkDimensions(width, height);
  const rowBytes = (width + 7) >> 3;
  if (rows.length !== rowBytes * height) {
    throw new RangeError(`expected ${rowBytes * height} bytes of packed rows, got ${rows.length}`);
  }
  // Collapse runs of identical rows into bands of distinct scanlines (4-byte aligned).
  const stride = rowBytes + 1;
  const pitch = (stride + 3) & ~3;
  const lines = new Uint8Array(pitch * height);
  const counts = new Int32Array(height);
  let nBands = 0;
  for (let y = 0; y < height; y++) {
    const src = y * rowBytes;
    if (nBands > 0) {
      const prev = (nBands - 1) * pitch + 1;
      let same = true;
      for (let i = 0; i < rowBytes; i++) {
        if (rows[src + i] !== lines[prev + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        counts[nBands - 1]!++;
        continue;
      }
    }
    lines.set(rows.subarray(src, src + rowBytes), nBands * pitch + 1);
    counts[nBands++] = 1;
  }
  return encodePng1BitBands(width, height, { lines, counts, nBands, pitch }, dpi);
}

/** Packs rows of 0/1 pixels (1 = black) into rows of ceil(width/8) bytes, MSB first, 1 bit = white. */
export function packRows(width: number, height: number, pixels: Uint8Array): Uint8Array {
  const rowBytes = (width + 7) >> 3;
  const rows = new Uint8Array(rowBytes * height);
  const fullBytes = width >> 3;
  const tail = width & 7;
  for (let y = 0; y < height; y++) {
    let src = y * width;
    let dst = y * rowBytes;
    for (let b = 0; b < fullBytes; b++) {
      const black =
        (pixels[src]! << 7) |
        (pixels[src + 1]! << 6) |
        (pixels[src + 2]! << 5) |
        (pixels[src + 3]! << 4) |
        (pixels[src + 4]! << 3) |
        (pixels[src + 5]! << 2) |
        (pixels[src + 6]! << 1) |
        pixels[src + 7]!;
      rows[dst++] = ~black & 0xff;
      src += 8;
    }
    if (tail > 0) {
      let black = 0;
      for (let i = 0; i < tail; i++) black |= pixels[src + i]! << (7 - i);
      rows[dst] = ~black & 0xff; // padding bits are white
    }
  }
  return rows;
}

/** Packs rows of 0/1 pixels into filter-type-0 scanlines (MSB first, 1 bit = white). */
export function packScanlines(width: number, height: number, pixels: Uint8Array): Buffer {
  const rowBytes = (width + 7) >> 3;
  const rows = packRows(width, height, pixels);
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rows.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  return raw;
}

/**
 * Encodes a 1-bit greyscale PNG.
 * @param pixels width·height bytes, row-major, 1 = black, 0 = white
 * @param dpi    when given, a pHYs chunk records the resolution (pixels per metre)
 */
export function encodePng1Bit(width: number, height: number, pixels: Uint8Array, dpi?: number): Buffer {
  checkDimensions(width, height);
  if (pixels.length !== width * height) {
    throw new RangeError(`expected ${width * height} pixels, got ${pixels.length}`);
  }
  checkDpi(dpi);
  return encodePng1BitPacked(width, height, packRows(width, height, pixels), dpi);
}
