/** The fields of the API's work-order object the client reads (the rest is printed as is with --json). */
export interface Workorder {
  id: number;
  type: 'SSC' | 'SID';
  state: string;
  reference: string;
  quantity: number;
  creation_date: string;
  codegen_status: number;
  codegen_file: string | null;
  codegen_file_sha256?: string | null;
  codegen_progress: { codes_generated: number; images_rendered: number; percent: number };
  codegen_error: string | null;
  company: { id: number; name: string } | null;
  printing_partner: { id: number; name: string } | null;
  equipment: { id: number; name: string } | null;
  substrate: { id: number; name: string } | null;
  product: { id: number; sku: string } | null;
  template: number | null;
  code_layout: string | null;
  external_id: string;
  remarks: string;
  is_archived: boolean;
}

/** `codegen_status` values (see the API's work-order schema). */
export const CODEGEN_STATUS_NAMES: Record<number, string> = {
  1: 'awaiting confirmation',
  3: 'canceled',
  4: 'generated',
  5: 'failed',
  6: 'generating',
};
