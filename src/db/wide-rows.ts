import { sql, type AliasedRawBuilder } from 'kysely';

/**
 * How a hot query reads wide rows (tens of columns): `select(columns)` is its SELECT list and `decode`
 * turns what the driver returns back into objects with those columns. A port of the dialect, so that
 * repositories never ask which engine they run on.
 */
export interface WideRows {
  select(columns: readonly WideColumn[]): ReadonlyArray<string | AliasedRawBuilder<unknown, string>>;
  decode<R>(rows: readonly unknown[], columns: readonly WideColumn[]): R[];
}

/** A column of a wide read: what to select (`table.column`) and the key it gets in the decoded row (a plain identifier). */
export interface WideColumn {
  ref: string;
  key: string;
}

/** The columns as they are: the driver decodes each value (PostgreSQL's wire protocol already sends rows whole). */
export const plainWideRows: WideRows = {
  select: (columns) => columns.map(({ ref, key }) => `${ref} as ${key}`),
  decode: <R>(rows: readonly unknown[]) => rows as R[],
};

/**
 * SQLite: each row travels as one JSON array built by SQLite (`json_array(c1, c2, …)`), parsed by
 * `JSON.parse`. better-sqlite3 makes a JavaScript value and an object property per column, which for the
 * work-order list (20 rows × 42 columns) costs ≈ 200 µs of CPU; one string per row, JSON.parse and an
 * object literal take ≈ 60 µs. For INTEGER and TEXT columns only: SQLite writes a REAL with 15
 * significant digits and refuses a BLOB in JSON.
 */
export const jsonArrayWideRows: WideRows = {
  select: (columns) => [sql`json_array(${sql.join(columns.map((column) => sql.ref(column.ref)))})`.as('row_json')],
  decode: <R>(rows: readonly unknown[], columns: readonly WideColumn[]) => {
    const build = rowBuilder(columns);
    return rows.map((row) => build(JSON.parse((row as { row_json: string }).row_json) as unknown[]) as R);
  },
};

const builders = new WeakMap<readonly WideColumn[], (values: unknown[]) => object>();
const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * An object literal of `columns` from an array of values, generated once per column list: one shape
 * for every row, where assigning computed keys one by one costs half as much again (measured 60 vs 91 µs
 * for the list's page). Column names are the repositories' constants, checked to be plain identifiers.
 */
function rowBuilder(columns: readonly WideColumn[]): (values: unknown[]) => object {
  let build = builders.get(columns);
  if (!build) {
    for (const { key } of columns) if (!COLUMN_NAME.test(key)) throw new Error(`not a plain column name: ${key}`);
    // Generated code from trusted identifiers only (checked above).
    build = new Function('v', `return { ${columns.map(({ key }, i) => `${key}: v[${i}]`).join(', ')} };`) as (values: unknown[]) => object;
    builders.set(columns, build);
  }
  return build;
}
