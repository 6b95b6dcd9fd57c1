import { AppError, FieldErrorCollector } from '../../shared/app-error.js';
import type { TemplateSpec } from './admin.service.js';

type Kind = 'integer' | 'number' | 'string' | 'boolean' | 'string list';

/** Every key `sigil template create --file` accepts, with the JSON type of its value (null allowed where the spec allows it). */
const FIELDS: Readonly<Record<keyof TemplateSpec, { kind: Kind; nullable: boolean }>> = {
  company: { kind: 'integer', nullable: false },
  name: { kind: 'string', nullable: false },
  description: { kind: 'string', nullable: false },
  code_layout: { kind: 'string', nullable: true },
  custom_layout: { kind: 'integer', nullable: true },
  substrate: { kind: 'integer', nullable: true },
  printing_partner: { kind: 'integer', nullable: true },
  use_serial_number: { kind: 'boolean', nullable: true },
  is_hybrid: { kind: 'boolean', nullable: true },
  is_fp_serialized: { kind: 'boolean', nullable: true },
  is_static_print: { kind: 'boolean', nullable: true },
  activate_on_complete: { kind: 'boolean', nullable: true },
  url_prefix: { kind: 'string', nullable: true },
  extended_id_style: { kind: 'string', nullable: true },
  partner_permissions: { kind: 'string list', nullable: true },
  size_mm: { kind: 'number', nullable: true },
  graphic_cells: { kind: 'integer', nullable: true },
  image_format: { kind: 'string', nullable: true },
};

const KNOWN = Object.keys(FIELDS).join(', ');

const MESSAGES: Record<Kind, string> = {
  integer: 'A valid integer is required.',
  number: 'A valid number is required.',
  string: 'Not a valid string.',
  boolean: 'Must be a valid boolean.',
  'string list': 'Expected a list of strings.',
};

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    case 'string list': return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

/**
 * The template attributes of a `--file` (already parsed JSON) merged with the flags (set ones win):
 * an unknown key, a value of the wrong type or a missing `company`/`name` is a field error naming it,
 * so nothing is created from a file that says something Sigil would not apply.
 */
export function templateSpecFrom(file: unknown, flags: Partial<TemplateSpec>): TemplateSpec {
  if (file !== undefined && (typeof file !== 'object' || file === null || Array.isArray(file))) {
    throw AppError.field('file', 'Expected a JSON object of template attributes.');
  }
  const errors = new FieldErrorCollector();
  for (const [key, value] of Object.entries(file ?? {})) {
    const field = (FIELDS as Record<string, { kind: Kind; nullable: boolean } | undefined>)[key];
    if (!field) errors.add(key, `Unknown field. Known: ${KNOWN}.`);
    else if (value === null ? !field.nullable : !hasKind(value, field.kind)) {
      errors.add(key, value === null ? 'This field may not be null.' : MESSAGES[field.kind]);
    }
  }
  const spec: Record<string, unknown> = { ...(file as object | undefined) };
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) spec[key] = value;
  if (spec.company === undefined) errors.add('company', 'This field is required (--company or "company" in the file).');
  if (spec.name === undefined) errors.add('name', 'This field is required (--name or "name" in the file).');
  errors.throwIfAny();
  return spec as unknown as TemplateSpec;
}
