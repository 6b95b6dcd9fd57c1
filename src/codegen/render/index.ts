export type {
  CodeLayout,
  DotPoint,
  DotSquare,
  FiducialMarker,
  GraphicSpec,
  PlannedGraphic,
  QrHole,
  RenderInput,
  RenderPlan,
} from './types.js';
export { CODE_LAYOUTS } from './types.js';
export { CustomLayoutError, parseCustomLayoutDefinition, type CustomLayoutDefinition } from './custom-layout.js';
export { planRender, QUIET_ZONE_MODULES } from './plan-render.js';
export { renderCodeBitmap, renderCodePng, type CodeBitmap } from './render-code.js';
