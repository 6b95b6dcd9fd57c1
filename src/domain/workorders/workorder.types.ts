import type { CustomLayoutRow, TemplateRow } from '../../db/tables/catalog.table.js';
import type { WorkorderViewRecord } from '../../db/repositories/workorder-views.repository.js';

/** `state` strings, as the reference API spells them. */
export const WORKORDER_STATES = ['new', 'ready to print', 'printed', 'completed', 'canceled'] as const;
export type WorkorderState = (typeof WORKORDER_STATES)[number];

/**
 * `codegen_status` values. 1, 6 and 4 are the reference API's; 3 and 5 are Sigil's additions.
 * 1 — not started: waiting for the printing partner's confirmation (SSC)
 * 6 — generating: confirmed (or SID created), generation queued or running
 * 4 — generated: codes and archive are ready (`codegen_file` is set)
 * 5 — failed: generation failed for good (see server logs); cancel and re-order
 * 3 — canceled: the order was canceled before generation finished
 */
export const CODEGEN_STATUS = { notStarted: 1, canceled: 3, generated: 4, failed: 5, generating: 6 } as const;
export const CODEGEN_STATUS_VALUES = [1, 3, 4, 5, 6] as const;

export const CODE_LAYOUTS = ['sg-inside', 'sg-outside', 'custom'] as const;
export type SgCodeLayout = (typeof CODE_LAYOUTS)[number];
export const EXTENDED_ID_STYLES = ['compact-12', 'legacy'] as const;
export const PARTNER_PERMISSIONS = ['activate_codes'] as const;

export const MAX_QUANTITY = 10_000_000;

/** Code activation status and blacklist reason used by state changes. */
export const ACTIVATION = { inactive: 0, active: 1, blacklisted: 2 } as const;
export const BLACKLIST_REASON_WO_CANCELED = 9;
export const BLACKLIST_REASON_MAX_SCAN_COUNT = 10;

/** Attributes a client may send on create-sg / create-sid / PATCH (already type-coerced by the API schema). */
export interface WorkorderInput {
  product?: string | null;
  template?: number | null;
  quantity?: number;
  reference?: string | null;
  remarks?: string | null;
  activate_on_complete?: boolean | null;
  extended_id_style?: string | null;
  substrate?: number | null;
  code_layout?: string | null;
  custom_layout?: number | null;
  use_serial_number?: boolean | null;
  is_hybrid?: boolean | null;
  template_image?: boolean | null;
  is_fp_serialized?: boolean | null;
  is_static_print?: boolean | null;
  static_unique_codes_quantity?: number | null;
  printing_partner?: number | null;
  url_prefix?: string | null;
  partner_permissions?: string[] | null;
  due_date?: string | null;
  data?: { remarks?: string | null; activate_on_complete?: boolean | null; static_unique_codes_quantity?: number | null } | null;
}

export interface ConfirmInput {
  substrate?: number | null;
  equipment?: number | null;
  external_id?: string | null;
}

/** A work order with the objects the API nests in it (read in one statement). */
export interface WorkorderView extends WorkorderViewRecord {
  /** The viewer's own archive flag (brand side or partner side). */
  isArchived: boolean;
}

export type { TemplateRow, CustomLayoutRow };
