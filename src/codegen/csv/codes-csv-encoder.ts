import { codesCsvRow, csvField } from './codes-csv.js';

/** One code's line of codes.csv, its URL being the order's prefix followed by its extended ID. */
export interface CodesCsvLine {
  extended_id: string;
  serial_number: string | null;
  sequence_number: number;
  batch_number: number;
}

/** Bytes a line takes beyond its strings: four commas, a newline, and two safe integers (at most 16 digits). */
const LINE_OVERHEAD = 5 + 2 * 16;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * The lines of codes.csv for codes of one order, as UTF-8 bytes: the same bytes as joining
 * {@link codesCsvRow} of each, written straight into one buffer. A batch's 20 000 lines as one string
 * cost a rope of 100 000 pieces, its flattening and its encoding (≈ 1.5 µs a code with the garbage they
 * leave); here each character is copied once. Fields that need quoting or are not ASCII (IDs and serials
 * never are, in practice) take the general path, line by line.
 */
export function encodeCodesCsvLines(urlPrefix: string, lines: readonly CodesCsvLine[], header = ''): Buffer {
  const prefix = Buffer.from(urlPrefix, 'utf8');
  // A prefix that needs quoting makes every URL field quoted: the general path throughout.
  const prefixPlain = csvField(urlPrefix) === urlPrefix;
  let out: Buffer = Buffer.allocUnsafe(Buffer.byteLength(header) + lines.length * (LINE_OVERHEAD + prefix.length + 2 * 21 + 10));
  let at = out.write(header, 0);
  for (const line of lines) {
    const id = line.extended_id;
    const serial = line.serial_number ?? '';
    const room = LINE_OVERHEAD + prefix.length + 2 * id.length + serial.length;
    if (at + room > out.length) out = grow(out, at, room);
    let end = prefixPlain ? writePlainAscii(out, at, id) : -1;
    if (end >= 0) {
      out[end++] = COMMA;
      end = writePlainAscii(out, end, serial);
    }
    if (end >= 0) {
      out[end++] = COMMA;
      end = writeDigits(out, end, line.sequence_number);
      out[end++] = COMMA;
      end = writeDigits(out, end, line.batch_number);
      out[end++] = COMMA;
      end += prefix.copy(out, end);
      end = writePlainAscii(out, end, id); // plain: checked above
      out[end++] = NEWLINE;
      at = end;
      continue;
    }
    const text = codesCsvRow({
      extendedId: id, serialNumber: line.serial_number, sequenceNumber: line.sequence_number,
      batchNumber: line.batch_number, url: urlPrefix + id,
    });
    const bytes = Buffer.byteLength(text);
    if (at + bytes > out.length) out = grow(out, at, bytes);
    at += out.write(text, at);
  }
  return out.subarray(0, at);
}

/**
 * Copies `text` when every character is printable ASCII other than the comma and the double quote
 * (no quoting needed, one byte each) and returns the offset after it; -1 otherwise.
 */
function writePlainAscii(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === COMMA || c === QUOTE) return -1;
    out[at + i] = c;
  }
  return at + text.length;
}

/** Writes a non-negative integer in decimal (as `String(value)` would) and returns the offset after it. */
function writeDigits(out: Buffer, at: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a sequence or batch number: ${value}`);
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let i = at + digits - 1, rest = value; i >= at; i--, rest = Math.floor(rest / 10)) out[i] = 0x30 + (rest % 10);
  return at + digits;
}

function grow(out: Buffer, used: number, needed: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, used + needed));
  out.copy(bigger, 0, 0, used);
  return bigger;
}
