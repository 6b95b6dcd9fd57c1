/**
 * Custom layouts: a canvas with the QR symbol and the secure graphic placed at
 * millimetre positions chosen by the brand owner.
 */

export interface CustomLayoutDefinition {
  width_mm: number;
  height_mm: number;
  /** Top-left of the QR symbol box; size_mm is its width including the quiet zone. */
  qr: { x_mm: number; y_mm: number; size_mm: number };
  /** Top-left of the secure-graphic pattern (its fiducial ring lies around it). */
  graphic: { x_mm: number; y_mm: number };
}

/** Invalid custom layout; `field` names the offending field (dotted path) when there is one. */
export class CustomLayoutError extends Error {
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'CustomLayoutError';
  }
}

const MAX_MM = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positive(obj: Record<string, unknown>, key: string, path: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > MAX_MM) {
    throw new CustomLayoutError(`${path} must be a positive number of millimetres (at most ${MAX_MM})`, path);
  }
  return v;
}

function nonNegative(obj: Record<string, unknown>, key: string, path: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_MM) {
    throw new CustomLayoutError(`${path} must be a number of millimetres, zero or more`, path);
  }
  return v;
}

function object(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = obj[key];
  if (!isRecord(v)) throw new CustomLayoutError(`${key} must be an object`, key);
  return v;
}

/**
 * Validates an untrusted custom layout definition and returns a clean copy
 * (unknown fields dropped). Throws CustomLayoutError with a human message.
 * Whether the graphic (whose size depends on the calibration) fits and clears
 * the QR symbol is checked later, by planRender.
 */
export function parseCustomLayoutDefinition(value: unknown): CustomLayoutDefinition {
  if (!isRecord(value)) throw new CustomLayoutError('custom layout must be an object', null);
  const width = positive(value, 'width_mm', 'width_mm');
  const height = positive(value, 'height_mm', 'height_mm');
  const qrIn = object(value, 'qr');
  const qr = {
    x_mm: nonNegative(qrIn, 'x_mm', 'qr.x_mm'),
    y_mm: nonNegative(qrIn, 'y_mm', 'qr.y_mm'),
    size_mm: positive(qrIn, 'size_mm', 'qr.size_mm'),
  };
  const graphicIn = object(value, 'graphic');
  const graphic = {
    x_mm: nonNegative(graphicIn, 'x_mm', 'graphic.x_mm'),
    y_mm: nonNegative(graphicIn, 'y_mm', 'graphic.y_mm'),
  };
  if (qr.x_mm + qr.size_mm > width) {
    throw new CustomLayoutError(
      `the QR code does not fit: qr.x_mm + qr.size_mm (${qr.x_mm + qr.size_mm}) exceeds width_mm (${width})`,
      'qr.x_mm',
    );
  }
  if (qr.y_mm + qr.size_mm > height) {
    throw new CustomLayoutError(
      `the QR code does not fit: qr.y_mm + qr.size_mm (${qr.y_mm + qr.size_mm}) exceeds height_mm (${height})`,
      'qr.y_mm',
    );
  }
  if (graphic.x_mm >= width) {
    throw new CustomLayoutError(`graphic.x_mm (${graphic.x_mm}) must be less than width_mm (${width})`, 'graphic.x_mm');
  }
  if (graphic.y_mm >= height) {
    throw new CustomLayoutError(
      `graphic.y_mm (${graphic.y_mm}) must be less than height_mm (${height})`,
      'graphic.y_mm',
    );
  }
  const insideQr =
    graphic.x_mm >= qr.x_mm &&
    graphic.x_mm < qr.x_mm + qr.size_mm &&
    graphic.y_mm >= qr.y_mm &&
    graphic.y_mm < qr.y_mm + qr.size_mm;
  if (insideQr) {
    throw new CustomLayoutError('the secure graphic must not overlap the QR code (graphic position lies inside it)', 'graphic');
  }
  return { width_mm: width, height_mm: height, qr, graphic };
}
