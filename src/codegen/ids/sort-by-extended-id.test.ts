import { describe, expect, it } from 'vitest';
import { xorshift32 } from '../seeded-random.js';
import { generateExtendedId } from './extended-id.js';
import { sortByExtendedId } from './sort-by-extended-id.js';

const byComparison = <T extends { extended_id: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => (a.extended_id < b.extended_id ? -1 : a.extended_id > b.extended_id ? 1 : 0));

describe('sortByExtendedId', () => {
  const next = xorshift32(7);
  const random = (n: number) => Uint8Array.from({ length: n }, () => next() & 0xff);

  it('orders rows as string comparison does, for both ID styles, keeping every row once', () => {
    for (const style of ['legacy', 'compact-12'] as const) {
      const rows = Array.from({ length: 20_000 }, (_, i) => ({ extended_id: generateExtendedId(style, random), sequence_number: i + 1 }));
      const sorted = sortByExtendedId(rows);
      expect(sorted.map((r) => r.extended_id)).toEqual(byComparison(rows).map((r) => r.extended_id));
      expect(new Set(sorted).size).toBe(rows.length);
      expect(rows[0]!.sequence_number).toBe(1); // the input is left as it was
    }
  });

  it('handles duplicates, short and empty IDs, and falls back for other than ASCII', () => {
    const ids = ['B', '', 'AB', 'A', 'AB', 'ZZZ', 'a', '0', 'AA', 'B'];
    expect(sortByExtendedId(ids.map((extended_id) => ({ extended_id }))).map((r) => r.extended_id)).toEqual([...ids].sort());
    const unicode = ['Éa', 'Ab', 'zz', 'É', 'A'];
    expect(sortByExtendedId(unicode.map((extended_id) => ({ extended_id }))).map((r) => r.extended_id)).toEqual([...unicode].sort());
    expect(sortByExtendedId([])).toEqual([]);
  });
});
