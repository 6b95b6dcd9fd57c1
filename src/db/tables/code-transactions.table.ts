import type { Generated, Insertable, Selectable } from 'kysely';

export type CodeTransactionKind = 'sync' | 'async';
export type CodeTransactionState = 'pending' | 'in-progress' | 'complete' | 'failed';

/** One SCM upload: who changed which codes' status, when, and how far it got (the portal's "code transactions"). */
export interface CodeTransactionsTable {
  id: Generated<number>;
  /** The brand owner whose codes change. */
  company_id: number;
  /** The caller's company: the brand owner itself, a printing partner, or the platform. */
  actor_company_id: number;
  created_by_user_id: number;
  kind: CodeTransactionKind;
  state: CodeTransactionState;
  reference: string | null;
  /** JSON: which codes (`{"extended_id": […]}`, `{"serial_number": […]}` or `{"workorder": id, "sequence_from", "sequence_to"}`). */
  constraints: string;
  /** JSON: what is set (`{"activation_status", "blacklist_reason"}`); a sync upload's per-item values live in `constraints`. */
  scm_data: string;
  codes_total: number | null;
  codes_processed: Generated<number>;
  codes_affected: Generated<number>;
  codes_skipped: Generated<number>;
  progress_cursor: Generated<number>;
  error: string | null;
  creation_date: string;
  started_at: string | null;
  completed_at: string | null;
}

export type CodeTransactionRow = Selectable<CodeTransactionsTable>;
export type NewCodeTransactionRow = Insertable<CodeTransactionsTable>;
