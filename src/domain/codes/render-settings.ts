import type { Executor } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import type { CalibrationRow, CustomLayoutRow, EquipmentRow, TemplateRow } from '../../db/tables/catalog.table.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import { extendedIdCharset, extendedIdLength, type ExtendedIdStyle } from '../../codegen/ids/extended-id.js';
import {
  parseCustomLayoutDefinition, planRender, type ArchiveImageFormat, type CodeLayout, type ImageFormat, type RenderInput, type RenderPlan,
} from '../../codegen/render/index.js';

/** Print settings Sigil uses where the template does not give them (see README "Rendering"). */
export const RENDER_DEFAULTS = {
  /** SID orders have no press: images are rendered at this resolution. */
  sidDpi: 600,
  sizeMm: { none: 20, 'sg-inside': 12, 'sg-outside': 10, custom: 10 } satisfies Record<CodeLayout, number>,
  graphicCells: 32,
} as const;

export interface RenderSources {
  order: WorkorderRow;
  template: TemplateRow | undefined;
  equipment: EquipmentRow | undefined;
  calibration: CalibrationRow | undefined;
  customLayout: CustomLayoutRow | undefined;
}

/** Turns an order and its press/material/template into the render plan every code of the order shares. */
export function buildRenderPlan(sources: RenderSources): RenderPlan {
  const { order, template, equipment, calibration, customLayout } = sources;
  const layout: CodeLayout = order.kind === 'sid' ? 'none' : (order.code_layout as CodeLayout);
  const urlLength = Buffer.byteLength(order.url_prefix, 'utf8') + extendedIdLength(order.extended_id_style as ExtendedIdStyle);
  const style = order.extended_id_style as ExtendedIdStyle;
  const input: RenderInput = {
    layout,
    urlLength,
    urlShape: { prefix: order.url_prefix, idLength: extendedIdLength(style), idCharset: extendedIdCharset(style) },
    dpi: layout === 'none' ? RENDER_DEFAULTS.sidDpi : requireValue(equipment?.dpi, 'the confirmed equipment'),
    sizeMm: template?.size_mm ?? RENDER_DEFAULTS.sizeMm[layout],
    graphic: layout === 'none' ? null : {
      cells: template?.graphic_cells ?? RENDER_DEFAULTS.graphicCells,
      cellDots: requireValue(calibration?.cell_size_dots, 'the equipment/substrate calibration'),
      density: requireValue(calibration?.black_density, 'the equipment/substrate calibration'),
    },
    customLayout: layout === 'custom' ? parseCustomLayoutDefinition(JSON.parse(requireValue(customLayout?.definition, 'the custom layout'))) : null,
  };
  return planRender(input);
}

/**
 * How an order's images are drawn (the plan every code shares) and written (the file format); or, when
 * its template asks for no images, nothing to draw: such an order is never planned for rendering, so no
 * press or layout limit can fail it.
 */
export type RenderSettings = { plan: RenderPlan; format: ImageFormat } | { plan: null; format: 'none' };

/** Loads what an order's images depend on (template, press, calibration, custom layout) and plans them. */
export async function loadRenderSettings(db: Executor, order: WorkorderRow): Promise<RenderSettings> {
  const template = order.template_id === null ? undefined : await catalog.findTemplateById(db, order.template_id);
  const format = (template?.image_format ?? 'png') as ArchiveImageFormat;
  if (format === 'none') return { plan: null, format };
  const [equipment, calibration, customLayout] = await Promise.all([
    order.equipment_id === null ? undefined : catalog.findEquipmentById(db, order.equipment_id),
    order.equipment_id === null || order.substrate_id === null ? undefined : catalog.findCalibration(db, order.equipment_id, order.substrate_id),
    order.custom_layout_id === null ? undefined : catalog.findCustomLayoutById(db, order.custom_layout_id),
  ]);
  return { plan: buildRenderPlan({ order, template, equipment, calibration, customLayout }), format };
}

function requireValue<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`cannot render: ${what} is missing`);
  return value;
}
