import { sql, type AliasedRawBuilder } from 'kysely';

/**
 * How a hot query reads wide rows (tens of columns): `select(columns)` is its SELECT list and `decode`
 * turns what the driver returns back into objects with those columns. A port of the dialect, so that
 * repositories never ask which engine they run on.
 */
export interface WideRows {
  select(columns: readonly string[]): ReadonlyArray<string | AliasedRawBuilder<unknown, string>>;
  decode<R>(rows: readonly unknown[], columns: readonly string[]): R[];
}

/** The columns as they are: the driver decodes each value (PostgreSQL's wire protocol already sends rows whole). */
export const plainWideRows: WideRows = {
  select: (columns) => columns,
  decode: <R>(rows: readonly unknown[]) => rows as R[],
};

/**
 * SQLite: each row travels as one JSON array built by SQLite (`json_array(c1, c2, …)`), parsed by
 * `JSON.parse`. better-sqlite3 makes a JavaScript value and an object property per column, which for the
 * work-order list (20 rows × 42 columns) costs ≈ 220 µs of CPU; one string per row and JSON.parse take
 * ≈ 100 µs. For INTEGER and TEXT columns only: SQLite writes a REAL with 15 significant digits and
 * refuses a BLOB in JSON.
 */
export const jsonArrayWideRows: WideRows = {
  select: (columns) => [sql`json_array(${sql.join(columns.map((column) => sql.ref(column)))})`.as('row_json')],
  decode: <R>(rows: readonly unknown[], columns: readonly string[]) => rows.map((row) => {
    const values = JSON.parse((row as { row_json: string }).row_json) as unknown[];
    const object: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) object[columns[i]!] = values[i];
    return object as R;
  }),
};
