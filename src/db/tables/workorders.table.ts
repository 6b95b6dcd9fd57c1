import type { Generated, Insertable, Selectable } from 'kysely';
import type { SqlBool } from './companies.table.js';

export interface WorkordersTable {
  id: Generated<number>;
  company_id: number;
  kind: 'ssc' | 'sid';
  brand_id: number | null;
  product_id: number | null;
  template_id: number | null;
  printing_partner_id: number | null;
  equipment_id: number | null;
  substrate_id: number | null;
  custom_layout_id: number | null;
  reference: string;
  remarks: string;
  state: string;
  codegen_status: number;
  quantity: number;
  code_layout: string | null;
  use_serial_number: SqlBool;
  static_unique_codes_quantity: number;
  static_impositions: number;
  is_hybrid: SqlBool;
  is_static_print: SqlBool;
  is_fp_serialized: SqlBool;
  template_image: SqlBool | null;
  activate_on_complete: SqlBool;
  url_prefix: string;
  extended_id_style: string;
  /** JSON array. */
  partner_permissions: string;
  has_secure_workflow: SqlBool;
  external_id: string;
  due_date: string | null;
  /** Archived by the brand owner (or platform staff): hidden from their default lists. */
  is_archived: SqlBool;
  /** Archived by the printing partner: hidden from the partner's default lists only. */
  partner_is_archived: Generated<SqlBool>;
  is_fingerprint_trained: SqlBool;
  created_by_user_id: number | null;
  creation_date: string;
  updated_date: string;
  confirmed_date: string | null;
  date_codes_completed: string | null;
  printed_date: string | null;
  completed_date: string | null;
  canceled_date: string | null;
  /** Generation progress: codes written to the database. */
  codes_generated: Generated<number>;
  /** Generation progress: images written into the archive being built. */
  images_rendered: Generated<number>;
  /** First serial number of the order's reserved range (set once, at the start of generation). */
  serial_start: number | null;
  /** Random key of the finished archive (part of its file name); null until generated. */
  archive_key: string | null;
  archive_size: number | null;
  /** When archive retention removed the archive's blobs (the codes stay); null while it is downloadable. */
  archive_removed_date: string | null;
  archive_sha256: string | null;
  codegen_error: string | null;
  /** JSON {@link GenerationPlan}: everything the archive depends on, fixed by the plan job. */
  generation_plan: string | null;
  batch_count: number | null;
  /** Batches whose codes and archive fragment are stored; the one that makes it `batch_count` enqueues the assembly. */
  batches_done: Generated<number>;
  /** Blob holding the archive's end: codes.csv, manifest.json and the central directory (after the fragments). */
  archive_tail_key: string | null;
}

/** One batch of ≤ 20 000 codes of an order being generated, and its fragment of the archive once done. */
export interface GenerationBatchesTable {
  workorder_id: number;
  batch_number: number;
  first_sequence: number;
  last_sequence: number;
  /** Blob of the batch's zip entries (local headers and data, no central directory). */
  fragment_key: string | null;
  fragment_size: number | null;
  /**
   * Blob of the batch's central-directory records (offsets from the fragment's start), `directory_size`
   * bytes, followed by its part of codes.csv as raw DEFLATE ending in a sync flush (not final), so that
   * the parts of all batches concatenate into one stream.
   */
  directory_key: string | null;
  directory_size: number | null;
  csv_size: number | null;
  csv_deflated_size: number | null;
  csv_crc32: number | null;
  done_date: string | null;
}

/** An upload started in the blob store and not yet committed: what to discard if its writer never finishes. */
export interface BlobUploadsTable {
  upload_id: string;
  blob_key: string;
  workorder_id: number;
  started_date: string;
}

export interface CodesTable {
  id: Generated<number>;
  workorder_id: number;
  sequence_number: number;
  batch_number: number;
  extended_id: string;
  serial_number: string | null;
  activation_status: number;
  blacklist_reason: number;
  creation_date: string;
  /** Resolver scans written so far (scans still in a process's buffer are not counted yet). */
  scan_count: Generated<number>;
  first_scan_date: string | null;
  last_scan_date: string | null;
  /** When and by whom the code was last activated through an SCM upload. */
  activated_at: string | null;
  activated_by_user_id: number | null;
  /** The last SCM upload that changed the code. */
  scm_updated_at: string | null;
  scm_updated_by_user_id: number | null;
}

export type WorkorderRow = Selectable<WorkordersTable>;
export type NewWorkorderRow = Insertable<WorkordersTable>;
export type CodeRow = Selectable<CodesTable>;
export type GenerationBatchRow = Selectable<GenerationBatchesTable>;
export type NewCodeRow = Insertable<CodesTable>;
