import { describe, expect, it } from 'vitest';
import { CODES_CSV_HEADER, codesCsvRow } from './codes-csv.js';
import { encodeCodesCsvLines, type CodesCsvLine } from './codes-csv-encoder.js';
import { xorshift32 } from '../seeded-random.js';
import { generateExtendedId } from '../ids/extended-id.js';

/** The reference: one string per line ({@link codesCsvRow}), joined and encoded. */
function reference(prefix: string, lines: readonly CodesCsvLine[], header = ''): Buffer {
  return Buffer.from(header + lines.map((l) => codesCsvRow({
    extendedId: l.extended_id, serialNumber: l.serial_number, sequenceNumber: l.sequence_number, batchNumber: l.batch_number, url: prefix + l.extended_id,
  })).join(''), 'utf8');
}

describe('codes.csv lines encoded straight into bytes', () => {
  const next = xorshift32(42);
  const random = (n: number) => Uint8Array.from({ length: n }, () => next() & 0xff);
  const codes = (n: number, style: 'legacy' | 'compact-12', serials: boolean): CodesCsvLine[] => Array.from({ length: n }, (_, i) => ({
    extended_id: generateExtendedId(style, random), serial_number: serials ? String(i + 1).padStart(10, '0') : null,
    sequence_number: 19_990 + i, batch_number: Math.ceil((19_990 + i) / 20_000),
  }));

  it('equals the joined lines of codesCsvRow, with and without serials, header and either ID style', () => {
    for (const [prefix, lines, header] of [
      ['https://sigil.example/q/', codes(2000, 'legacy', true), CODES_CSV_HEADER],
      ['HTTPS://QR2.CH/Q/', codes(500, 'legacy', false), ''],
      ['http://127.0.0.1:8000/q/', codes(500, 'compact-12', true), ''],
      ['https://x/', [], CODES_CSV_HEADER],
    ] as const) {
      expect(encodeCodesCsvLines(prefix, lines, header)).toEqual(reference(prefix, lines, header));
    }
  });

  it('quotes as codesCsvRow does: a prefix or fields with commas, quotes or line breaks, and UTF-8 text', () => {
    const odd: CodesCsvLine[] = [
      { extended_id: 'a,b', serial_number: 'say "hi"', sequence_number: 1, batch_number: 1 },
      { extended_id: 'PLAIN', serial_number: 'cr\r', sequence_number: 2, batch_number: 1 },
      { extended_id: 'Ünï', serial_number: '№5', sequence_number: 3, batch_number: 1 },
      { extended_id: 'tab\there', serial_number: '', sequence_number: 4, batch_number: 1 },
      { extended_id: 'PLAIN2', serial_number: null, sequence_number: 9_007_199_254_740_991, batch_number: 0 },
    ];
    for (const prefix of ['https://x.example/q/', 'https://x.example/q,/', 'https://x.example/"q"/', 'https://bücher.example/q/']) {
      expect(encodeCodesCsvLines(prefix, odd, CODES_CSV_HEADER).toString('utf8')).toBe(reference(prefix, odd, CODES_CSV_HEADER).toString('utf8'));
    }
  });

  it('grows its buffer for lines longer than it planned for', () => {
    const long: CodesCsvLine[] = Array.from({ length: 50 }, (_, i) => ({
      extended_id: 'X'.repeat(200 + i), serial_number: 'é'.repeat(100), sequence_number: i + 1, batch_number: 1,
    }));
    expect(encodeCodesCsvLines('https://x/', long)).toEqual(reference('https://x/', long));
  });

  it('refuses numbers that are not sequence or batch numbers', () => {
    expect(() => encodeCodesCsvLines('https://x/', [{ extended_id: 'A', serial_number: null, sequence_number: -1, batch_number: 1 }])).toThrow(RangeError);
    expect(() => encodeCodesCsvLines('https://x/', [{ extended_id: 'A', serial_number: null, sequence_number: 1.5, batch_number: 1 }])).toThrow(RangeError);
  });
});
