import type { CodeTransactionRow } from '../../db/tables/code-transactions.table.js';
import type { StoredConstraints } from '../../domain/scm/scm.types.js';

/** The stored constraints in the request's words. */
function constraintsOf(row: CodeTransactionRow): Record<string, unknown> {
  // A sync upload stores its items as sent; a task its StoredConstraints.
  if (row.kind === 'sync') return JSON.parse(row.constraints) as Record<string, unknown>;
  const stored = JSON.parse(row.constraints) as StoredConstraints;
  if (stored.kind === 'workorder') return { workorder: stored.workorder, sequence_from: stored.sequenceFrom, sequence_to: stored.sequenceTo };
  return { [stored.dataKey]: stored.values };
}

/** A code transaction (SCM task) as the API shows it. */
export function presentTask(row: CodeTransactionRow, usernames: Map<number, string>) {
  return {
    id: row.id,
    task_id: row.id,
    kind: row.kind,
    state: row.state,
    reference: row.reference,
    company: row.company_id,
    constraints: constraintsOf(row),
    scm_data: JSON.parse(row.scm_data) as Record<string, unknown>,
    codes_total: row.codes_total,
    codes_processed: row.codes_processed,
    codes_affected: row.codes_affected,
    codes_skipped: row.codes_skipped,
    created_by: { id: row.created_by_user_id, username: usernames.get(row.created_by_user_id) ?? '' },
    creation_date: row.creation_date,
    started_at: row.started_at,
    completed_at: row.completed_at,
    error: row.error,
  };
}
