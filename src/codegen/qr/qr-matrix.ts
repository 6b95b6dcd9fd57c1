/**
 * QR symbol matrices. This version wraps the `qrcode` package; the rest of
 * codegen only depends on the types and functions exported here.
 */
import QRCode from 'qrcode';
import { assertEcc, assertVersion, byteModeCapacity, MAX_VERSION, MIN_VERSION, type EccLevel } from './qr-spec.js';

export type { EccLevel } from './qr-spec.js';

export interface QrMatrix {
  /** Modules per side (without quiet zone). */
  size: number;
  /** size·size bytes, row-major, 1 = dark. */
  modules: Uint8Array;
}

/**
 * Smallest version whose byte-mode capacity at `ecc` holds `textLength` bytes
 * (UTF-8 bytes of the text; equal to the character count for URLs in ASCII).
 */
export function chooseQrVersion(textLength: number, ecc: EccLevel): number {
  assertEcc(ecc);
  if (!Number.isInteger(textLength) || textLength < 0) {
    throw new RangeError(`text length must be a non-negative integer, got ${textLength}`);
  }
  for (let version = MIN_VERSION; version <= MAX_VERSION; version++) {
    if (byteModeCapacity(version, ecc) >= textLength) return version;
  }
  throw new RangeError(
    `text of ${textLength} bytes does not fit in any QR version at error correction ${ecc} ` +
      `(maximum ${byteModeCapacity(MAX_VERSION, ecc)})`,
  );
}

/** Encodes `text` as a symbol of exactly `version` at error correction `ecc`. */
export function encodeQr(text: string, version: number, ecc: EccLevel): QrMatrix {
  assertVersion(version);
  assertEcc(ecc);
  const qr = QRCode.create(text, { version, errorCorrectionLevel: ecc });
  const { size, data } = qr.modules;
  if (qr.version !== version || data.length !== size * size) {
    throw new Error(`QR encoder produced version ${qr.version}, expected ${version}`);
  }
  // The package's BitMatrix stores 0/1 bytes already; copy so callers own the buffer.
  return { size, modules: Uint8Array.from(data) };
}
