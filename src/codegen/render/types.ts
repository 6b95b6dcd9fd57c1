import type { EccLevel } from '../qr/qr-spec.js';
import type { CustomLayoutDefinition } from './custom-layout.js';

/** 'none' = SID order (QR only); the others carry a secure graphic. */
export type CodeLayout = 'none' | 'sg-inside' | 'sg-outside' | 'custom';

export const CODE_LAYOUTS: readonly CodeLayout[] = ['none', 'sg-inside', 'sg-outside', 'custom'];

/** File format of the per-code images in an archive (the template chooses). */
export type ImageFormat = 'png' | 'svg';

export const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'svg'];

/**
 * What a template asks the archive to hold per code: an image in one of the {@link IMAGE_FORMATS}, or
 * 'none' — codes.csv and manifest.json only, for printers whose variable-data software draws the QR
 * from the URL itself. Nothing is rendered for such an order.
 */
export type ArchiveImageFormat = ImageFormat | 'none';

export const ARCHIVE_IMAGE_FORMATS: readonly ArchiveImageFormat[] = [...IMAGE_FORMATS, 'none'];

/** Secure-graphic parameters from the press/substrate calibration. */
export interface GraphicSpec {
  /** Cells per side (4..512). */
  cells: number;
  /** Printer dots per cell side (1..64). */
  cellDots: number;
  /** Fraction of black cells, 0 < density < 1. */
  density: number;
}

export interface RenderInput {
  layout: CodeLayout;
  /** URL length in bytes; every code of an order has the same length. */
  urlLength: number;
  /**
   * What the URLs are made of, when known: the order's prefix and the character set of the IDs that
   * follow it. The QR version is then the smallest that holds every such URL with optimal segments
   * (e.g. an uppercase prefix with legacy IDs is all alphanumeric); otherwise it assumes byte mode.
   */
  urlShape?: { prefix: string; idLength: number; idCharset: 'numeric' | 'alphanumeric' | 'byte' };
  /** Native resolution of the press. */
  dpi: number;
  /** Physical width of the QR symbol including its quiet zone (ignored for 'custom', which uses qr.size_mm). */
  sizeMm: number;
  graphic: GraphicSpec | null;
  customLayout: CustomLayoutDefinition | null;
}

/** A point in image dots, origin top-left. */
export interface DotPoint {
  x: number;
  y: number;
}

/** A square in image dots. */
export interface DotSquare {
  x: number;
  y: number;
  size: number;
}

/** Small solid square printed around an outside secure graphic to locate it. */
export interface FiducialMarker extends DotSquare {
  /** White square inside the marker (the bottom-right orientation marker), else null. */
  whiteCentre: DotSquare | null;
}

/** Square hole cut out of the QR symbol for an inside secure graphic, in module coordinates. */
export interface QrHole {
  row: number;
  column: number;
  /** Side in modules. */
  modules: number;
}

export interface PlannedGraphic {
  /** Top-left dot of the pattern. */
  x: number;
  y: number;
  cells: number;
  cellDots: number;
  density: number;
  /** cells · cellDots. */
  sizeDots: number;
}

/** Everything needed to rasterise the codes of one order; JSON-serialisable. */
export interface RenderPlan {
  layout: CodeLayout;
  urlLength: number;
  qrVersion: number;
  ecc: EccLevel;
  /** Modules per side of the symbol, without quiet zone. */
  modules: number;
  quietZoneModules: number;
  dotsPerModule: number;
  /** Image size in dots. */
  width: number;
  height: number;
  dpi: number;
  /** Top-left dot of the symbol's first module (the quiet zone lies around it). */
  qrOrigin: DotPoint;
  /** 'sg-inside' only. */
  hole: QrHole | null;
  graphic: PlannedGraphic | null;
  /** 'sg-outside' and 'custom': 12 markers in a ring around the pattern. */
  fiducials: FiducialMarker[];
}
