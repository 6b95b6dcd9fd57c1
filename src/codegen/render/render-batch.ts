/**
 * Renders a batch of codes of one order into one transferable buffer, so a worker thread can hand a
 * whole batch back without copying per image, and take the buffer back for a later batch.
 *
 * Layout (native-endian uint32; the buffer never leaves the process): count, bytes used, then per image
 * [storedLength, crc32, size], then the images' bytes back to back; the rest of the buffer is unused.
 * PNG images are stored as they are (already deflated); SVG images are raw-DEFLATE compressed here, in
 * the worker, so the zip writer on the main thread only copies bytes.
 */
import { deflateRawSync } from 'node:zlib';
import type { PatternGenerator } from '../graphic/pattern.js';
import { renderCodeImage } from './render-code.js';
import type { ImageFormat, RenderPlan } from './types.js';


export interface RenderBatchTask {
  plan: RenderPlan;
  format: ImageFormat;
  urls: string[];
  /**
   * Secure-graphic identity per code (serialized graphic), one identity shared by every code (a static
   * graphic), or null when the plan has no graphic.
   */
  patternIds: string[] | string | null;
}

export interface RenderedImage {
  /** The bytes as they go into the zip (deflated for SVG). */
  data: Uint8Array;
  /** CRC-32 of the image file itself (uncompressed). */
  crc32: number;
  /** Size of the image file itself (uncompressed). */
  size: number;
}

/** Whether images of this format are deflated by `renderBatch` (else stored as they are). */
export function isDeflatedFormat(format: ImageFormat): boolean {
  return format === 'svg';
}

/** Words before the per-image records: count, bytes used. */
const HEADER_WORDS = 2;
/** New batch buffers are rounded up to this, with room to spare, so that recycled ones usually fit. */
const BUFFER_GRANULE = 64 * 1024;

/**
 * Renders the task's images into `into` when it is large enough (a buffer of an earlier batch, handed
 * back for reuse), else into a new buffer, which is returned.
 */
export function renderBatch(task: RenderBatchTask, patterns: PatternGenerator | null, into?: ArrayBuffer): ArrayBuffer {
  const { plan, format, urls, patternIds } = task;
  const graphic = plan.graphic;
  if (graphic && !patterns) throw new Error(`layout '${plan.layout}' needs the graphic key to render its secure graphic`);
  if (Array.isArray(patternIds) && patternIds.length !== urls.length) {
    throw new RangeError(`expected ${urls.length} pattern identities, got ${patternIds.length}`);
  }
  const shared = graphic && typeof patternIds === 'string' ? patterns!.derive(patternIds, graphic.cells, graphic.density) : null;
  const parts: Uint8Array[] = new Array(urls.length);
  const header = new Uint32Array(HEADER_WORDS + 3 * urls.length);
  header[0] = urls.length;
  let total = header.byteLength;
  for (let i = 0; i < urls.length; i++) {
    let pattern: Uint8Array | null = null;
    if (graphic) {
      if (shared) pattern = shared;
      else if (Array.isArray(patternIds)) pattern = patterns!.derive(patternIds[i]!, graphic.cells, graphic.density);
      else throw new RangeError(`layout '${plan.layout}' needs a secure-graphic identity per code or one for all`);
    }
    const image = renderCodeImage(plan, urls[i]!, pattern, format);
    const stored = isDeflatedFormat(format) ? deflateRawSync(image.data) : image.data;
    parts[i] = stored;
    header[HEADER_WORDS + 3 * i] = stored.byteLength;
    header[HEADER_WORDS + 1 + 3 * i] = image.crc32;
    header[HEADER_WORDS + 2 + 3 * i] = image.data.byteLength;
    total += stored.byteLength;
  }
  header[1] = total;
  const buffer = into && into.byteLength >= total
    ? into
    : new ArrayBuffer(Math.ceil((total * 1.25) / BUFFER_GRANULE) * BUFFER_GRANULE);
  const out = new Uint8Array(buffer);
  out.set(new Uint8Array(header.buffer), 0);
  let at = header.byteLength;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return buffer;
}

/** Reads the images out of a buffer made by `renderBatch`, in order, without copying their bytes. */
export function readRenderedBatch(buffer: ArrayBuffer): RenderedImage[] {
  const head = new Uint32Array(buffer, 0, HEADER_WORDS);
  const count = head[0]!;
  const used = head[1]!;
  if (used > buffer.byteLength) throw new Error(`rendered batch says ${used} bytes, its buffer has ${buffer.byteLength}`);
  const header = new Uint32Array(buffer, 0, HEADER_WORDS + 3 * count);
  const images: RenderedImage[] = new Array(count);
  let at = header.byteLength;
  for (let i = 0; i < count; i++) {
    const length = header[HEADER_WORDS + 3 * i]!;
    images[i] = { data: new Uint8Array(buffer, at, length), crc32: header[HEADER_WORDS + 1 + 3 * i]!, size: header[HEADER_WORDS + 2 + 3 * i]! };
    at += length;
  }
  if (at !== used) throw new Error(`rendered batch is ${used} bytes, its header describes ${at}`);
  return images;
}
