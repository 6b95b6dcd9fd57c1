import type { TemplateRow } from '../../db/tables/catalog.table.js';
import type { ImageFormat } from '../../codegen/render/index.js';
import { CODEGEN_STATUS, type WorkorderView } from '../../domain/workorders/workorder.types.js';
import { presentBrand, presentCompany, presentEquipment, presentProduct, presentSubstrate } from './company.presenter.js';

const maybe = <T, R>(value: T | undefined, present: (v: T) => R): R | null => (value === undefined ? null : present(value));
const bool = (value: number | null) => (value === null ? null : value === 1);

/** The work-order object of the reference API (every field of the seed's examples) plus Sigil's progress. */
export function presentWorkorder(view: WorkorderView, publicUrl: string) {
  const { row } = view;
  const downloadable = row.codegen_status === CODEGEN_STATUS.generated && row.archive_key !== null && row.state !== 'canceled'
    && row.archive_removed_date === null;
  const progressTotal = 2 * row.quantity;
  return {
    id: row.id,
    type: row.kind === 'sid' ? 'SID' : 'SSC',
    company: maybe(view.company, presentCompany),
    printing_partner: maybe(view.printingPartner, presentCompany),
    equipment: maybe(view.equipment, presentEquipment),
    state: row.state,
    due_date: row.due_date,
    reference: row.reference,
    creation_date: row.creation_date,
    code_layout: row.code_layout,
    use_serial_number: row.use_serial_number === 1,
    static_unique_codes_quantity: row.static_unique_codes_quantity,
    quantity: row.quantity,
    is_ready_to_print: row.state === 'ready to print',
    date_codes_completed: row.date_codes_completed,
    is_archived: view.isArchived,
    codegen_status: row.codegen_status,
    codegen_file: downloadable ? `${publicUrl}/api/v2/workorders/${row.id}/download/` : null,
    codegen_file_sha256: downloadable ? row.archive_sha256 : null,
    codegen_file_removed_date: row.archive_removed_date,
    codegen_progress: {
      codes_generated: row.codes_generated,
      images_rendered: row.images_rendered,
      // A generated order is done, images or not (an order without images renders none: its count stays 0).
      percent: row.codegen_status === CODEGEN_STATUS.generated ? 100 : Math.floor(((row.codes_generated + row.images_rendered) / progressTotal) * 1000) / 10,
    },
    codegen_error: row.codegen_status === CODEGEN_STATUS.failed ? row.codegen_error : null,
    data: {
      remarks: row.remarks,
      static_unique_codes_quantity: row.static_unique_codes_quantity,
      activate_on_complete: row.activate_on_complete === 1,
    },
    product: view.product ? presentProduct(view.product, view.brand) : null,
    brand: maybe(view.brand, presentBrand),
    remarks: row.remarks,
    printed_date: row.printed_date,
    completed_date: row.completed_date,
    canceled_date: row.canceled_date,
    has_secure_workflow: row.has_secure_workflow === 1,
    static_impositions: row.static_impositions,
    designer: null,
    external_id: row.external_id,
    is_fingerprint_trained: row.is_fingerprint_trained === 1,
    substrate: maybe(view.substrate, presentSubstrate),
    template: row.template_id,
    custom_layout: row.custom_layout_id,
    template_image: bool(row.template_image),
    is_hybrid: row.is_hybrid === 1,
    is_static_print: row.is_static_print === 1,
    is_fp_serialized: row.is_fp_serialized === 1,
    url_prefix: row.url_prefix,
    extended_id_style: row.extended_id_style,
    partner_permissions: JSON.parse(row.partner_permissions) as string[],
  };
}

export function presentTemplate(row: TemplateRow, substrateName: string) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    company: row.company_id,
    custom_layout: row.custom_layout_id,
    substrate: row.substrate_id,
    substrate_name: substrateName,
    printing_partner: row.printing_partner_id,
    image: row.image,
    code_layout: row.code_layout,
    use_serial_number: bool(row.use_serial_number),
    is_hybrid: bool(row.is_hybrid),
    is_fp_serialized: bool(row.is_fp_serialized),
    is_static_print: bool(row.is_static_print),
    is_archived: row.is_archived === 1,
    activate_on_complete: bool(row.activate_on_complete),
    url_prefix: row.url_prefix ?? '',
    extended_id_style: row.extended_id_style,
    partner_permissions: row.partner_permissions ? (JSON.parse(row.partner_permissions) as string[]) : [],
    size_mm: row.size_mm,
    graphic_cells: row.graphic_cells,
    image_format: row.image_format as ImageFormat,
  };
}
