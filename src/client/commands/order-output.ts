import { type Column, formatFields, printJson } from '../output.js';
import { countsLabel } from '../wait-for-order.js';
import { CODEGEN_STATUS_NAMES, type Workorder } from '../workorder.js';

const status = (order: Workorder) => CODEGEN_STATUS_NAMES[order.codegen_status] ?? String(order.codegen_status);

export const ORDER_COLUMNS: Column<Workorder>[] = [
  ['ID', (o) => o.id], ['TYPE', (o) => o.type], ['REFERENCE', (o) => o.reference], ['STATE', (o) => o.state],
  ['CODEGEN', status], ['PROGRESS', (o) => `${o.codegen_progress.percent}%`], ['QUANTITY', (o) => o.quantity],
  ['CREATED', (o) => o.creation_date.slice(0, 19).replace('T', ' ')],
];

export function printOrder(order: Workorder, json: boolean): void {
  if (json) return printJson(order);
  const name = (o: { id: number; name: string } | null) => (o ? `${o.name} (${o.id})` : null);
  process.stdout.write(formatFields([
    ['id', order.id], ['type', order.type], ['reference', order.reference], ['state', order.state],
    ['codegen', `${status(order)}, ${countsLabel(order)} (${order.codegen_progress.percent}%)`],
    ['error', order.codegen_error], ['quantity', order.quantity], ['company', name(order.company)],
    ['printing partner', name(order.printing_partner)], ['equipment', name(order.equipment)], ['substrate', name(order.substrate)],
    ['product', order.product?.sku], ['template', order.template], ['code layout', order.code_layout],
    ['external id', order.external_id || null], ['archived', order.is_archived], ['created', order.creation_date],
    ['file', order.codegen_file], ['sha256', order.codegen_file_sha256],
  ]));
}
