import { AppError } from '../shared/app-error.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A query's date or date-time as a stored timestamp (ISO-8601, microseconds, UTC): a date alone means
 * its first microsecond, or its last one for an upper bound. Throws a 400 on `field` otherwise.
 */
export function timestampBound(field: string, value: string, end: boolean): string {
  if (DATE.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value)) {
    return `${value}T${end ? '23:59:59.999999' : '00:00:00.000000'}Z`;
  }
  if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) {
    return `${new Date(value).toISOString().slice(0, 23)}${end ? '999' : '000'}Z`;
  }
  throw AppError.field(field, 'Enter a valid date or date-time (ISO 8601).');
}

/** "from,to" (either end may be empty) or one date (that whole day) or date-time, as stored timestamps. */
export function timestampRange(field: string, text: string): { from?: string; to?: string } {
  const parts = text.includes(',') ? text.split(',').map((p) => p.trim()) : [text.trim(), text.trim()];
  if (parts.length !== 2 || (parts[0] === '' && parts[1] === '')) throw AppError.field(field, 'Enter a valid date, date-time, or range "from,to".');
  const from = parts[0] === '' ? undefined : timestampBound(field, parts[0]!, false);
  const to = parts[1] === '' ? undefined : timestampBound(field, parts[1]!, true);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
