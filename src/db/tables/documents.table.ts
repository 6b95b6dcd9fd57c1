import type { Insertable, Selectable } from 'kysely';

export type DocumentState = 'pending' | 'in-progress' | 'complete' | 'failed';

/** A file built in the background for download (a code data export). */
export interface DocumentsTable {
  /** Random, 12 characters: names the document in URLs. */
  key: string;
  /** The company whose data it holds (the requester's). */
  company_id: number;
  created_by_user_id: number;
  kind: 'codes';
  /** JSON: the filters it was asked with. */
  filters: string;
  state: DocumentState;
  row_count: number | null;
  blob_key: string | null;
  size: number | null;
  error: string | null;
  creation_date: string;
  started_at: string | null;
  completed_at: string | null;
}

export type DocumentRow = Selectable<DocumentsTable>;
export type NewDocumentRow = Insertable<DocumentsTable>;
