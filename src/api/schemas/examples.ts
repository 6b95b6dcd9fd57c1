/**
 * Examples for the OpenAPI document, taken from the demo seed (`sigil admin seed-demo`) and the README's
 * curl walk-through: the seed's brand owner creates order "Tk-022" for product P2 with the SG template,
 * the seed's printing partner confirms it with its press and paper. Ids are those of a fresh seed.
 */

const SEED = { brandOwner: 1, partner: 2, template: 1, substrate: 1, equipment: 1 } as const;

export const CREATE_SG_EXAMPLE = {
  product: 'P2', template: SEED.template, quantity: 10, remarks: 'remarks 1', activate_on_complete: true, extended_id_style: 'legacy',
  substrate: SEED.substrate, code_layout: 'sg-outside', use_serial_number: true, is_hybrid: false, template_image: null,
  is_fp_serialized: false, is_static_print: false, static_unique_codes_quantity: 0, printing_partner: SEED.partner, reference: 'Tk-022',
};

export const CREATE_SID_EXAMPLE = { reference: 'Tk-023', quantity: 1000, activate_on_complete: true };

export const CONFIRM_EXAMPLE = { substrate: SEED.substrate, equipment: SEED.equipment, external_id: 'tk_001' };

const company = (id: number, name: string, slug: string, type: string) => ({
  id, uuid: `0190f1a2-7c3e-7d4a-9b1e-00000000000${id}`, name, slug, company_type: type, address: '', country: 'CH', city: '', website: '',
  creation_date: '2025-01-06T09:00:00.000Z', has_secure_workflow: false, serial_number_format: '', is_validated: true, encryption_key: '',
  company_workflow_survey: {}, workflow_survey: {},
});
const brand = { id: 1, name: 'Demo Brand', reference: null, image: null };

/** The reply to CREATE_SG_EXAMPLE: new, waiting for the printing partner's confirmation (codegen_status 1). */
export const WORKORDER_EXAMPLE = {
  id: 1,
  type: 'SSC',
  company: company(SEED.brandOwner, 'Demo Brand', 'demo-brand', 'brand_owner'),
  printing_partner: company(SEED.partner, 'Demo Print', 'demo-print', 'printing_partner'),
  equipment: null,
  state: 'new',
  due_date: null,
  reference: 'Tk-022',
  creation_date: '2025-01-06T09:30:00.000Z',
  code_layout: 'sg-outside',
  use_serial_number: true,
  static_unique_codes_quantity: 0,
  quantity: 10,
  is_ready_to_print: false,
  date_codes_completed: null,
  is_archived: false,
  codegen_status: 1,
  codegen_file: null,
  codegen_file_sha256: null,
  codegen_file_removed_date: null,
  codegen_progress: { codes_generated: 0, images_rendered: 0, percent: 0 },
  codegen_error: null,
  data: { remarks: 'remarks 1', static_unique_codes_quantity: 0, activate_on_complete: true },
  product: {
    id: 1, sku: 'P2', name: 'Demo Product', description: '', image: null, brand, creation_date: '2025-01-06T09:00:00.000Z', is_archived: false, client_url: null,
  },
  brand,
  remarks: 'remarks 1',
  printed_date: null,
  completed_date: null,
  canceled_date: null,
  has_secure_workflow: false,
  static_impositions: 0,
  designer: null,
  external_id: '',
  is_fingerprint_trained: false,
  substrate: { id: SEED.substrate, name: 'Plain Paper', description: '' },
  template: SEED.template,
  custom_layout: null,
  template_image: null,
  is_hybrid: false,
  is_static_print: false,
  is_fp_serialized: false,
  url_prefix: 'https://sigil.example.com/q/',
  extended_id_style: 'legacy',
  partner_permissions: [],
};
