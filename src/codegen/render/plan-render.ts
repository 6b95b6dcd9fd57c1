/**
 * Layout planning: turns an order's rendering parameters into a RenderPlan in
 * printer dots, once per order. Every code of the order is then rasterised with
 * the same plan, so all images have the same size and geometry.
 */
import { chooseOrderQrVersion, chooseQrVersion } from '../qr/qr-matrix.js';
import { symbolSize, type EccLevel } from '../qr/qr-spec.js';
import { parseCustomLayoutDefinition, type CustomLayoutDefinition } from './custom-layout.js';
import { fiducialMargin, fiducialRing } from './fiducials.js';
import { findInsideHole } from './inside-hole.js';
import {
  CODE_LAYOUTS,
  type CodeLayout,
  type DotSquare,
  type GraphicSpec,
  type PlannedGraphic,
  type RenderInput,
  type RenderPlan,
} from './types.js';

export const QUIET_ZONE_MODULES = 4;
export const MIN_DPI = 50;
export const MAX_DPI = 10_000;
/** Upper bound on image size, to refuse plans that would exhaust memory. */
export const MAX_IMAGE_DOTS = 64 * 1024 * 1024;
/** Target side of the inside hole as a fraction of the symbol width in modules. */
const INSIDE_HOLE_FRACTION = 0.25;
/** White modules between an inside pattern and the surrounding QR modules. */
const INSIDE_MARGIN_MODULES = 1;
const MIN_GRAPHIC_CELLS = 4;
const MAX_GRAPHIC_CELLS = 512;
const MAX_CELL_DOTS = 64;
const MM_PER_INCH = 25.4;

const ECC_BY_LAYOUT: Record<CodeLayout, EccLevel> = {
  none: 'M',
  'sg-inside': 'H',
  'sg-outside': 'M',
  custom: 'M',
};

function validateGraphic(graphic: GraphicSpec | null, layout: CodeLayout): GraphicSpec | null {
  if (layout === 'none') {
    if (graphic !== null) throw new RangeError("layout 'none' has no secure graphic; graphic must be null");
    return null;
  }
  if (graphic === null || typeof graphic !== 'object') {
    throw new RangeError(`layout '${layout}' needs a secure graphic specification (cells, cellDots, density)`);
  }
  const { cells, cellDots, density } = graphic;
  if (!Number.isInteger(cells) || cells < MIN_GRAPHIC_CELLS || cells > MAX_GRAPHIC_CELLS) {
    throw new RangeError(
      `graphic.cells must be an integer from ${MIN_GRAPHIC_CELLS} to ${MAX_GRAPHIC_CELLS}, got ${cells}`,
    );
  }
  if (!Number.isInteger(cellDots) || cellDots < 1 || cellDots > MAX_CELL_DOTS) {
    throw new RangeError(`graphic.cellDots must be an integer from 1 to ${MAX_CELL_DOTS}, got ${cellDots}`);
  }
  if (!(typeof density === 'number' && density > 0 && density < 1)) {
    throw new RangeError(`graphic.density must be strictly between 0 and 1, got ${density}`);
  }
  return { cells, cellDots, density };
}

function dotsPerModuleFor(sizeMm: number, dpi: number, modules: number): number {
  return Math.max(1, Math.floor(((sizeMm / MM_PER_INCH) * dpi) / (modules + 2 * QUIET_ZONE_MODULES)));
}

function checkImageSize(width: number, height: number): void {
  if (width * height > MAX_IMAGE_DOTS) {
    throw new RangeError(
      `the image would be ${width}×${height} dots, more than ${MAX_IMAGE_DOTS} dots; reduce the size or resolution`,
    );
  }
}

function overlaps(a: DotSquare, b: DotSquare): boolean {
  return a.x < b.x + b.size && b.x < a.x + a.size && a.y < b.y + b.size && b.y < a.y + a.size;
}

function planned(x: number, y: number, cells: number, spec: GraphicSpec): PlannedGraphic {
  return { x, y, cells, cellDots: spec.cellDots, density: spec.density, sizeDots: cells * spec.cellDots };
}

/** Plans the images of one order. Throws RangeError with a human message on impossible input. */
export function planRender(input: RenderInput): RenderPlan {
  const { layout, urlLength, dpi } = input;
  if (!CODE_LAYOUTS.includes(layout)) {
    throw new RangeError(`layout must be one of ${CODE_LAYOUTS.join(', ')}, got ${String(layout)}`);
  }
  if (!(typeof dpi === 'number' && Number.isFinite(dpi) && dpi >= MIN_DPI && dpi <= MAX_DPI)) {
    throw new RangeError(`dpi must be a number from ${MIN_DPI} to ${MAX_DPI}, got ${dpi}`);
  }
  if (!Number.isInteger(urlLength) || urlLength < 1) {
    throw new RangeError(`urlLength must be a positive integer, got ${urlLength}`);
  }
  const graphic = validateGraphic(input.graphic, layout);
  let custom: CustomLayoutDefinition | null = null;
  if (layout === 'custom') {
    if (input.customLayout === null || input.customLayout === undefined) {
      throw new RangeError("layout 'custom' needs a custom layout definition");
    }
    try {
      custom = parseCustomLayoutDefinition(input.customLayout);
    } catch (err) {
      throw new RangeError(`invalid custom layout: ${(err as Error).message}`);
    }
  } else if (input.customLayout !== null && input.customLayout !== undefined) {
    throw new RangeError(`a custom layout definition is only allowed with layout 'custom', not '${layout}'`);
  }
  const sizeMm = custom ? custom.qr.size_mm : input.sizeMm;
  if (!(typeof sizeMm === 'number' && Number.isFinite(sizeMm) && sizeMm > 0)) {
    throw new RangeError(`sizeMm must be a positive number of millimetres, got ${sizeMm}`);
  }

  const ecc = ECC_BY_LAYOUT[layout];
  const shape = input.urlShape;
  if (shape && Buffer.byteLength(shape.prefix, 'utf8') + shape.idLength !== urlLength) {
    throw new RangeError(`urlShape (${shape.prefix.length} + ${shape.idLength}) does not add up to urlLength ${urlLength}`);
  }
  const qrVersion = shape
    ? chooseOrderQrVersion(shape.prefix, { length: shape.idLength, charset: shape.idCharset }, ecc)
    : chooseQrVersion(urlLength, ecc);
  const modules = symbolSize(qrVersion);
  const dotsPerModule = dotsPerModuleFor(sizeMm, dpi, modules);
  const quiet = QUIET_ZONE_MODULES * dotsPerModule;
  const qrBox = (modules + 2 * QUIET_ZONE_MODULES) * dotsPerModule;
  const base = {
    layout,
    urlLength,
    qrVersion,
    ecc,
    modules,
    quietZoneModules: QUIET_ZONE_MODULES,
    dotsPerModule,
    dpi,
  };

  switch (layout) {
    case 'none': {
      checkImageSize(qrBox, qrBox);
      return {
        ...base,
        width: qrBox,
        height: qrBox,
        qrOrigin: { x: quiet, y: quiet },
        hole: null,
        graphic: null,
        fiducials: [],
      };
    }

    case 'sg-inside': {
      const spec = graphic as GraphicSpec;
      checkImageSize(qrBox, qrBox);
      // Largest side ≤ 25 % of the symbol with the symbol's parity, so a centred hole
      // starts and ends on module boundaries.
      let target = Math.floor(INSIDE_HOLE_FRACTION * modules);
      if ((modules - target) % 2 !== 0) target -= 1;
      // Smallest hole still holding MIN_GRAPHIC_CELLS cells inside its white margin.
      const minSide =
        2 * INSIDE_MARGIN_MODULES + Math.ceil((MIN_GRAPHIC_CELLS * spec.cellDots) / dotsPerModule);
      const hole = minSide <= target ? findInsideHole(qrVersion, target, minSide) : null;
      if (!hole) {
        throw new RangeError(
          `the QR code is too small for an inside secure graphic: ${dotsPerModule} dot(s) per module ` +
            `cannot hold ${MIN_GRAPHIC_CELLS} cells of ${spec.cellDots} dot(s) in a hole of at most ` +
            `${target} modules; increase sizeMm or the resolution, or reduce cellDots`,
        );
      }
      const holeDots = hole.modules * dotsPerModule;
      const innerDots = (hole.modules - 2 * INSIDE_MARGIN_MODULES) * dotsPerModule;
      const cells = Math.min(spec.cells, Math.floor(innerDots / spec.cellDots));
      const offset = Math.floor((holeDots - cells * spec.cellDots) / 2);
      return {
        ...base,
        width: qrBox,
        height: qrBox,
        qrOrigin: { x: quiet, y: quiet },
        hole,
        graphic: planned(
          quiet + hole.column * dotsPerModule + offset,
          quiet + hole.row * dotsPerModule + offset,
          cells,
          spec,
        ),
        fiducials: [],
      };
    }

    case 'sg-outside': {
      const spec = graphic as GraphicSpec;
      const patternDots = spec.cells * spec.cellDots;
      const margin = fiducialMargin(patternDots);
      const ringSize = patternDots + 2 * margin;
      // [quiet | QR | quiet] [ring] [quiet]; the QR's own quiet zone separates it from the ring.
      const width = qrBox + ringSize + quiet;
      const height = Math.max(qrBox, ringSize + 2 * quiet);
      checkImageSize(width, height);
      const qrTop = Math.floor((height - qrBox) / 2);
      const ringTop = Math.floor((height - ringSize) / 2);
      const ring = fiducialRing(qrBox + margin, ringTop + margin, patternDots);
      return {
        ...base,
        width,
        height,
        qrOrigin: { x: quiet, y: qrTop + quiet },
        hole: null,
        graphic: planned(qrBox + margin, ringTop + margin, spec.cells, spec),
        fiducials: ring.markers,
      };
    }

    case 'custom': {
      const spec = graphic as GraphicSpec;
      const def = custom as CustomLayoutDefinition;
      const toDots = (mm: number): number => Math.round((mm / MM_PER_INCH) * dpi);
      const width = toDots(def.width_mm);
      const height = toDots(def.height_mm);
      checkImageSize(width, height);
      const qrSquare: DotSquare = { x: toDots(def.qr.x_mm), y: toDots(def.qr.y_mm), size: qrBox };
      if (qrSquare.x + qrBox > width || qrSquare.y + qrBox > height) {
        throw new RangeError(
          `the QR code (${qrBox} dots including quiet zone) does not fit inside the ${width}×${height}-dot canvas`,
        );
      }
      const patternDots = spec.cells * spec.cellDots;
      const gx = toDots(def.graphic.x_mm);
      const gy = toDots(def.graphic.y_mm);
      const ring = fiducialRing(gx, gy, patternDots);
      const box = ring.box;
      if (box.x < 0 || box.y < 0 || box.x + box.size > width || box.y + box.size > height) {
        throw new RangeError(
          `the secure graphic with its fiducial markers (${box.size}×${box.size} dots at ${box.x},${box.y}) ` +
            `does not fit inside the ${width}×${height}-dot canvas; it needs ` +
            `${((ring.markerSize + ring.gap) / dpi) * MM_PER_INCH} mm of room around the pattern`,
        );
      }
      if (overlaps(box, qrSquare)) {
        throw new RangeError(
          'the secure graphic with its fiducial markers overlaps the QR code (including its quiet zone)',
        );
      }
      return {
        ...base,
        width,
        height,
        qrOrigin: { x: qrSquare.x + quiet, y: qrSquare.y + quiet },
        hole: null,
        graphic: planned(gx, gy, spec.cells, spec),
        fiducials: ring.markers,
      };
    }
  }
}
