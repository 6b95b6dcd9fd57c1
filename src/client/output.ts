/** How a command prints: `--json` prints the API's JSON as is; otherwise compact tables and lines. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export type Column<T> = [header: string, cell: (row: T) => unknown];

const text = (value: unknown): string => (value === null || value === undefined || value === '' ? '-' : String(value));

/** A table with a header row, columns padded to their widest cell; "(none)" for no rows. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = [columns.map(([header]) => header), ...rows.map((row) => columns.map(([, cell]) => text(cell(row))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]?.length ?? 0)));
  return cells.map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

/** `label: value` lines, labels aligned. */
export function formatFields(fields: ReadonlyArray<[label: string, value: unknown]>): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${text(value)}`).join('\n') + '\n';
}

/** Prints a DRF page: its JSON with --json, else the table and, when there is more, the range shown. */
export function printPage<T>(page: { count: number; results: T[] }, offset: number, json: boolean, columns: readonly Column<T>[]): void {
  if (json) return printJson(page);
  process.stdout.write(formatTable(page.results, columns));
  if (page.count > page.results.length) {
    const first = page.results.length === 0 ? offset : offset + 1;
    process.stdout.write(`(${first}-${offset + page.results.length} of ${page.count}; see --limit and --offset)\n`);
  }
}
