import type { DocumentRow } from '../../db/tables/documents.table.js';
import { exportJobKey } from '../../jobs/job-types.js';

export function presentDocument(row: DocumentRow) {
  const { scope: _scope, ...filters } = JSON.parse(row.filters) as Record<string, unknown>;
  return {
    key: row.key,
    kind: row.kind,
    state: row.state,
    task: exportJobKey(row.key),
    filters,
    row_count: row.row_count,
    size: row.size,
    creation_date: row.creation_date,
    started_at: row.started_at,
    completed_at: row.completed_at,
    error: row.error,
  };
}
