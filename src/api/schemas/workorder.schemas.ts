import { Type, type TSchema } from 'typebox';
import {
  CODE_LAYOUTS, CODEGEN_STATUS_VALUES, EXTENDED_ID_STYLES, MAX_QUANTITY, PARTNER_PERMISSIONS, WORKORDER_STATES,
} from '../../domain/workorders/workorder.types.js';
import { Nullable, PageQuery } from './common.schemas.js';
import { BrandSchema, CompanySchema, EquipmentSchema, ProductSchema, SubstrateSchema } from './company.schemas.js';
import { CONFIRM_EXAMPLE, CREATE_SG_EXAMPLE, CREATE_SID_EXAMPLE } from './examples.js';

const NullableEnum = (values: readonly string[], description: string) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], enum: [...values, null], description });
const Id = (description: string) => Nullable(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description }));
const Flag = (description: string) => Nullable(Type.Boolean({ description }));
const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

const Data = Nullable(Type.Object({
  remarks: opt(Nullable(Type.String({ maxLength: 10_000 }))),
  activate_on_complete: opt(Flag('Same as the top-level attribute.')),
  static_unique_codes_quantity: opt(Nullable(Type.Integer({ minimum: 0, maximum: MAX_QUANTITY }))),
}));

const common = {
  product: opt(Nullable(Type.String({ maxLength: 255, description: 'Product SKU of the caller\'s company.' }))),
  template: opt(Id('Work-order template id (GET /api/v2/workorders/templates/).')),
  remarks: opt(Nullable(Type.String({ maxLength: 10_000 }))),
  activate_on_complete: opt(Flag('Activate the codes when the order completes (default false).')),
  extended_id_style: opt(NullableEnum(EXTENDED_ID_STYLES, '"legacy" (default) or "compact-12".')),
  use_serial_number: opt(Flag('Add a serial number to every code (default true).')),
  url_prefix: opt(Nullable(Type.String({ maxLength: 200, description: 'Code URL = url_prefix + extended_id (default: the server\'s prefix).' }))),
  due_date: opt(Nullable(Type.String({ maxLength: 40, description: 'ISO-8601 date or date-time.' }))),
  data: opt(Data),
};

const sgOnly = {
  substrate: opt(Id('Substrate id of the printing partner.')),
  code_layout: opt(NullableEnum(CODE_LAYOUTS, 'Required unless the template sets it.')),
  custom_layout: opt(Id('Custom layout id; required when code_layout is "custom".')),
  is_hybrid: opt(Flag('Hybrid printing (default false).')),
  template_image: opt(Flag('Whether there is a template image (default null).')),
  is_fp_serialized: opt(Flag('One secure graphic per code (default true); false = one graphic for the whole order.')),
  is_static_print: opt(Flag('Static print (default false).')),
  static_unique_codes_quantity: opt(Nullable(Type.Integer({ minimum: 0, maximum: MAX_QUANTITY }))),
  printing_partner: opt(Id('Company id of the printing partner; required unless the template sets it.')),
  partner_permissions: opt(Nullable(Type.Array(Type.String({ enum: [...PARTNER_PERMISSIONS] }), { maxItems: 10 }))),
};

const quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY, description: `Number of codes, 1 … ${MAX_QUANTITY}.` });
const reference = Type.String({ minLength: 1, maxLength: 255, description: 'Your reference; unique per company.' });

export const CreateSgBody = Type.Object({ ...common, ...sgOnly, quantity, reference }, { examples: [CREATE_SG_EXAMPLE] });
export const CreateSidBody = Type.Object({ ...common, quantity, reference }, { examples: [CREATE_SID_EXAMPLE] });
export const UpdateBody = Type.Object({ ...common, ...sgOnly, quantity: opt(quantity), reference: opt(reference) });

export const ConfirmBody = Type.Object({
  equipment: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'Equipment (press) id of the printing partner.' }),
  substrate: opt(Id('Substrate id, calibrated for the equipment; may be omitted if the order names one.')),
  external_id: opt(Nullable(Type.String({ maxLength: 255 }))),
}, { examples: [CONFIRM_EXAMPLE] });

export const ListQuery = Type.Object({
  ...PageQuery,
  is_archived: opt(Type.String({ enum: ['0', '1', 'true', 'false', 'True', 'False'], description: '0 (default): not archived; 1: archived.' })),
  search: opt(Type.String({ maxLength: 200, description: 'Matches reference and remarks.' })),
  state: opt(Type.String({ enum: [...WORKORDER_STATES] })),
  codegen_status: opt(Type.Integer({ enum: [...CODEGEN_STATUS_VALUES] })),
  printing_partner: opt(Type.Integer({ minimum: 1 })),
});

const open = { additionalProperties: true } as const;

export const WorkorderSchema = Type.Object({
  id: Type.Integer(),
  type: Type.String({ enum: ['SSC', 'SID'] }),
  company: Nullable(CompanySchema),
  printing_partner: Nullable(CompanySchema),
  equipment: Nullable(EquipmentSchema),
  state: Type.String({ enum: [...WORKORDER_STATES] }),
  due_date: Nullable(Type.String()),
  reference: Type.String(),
  creation_date: Type.String(),
  code_layout: Nullable(Type.String()),
  use_serial_number: Type.Boolean(),
  static_unique_codes_quantity: Type.Integer(),
  quantity: Type.Integer(),
  is_ready_to_print: Type.Boolean(),
  date_codes_completed: Nullable(Type.String()),
  is_archived: Type.Boolean(),
  codegen_status: Type.Integer({ description: '1 awaiting confirmation, 6 generating, 4 generated, 5 failed, 3 canceled' }),
  codegen_file: Nullable(Type.String({ format: 'uri' })),
  codegen_file_sha256: Nullable(Type.String({
    pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the zip behind `codegen_file` (hex), to check a download against (Sigil\'s addition).',
  })),
  codegen_file_removed_date: Nullable(Type.String({
    description: 'When archive retention (SIGIL_ARCHIVE_RETENTION_DAYS) removed the zip: `codegen_file` is then null and a download '
      + 'answers 410; the codes, their statuses and the serial-number CSV stay (Sigil\'s addition).',
  })),
  codegen_progress: Type.Object({
    codes_generated: Type.Integer(), images_rendered: Type.Integer(), percent: Type.Number(),
  }),
  codegen_error: Nullable(Type.String({ description: 'Why generation failed (codegen_status 5), else null (Sigil addition)' })),
  data: Type.Object({
    remarks: Type.String(), static_unique_codes_quantity: Type.Integer(), activate_on_complete: Type.Boolean(),
  }, open),
  product: Nullable(ProductSchema),
  brand: Nullable(BrandSchema),
  remarks: Type.String(),
  printed_date: Nullable(Type.String()),
  completed_date: Nullable(Type.String()),
  canceled_date: Nullable(Type.String()),
  has_secure_workflow: Type.Boolean(),
  static_impositions: Type.Integer(),
  designer: Type.Null(),
  external_id: Type.String(),
  is_fingerprint_trained: Type.Boolean(),
  substrate: Nullable(SubstrateSchema),
  template: Nullable(Type.Integer()),
  custom_layout: Nullable(Type.Integer()),
  template_image: Nullable(Type.Boolean()),
  is_hybrid: Type.Boolean(),
  is_static_print: Type.Boolean(),
  is_fp_serialized: Type.Boolean(),
  url_prefix: Type.String(),
  extended_id_style: Type.String(),
  partner_permissions: Type.Array(Type.String()),
});

export const TemplateSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  company: Type.Integer(),
  custom_layout: Nullable(Type.Integer()),
  substrate: Nullable(Type.Integer()),
  substrate_name: Type.String(),
  printing_partner: Nullable(Type.Integer()),
  image: Nullable(Type.String()),
  code_layout: Nullable(Type.String()),
  use_serial_number: Nullable(Type.Boolean()),
  is_hybrid: Nullable(Type.Boolean()),
  is_fp_serialized: Nullable(Type.Boolean()),
  is_static_print: Nullable(Type.Boolean()),
  is_archived: Type.Boolean(),
  activate_on_complete: Nullable(Type.Boolean()),
  url_prefix: Type.String(),
  extended_id_style: Nullable(Type.String()),
  partner_permissions: Type.Array(Type.String()),
  size_mm: Nullable(Type.Number()),
  graphic_cells: Nullable(Type.Integer()),
  image_format: Type.Union([Type.Literal('png'), Type.Literal('svg'), Type.Literal('none')], {
    description: 'Per-code images in the archive: png, svg, or none (codes.csv and manifest.json only).',
  }),
});

export { BrandSchema };
