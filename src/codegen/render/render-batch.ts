/**
 * Renders a batch of codes of one order into one transferable buffer, so a worker thread can hand a
 * whole batch back without copying per image.
 *
 * Layout (native-endian uint32; the buffer never leaves the process): count, then per image [storedLength, crc32, size], then the images'
 * bytes back to back. PNG images are stored as they are (already deflated); SVG images are raw-DEFLATE
 * compressed here, in the worker, so the zip writer on the main thread only copies bytes.
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

export function renderBatch(task: RenderBatchTask, patterns: PatternGenerator | null): ArrayBuffer {
  const { plan, format, urls, patternIds } = task;
  const graphic = plan.graphic;
  if (graphic && !patterns) throw new Error(`layout '${plan.layout}' needs the graphic key to render its secure graphic`);
  if (Array.isArray(patternIds) && patternIds.length !== urls.length) {
    throw new RangeError(`expected ${urls.length} pattern identities, got ${patternIds.length}`);
  }
  const shared = graphic && typeof patternIds === 'string' ? patterns!.derive(patternIds, graphic.cells, graphic.density) : null;
  const parts: Uint8Array[] = new Array(urls.length);
  const header = new Uint32Array(1 + 3 * urls.length);
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
    header[1 + 3 * i] = stored.byteLength;
    header[2 + 3 * i] = image.crc32;
    header[3 + 3 * i] = image.data.byteLength;
    total += stored.byteLength;
  }
  const out = new Uint8Array(total);
  out.set(new Uint8Array(header.buffer), 0);
  let at = header.byteLength;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out.buffer;
}

/** Reads the images out of a buffer made by `renderBatch`, in order, without copying their bytes. */
export function readRenderedBatch(buffer: ArrayBuffer): RenderedImage[] {
  const count = new Uint32Array(buffer, 0, 1)[0]!;
  const header = new Uint32Array(buffer, 0, 1 + 3 * count);
  const images: RenderedImage[] = new Array(count);
  let at = header.byteLength;
  for (let i = 0; i < count; i++) {
    const length = header[1 + 3 * i]!;
    images[i] = { data: new Uint8Array(buffer, at, length), crc32: header[2 + 3 * i]!, size: header[3 + 3 * i]! };
    at += length;
  }
  if (at !== buffer.byteLength) throw new Error(`rendered batch is ${buffer.byteLength} bytes, its header describes ${at}`);
  return images;
}
