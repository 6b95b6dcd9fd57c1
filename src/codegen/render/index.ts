export type {
  ArchiveImageFormat,
  CodeLayout,
  DotPoint,
  DotSquare,
  FiducialMarker,
  GraphicSpec,
  ImageFormat,
  PlannedGraphic,
  QrHole,
  RenderInput,
  RenderPlan,
} from './types.js';
export { ARCHIVE_IMAGE_FORMATS, CODE_LAYOUTS, IMAGE_FORMATS } from './types.js';
export { CustomLayoutError, parseCustomLayoutDefinition, type CustomLayoutDefinition } from './custom-layout.js';
export { planRender, QUIET_ZONE_MODULES } from './plan-render.js';
export {
  renderCodeBitmap,
  renderCodeImage,
  renderCodeImageFromQr,
  renderCodePacked,
  renderCodePng,
  renderCodeScanlines,
  renderCodeSvg,
  type CodeBitmap,
  type CodeScanlines,
  type PackedCodeImage,
  type QrModules,
  type RenderedCodeImage,
} from './render-code.js';
