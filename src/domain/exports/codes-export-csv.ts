import type { ExportedCode } from '../../db/repositories/code-export.repository.js';
import { csvField } from '../../codegen/csv/codes-csv.js';

/** The reference's code-data fields, plus Sigil's scan_count. */
export const CODE_EXPORT_HEADER = 'extended_id,serial_number,brand,product,sku,status,blacklist_reason,activated_by,activated_at,workorder_id,scan_count\n';

/** What every line of one order repeats. */
export interface ExportOrder {
  brand: string | null;
  product: string | null;
  sku: string | null;
}

export function codeExportLine(code: ExportedCode, order: ExportOrder): string {
  const f = (value: string | null) => (value === null ? '' : csvField(value));
  return `${code.extended_id},${f(code.serial_number)},${f(order.brand)},${f(order.product)},${f(order.sku)},${code.status},`
    + `${code.blacklist_reason},${f(code.activated_by)},${code.activated_at ?? ''},${code.workorder_id},${code.scan_count}\n`;
}
