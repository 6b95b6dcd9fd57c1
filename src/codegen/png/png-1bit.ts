/**
 * Minimal 1-bit greyscale PNG encoder for print-ready code images.
 * Pixel input: one byte per pixel, 1 = black. In the file, bit 0 = black, 1 = white.
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IEND = chunk('IEND', Buffer.alloc(0));
const METRES_PER_INCH = 0.0254;

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Packs rows of 0/1 pixels into filter-type-0 scanlines (MSB first, 1 bit = white). */
export function packScanlines(width: number, height: number, pixels: Uint8Array): Buffer {
  const rowBytes = (width + 7) >> 3;
  const stride = rowBytes + 1;
  const raw = Buffer.alloc(stride * height);
  const fullBytes = width >> 3;
  const tail = width & 7;
  for (let y = 0; y < height; y++) {
    let src = y * width;
    let dst = y * stride + 1; // raw[y * stride] = 0: filter type None
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
      raw[dst++] = ~black & 0xff;
      src += 8;
    }
    if (tail > 0) {
      let black = 0;
      for (let i = 0; i < tail; i++) black |= pixels[src + i]! << (7 - i);
      raw[dst] = ~black & 0xff; // padding bits are white
    }
  }
  return raw;
}

/**
 * Encodes a 1-bit greyscale PNG.
 * @param pixels width·height bytes, row-major, 1 = black, 0 = white
 * @param dpi    when given, a pHYs chunk records the resolution (pixels per metre)
 */
export function encodePng1Bit(width: number, height: number, pixels: Uint8Array, dpi?: number): Buffer {
  if (!Number.isInteger(width) || width < 1 || width > 0x7fffffff) {
    throw new RangeError(`PNG width must be a positive integer, got ${width}`);
  }
  if (!Number.isInteger(height) || height < 1 || height > 0x7fffffff) {
    throw new RangeError(`PNG height must be a positive integer, got ${height}`);
  }
  if (pixels.length !== width * height) {
    throw new RangeError(`expected ${width * height} pixels, got ${pixels.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace

  const parts: Buffer[] = [SIGNATURE, chunk('IHDR', ihdr)];
  if (dpi !== undefined) {
    if (!(Number.isFinite(dpi) && dpi > 0)) throw new RangeError(`dpi must be a positive number, got ${dpi}`);
    const ppm = Math.round(dpi / METRES_PER_INCH);
    const phys = Buffer.alloc(9);
    phys.writeUInt32BE(ppm, 0);
    phys.writeUInt32BE(ppm, 4);
    phys[8] = 1; // unit: metre
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(packScanlines(width, height, pixels))), IEND);
  return Buffer.concat(parts);
}
