/** codes.csv of a work-order archive: one line per code, `\n` line endings, RFC 4180 quoting. */

export const CODES_CSV_HEADER = 'extended_id,serial_number,sequence_number,batch_number,url\n';

export interface CodesCsvRow {
  extendedId: string;
  serialNumber: string | null;
  sequenceNumber: number;
  batchNumber: number;
  url: string;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes a field only when it contains a comma, double quote, CR or LF. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function codesCsvRow(row: CodesCsvRow): string {
  return (
    csvField(row.extendedId) +
    ',' +
    (row.serialNumber === null ? '' : csvField(row.serialNumber)) +
    ',' +
    String(row.sequenceNumber) +
    ',' +
    String(row.batchNumber) +
    ',' +
    csvField(row.url) +
    '\n'
  );
}
