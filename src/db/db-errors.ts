/** A unique constraint, as each engine reports it: PostgreSQL by name, SQLite by its columns. */
export interface UniqueConstraint {
  name: string;
  columns: readonly string[];
}

export const WORKORDER_REFERENCE_UNIQUE: UniqueConstraint = {
  name: 'workorders_company_reference_uq',
  columns: ['workorders.company_id', 'workorders.reference'],
};

/** Whether `error` is a violation of `constraint`. Driver error shapes are known here and nowhere else. */
export function isUniqueViolation(error: unknown, constraint: UniqueConstraint): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: pgConstraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === '23505') return pgConstraint === constraint.name; // PostgreSQL unique_violation
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && message === `UNIQUE constraint failed: ${constraint.columns.join(', ')}`;
}

/** Two runs wrote the same part of an order: a sequence number it already has. */
export const CODE_SEQUENCE_UNIQUE: UniqueConstraint = {
  name: 'codes_workorder_sequence_uq',
  columns: ['codes.workorder_id', 'codes.sequence_number'],
};
