import type { Executor } from '../../db/database.js';
import { toSqlBool } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { TemplateRow } from '../../db/tables/catalog.table.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import { FieldErrorCollector } from '../../shared/app-error.js';
import {
  CODE_LAYOUTS, EXTENDED_ID_STYLES, PARTNER_PERMISSIONS, type WorkorderInput,
} from './workorder.types.js';

/** The attribute columns of a work order that creation and editing decide. */
export interface ResolvedAttributes {
  template_id: number | null;
  product_id: number | null;
  brand_id: number | null;
  printing_partner_id: number | null;
  substrate_id: number | null;
  custom_layout_id: number | null;
  reference: string;
  remarks: string;
  quantity: number;
  code_layout: string | null;
  use_serial_number: 0 | 1;
  static_unique_codes_quantity: number;
  is_hybrid: 0 | 1;
  is_static_print: 0 | 1;
  is_fp_serialized: 0 | 1;
  template_image: 0 | 1 | null;
  activate_on_complete: 0 | 1;
  url_prefix: string;
  extended_id_style: string;
  partner_permissions: string;
  due_date: string | null;
}

export interface ResolveContext {
  db: Executor;
  companyId: number;
  kind: 'ssc' | 'sid';
  defaultUrlPrefix: string;
  /** Set when editing: values not sent keep their current value. */
  existing?: WorkorderRow;
}

/** YYYY-MM-DD, optionally with a time and a zone (DRF's accepted date/date-time formats). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_REFERENCE = 255;
const MAX_REMARKS = 10_000;
const MAX_URL_PREFIX = 200;
const invalidPk = (id: number) => `Invalid pk "${id}" - object does not exist.`;
const notAChoice = (value: string) => `"${value}" is not a valid choice.`;
const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** The defaults Sigil applies where neither the request nor the template sets a value (see README). */
const DEFAULTS = {
  use_serial_number: true,
  is_hybrid: false,
  is_fp_serialized: true,
  is_static_print: false,
  activate_on_complete: false,
  extended_id_style: 'legacy',
} as const;

/**
 * Turns a request into work-order columns: request value, else template preset, else current value
 * (when editing), else default. A request value that contradicts the template is an error naming the
 * field. Every problem is reported at once, DRF-style.
 */
export async function resolveAttributes(ctx: ResolveContext, input: WorkorderInput): Promise<ResolvedAttributes> {
  const errors = new FieldErrorCollector();
  const { db, existing } = ctx;

  // --- template -------------------------------------------------------------------------------
  let template: TemplateRow | undefined;
  const templateId = input.template !== undefined ? input.template : existing?.template_id ?? null;
  if (given(templateId)) {
    template = await catalog.findTemplateById(db, templateId);
    if (!template || template.company_id !== ctx.companyId || template.is_archived === 1) {
      errors.add('template', invalidPk(templateId));
      template = undefined;
    } else if (ctx.kind === 'sid' && template.code_layout !== null) {
      errors.add('template', `Template ${templateId} is a secure-graphic template; use create-sg/ with it.`);
    }
  }

  /**
   * request → template preset → existing → fallback, flagging request values that contradict the
   * template. An explicit null resets the attribute (preset, else default) instead of keeping its value.
   */
  function pick<T>(field: string, requested: T | null | undefined, preset: T | null | undefined, current: T | undefined, fallback: T): T {
    const hasPreset = given(preset) && preset !== '';
    if (given(requested)) {
      if (hasPreset && !sameValue(requested, preset)) {
        errors.add(field, `This field is set by template ${template?.id} to ${JSON.stringify(preset)}; omit it or send that value.`);
      }
      return requested;
    }
    if (hasPreset) return preset;
    if (requested === null) return fallback;
    return current !== undefined ? current : fallback;
  }
  const bool = (value: number | null | undefined) => (value === null || value === undefined ? null : value === 1);

  // --- plain attributes -----------------------------------------------------------------------
  const quantity = input.quantity ?? existing?.quantity;
  if (quantity === undefined) errors.add('quantity', 'This field is required.');

  let reference = input.reference !== undefined ? input.reference : existing?.reference;
  if (reference === undefined) errors.add('reference', 'This field is required.');
  else if (reference === null) errors.add('reference', 'This field may not be null.');
  else {
    reference = reference.trim();
    if (reference === '') errors.add('reference', 'This field may not be blank.');
    else if (reference.length > MAX_REFERENCE) errors.add('reference', `Ensure this field has no more than ${MAX_REFERENCE} characters.`);
    else {
      const clash = await workorders.findWorkorderByReference(db, ctx.companyId, reference);
      if (clash && clash.id !== existing?.id) errors.add('reference', 'A work order with this reference already exists.');
    }
  }

  const remarksInput = input.remarks !== undefined ? input.remarks : input.data?.remarks;
  const remarks = remarksInput === undefined ? existing?.remarks ?? '' : remarksInput ?? '';
  if (remarks.length > MAX_REMARKS) errors.add('remarks', `Ensure this field has no more than ${MAX_REMARKS} characters.`);

  const activateRequested = input.activate_on_complete !== undefined ? input.activate_on_complete : input.data?.activate_on_complete;
  const activate = pick('activate_on_complete', activateRequested, bool(template?.activate_on_complete), bool(existing?.activate_on_complete ?? null) ?? undefined, DEFAULTS.activate_on_complete);
  const useSerial = pick('use_serial_number', input.use_serial_number, bool(template?.use_serial_number), bool(existing?.use_serial_number ?? null) ?? undefined, DEFAULTS.use_serial_number);
  const isHybrid = pick('is_hybrid', input.is_hybrid, bool(template?.is_hybrid), bool(existing?.is_hybrid ?? null) ?? undefined, DEFAULTS.is_hybrid);
  const isFpSerialized = pick('is_fp_serialized', input.is_fp_serialized, bool(template?.is_fp_serialized), bool(existing?.is_fp_serialized ?? null) ?? undefined, DEFAULTS.is_fp_serialized);
  const isStaticPrint = pick('is_static_print', input.is_static_print, bool(template?.is_static_print), bool(existing?.is_static_print ?? null) ?? undefined, DEFAULTS.is_static_print);
  const templateImage = input.template_image !== undefined ? input.template_image : bool(existing?.template_image ?? null);
  const staticInput = input.static_unique_codes_quantity !== undefined ? input.static_unique_codes_quantity : input.data?.static_unique_codes_quantity;
  const staticUnique = staticInput === undefined ? existing?.static_unique_codes_quantity ?? 0 : staticInput ?? 0;

  const extendedIdStyle = pick('extended_id_style', input.extended_id_style, template?.extended_id_style, existing?.extended_id_style, DEFAULTS.extended_id_style);
  if (!(EXTENDED_ID_STYLES as readonly string[]).includes(extendedIdStyle)) errors.add('extended_id_style', notAChoice(extendedIdStyle));

  const urlPrefix = pick('url_prefix', input.url_prefix === '' ? null : input.url_prefix, template?.url_prefix, existing?.url_prefix, ctx.defaultUrlPrefix);
  if (urlPrefix.length > MAX_URL_PREFIX) errors.add('url_prefix', `Ensure this field has no more than ${MAX_URL_PREFIX} characters.`);
  else if (!/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(urlPrefix)) errors.add('url_prefix', 'Enter a valid URL prefix such as "https://example.com/q/".');

  const presetPermissions = template?.partner_permissions ? (JSON.parse(template.partner_permissions) as string[]) : null;
  const partnerPermissions = pick('partner_permissions', input.partner_permissions, presetPermissions,
    existing ? (JSON.parse(existing.partner_permissions) as string[]) : undefined, [] as string[]);
  for (const permission of partnerPermissions) {
    if (!(PARTNER_PERMISSIONS as readonly string[]).includes(permission)) errors.add('partner_permissions', notAChoice(permission));
  }

  let dueDate = input.due_date !== undefined ? input.due_date : existing?.due_date ?? null;
  if (given(dueDate)) {
    if (!ISO_DATE.test(dueDate.trim()) || Number.isNaN(Date.parse(dueDate))) errors.add('due_date', 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].');
    else dueDate = dueDate.trim();
  }

  // --- product --------------------------------------------------------------------------------
  let productId = existing?.product_id ?? null;
  let brandId = existing?.brand_id ?? null;
  if (input.product !== undefined) {
    productId = null;
    brandId = null;
    if (given(input.product) && input.product !== '') {
      const product = await catalog.findProductBySku(db, ctx.companyId, input.product);
      if (!product || product.is_archived === 1) errors.add('product', `Product with SKU "${input.product}" does not exist.`);
      else {
        productId = product.id;
        brandId = product.brand_id;
      }
    }
  }

  // --- secure-graphic attributes (SSC only) ---------------------------------------------------
  let codeLayout: string | null = null;
  let printingPartnerId: number | null = null;
  let substrateId: number | null = null;
  let customLayoutId: number | null = null;
  if (ctx.kind === 'ssc') {
    codeLayout = pick('code_layout', input.code_layout, template?.code_layout, existing?.code_layout ?? undefined, null as string | null);
    if (codeLayout === null) errors.add('code_layout', 'This field is required.');
    else if (!(CODE_LAYOUTS as readonly string[]).includes(codeLayout)) errors.add('code_layout', notAChoice(codeLayout));

    printingPartnerId = pick('printing_partner', input.printing_partner, template?.printing_partner_id, existing?.printing_partner_id ?? undefined, null as number | null);
    if (printingPartnerId === null) errors.add('printing_partner', 'This field is required.');
    else {
      const partner = await companies.findCompanyById(db, printingPartnerId);
      if (!partner) errors.add('printing_partner', invalidPk(printingPartnerId));
      else if (partner.company_type !== 'printing_partner') errors.add('printing_partner', `Company ${printingPartnerId} is not a printing partner.`);
    }

    substrateId = pick('substrate', input.substrate, template?.substrate_id, existing?.substrate_id ?? undefined, null as number | null);
    if (substrateId !== null) {
      const substrate = await catalog.findSubstrateById(db, substrateId);
      if (!substrate || substrate.is_archived === 1) errors.add('substrate', invalidPk(substrateId));
      else if (printingPartnerId !== null && substrate.company_id !== printingPartnerId) {
        errors.add('substrate', `Substrate ${substrateId} does not belong to printing partner ${printingPartnerId}.`);
      }
    }

    customLayoutId = pick('custom_layout', input.custom_layout, template?.custom_layout_id, existing?.custom_layout_id ?? undefined, null as number | null);
    if (codeLayout === 'custom') {
      if (customLayoutId === null) errors.add('custom_layout', 'This field is required when code_layout is "custom".');
      else {
        const layout = await catalog.findCustomLayoutById(db, customLayoutId);
        if (!layout || layout.company_id !== ctx.companyId) errors.add('custom_layout', invalidPk(customLayoutId));
      }
    } else if (given(input.custom_layout)) {
      errors.add('custom_layout', 'Only allowed when code_layout is "custom".');
    } else {
      customLayoutId = null;
    }
  }

  errors.throwIfAny();
  return {
    template_id: template?.id ?? null,
    product_id: productId,
    brand_id: brandId,
    printing_partner_id: printingPartnerId,
    substrate_id: substrateId,
    custom_layout_id: customLayoutId,
    reference: reference as string,
    remarks,
    quantity: quantity as number,
    code_layout: codeLayout,
    use_serial_number: toSqlBool(useSerial),
    static_unique_codes_quantity: staticUnique,
    is_hybrid: toSqlBool(isHybrid),
    is_static_print: toSqlBool(isStaticPrint),
    is_fp_serialized: toSqlBool(isFpSerialized),
    template_image: templateImage === null ? null : toSqlBool(templateImage),
    activate_on_complete: toSqlBool(activate),
    url_prefix: urlPrefix,
    extended_id_style: extendedIdStyle,
    partner_permissions: JSON.stringify(partnerPermissions),
    due_date: dueDate,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  return a === b;
}
