/** Argument checks shared by the renderers: the pattern and QR symbol must match the plan. */
import type { RenderPlan } from './types.js';

/** A QR symbol matrix as returned by encodeQr. */
export interface QrModules {
  /** Modules per side. */
  size: number;
  /** size·size bytes, row-major, 1 = dark. */
  modules: Uint8Array;
}

export function checkPattern(plan: RenderPlan, pattern: Uint8Array | null): void {
  const { graphic } = plan;
  if (graphic) {
    const expected = graphic.cells * graphic.cells;
    if (!(pattern instanceof Uint8Array) || pattern.length !== expected) {
      throw new RangeError(
        `layout '${plan.layout}' needs a secure-graphic pattern of ${expected} cells ` +
          `(${graphic.cells}×${graphic.cells}), got ${pattern ? pattern.length : 'none'}`,
      );
    }
  } else if (pattern !== null) {
    throw new RangeError(`layout '${plan.layout}' has no secure graphic; pattern must be null`);
  }
}

export function checkQr(plan: RenderPlan, qr: QrModules): void {
  if (qr.size !== plan.modules || qr.modules.length !== qr.size * qr.size) {
    throw new Error(`QR symbol has ${qr.size} modules, the plan expects ${plan.modules}`);
  }
}

