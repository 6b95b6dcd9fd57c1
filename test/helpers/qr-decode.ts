import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' },
) => { data: string } | null;

// jsqr is a CommonJS bundle exposing `default`; depending on the loader the default import is either
// the function or the module object.
const jsQRValue = jsQRModule as unknown as JsQr & { default?: JsQr };
const jsQR: JsQr = typeof jsQRValue.default === 'function' ? jsQRValue.default : jsQRValue;

/** Decodes a QR code from PNG bytes with jsQR (an independent decoder): pngjs → RGBA → jsQR. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const rgba = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return jsQR(rgba, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
