import { describe, expect, it } from 'vitest';
import { secureRandom } from '../../shared/random.js';
import { SCAN_ID_PATTERN, scanIdFactory } from './scan-id.js';

describe('scan ids', () => {
  it('are 26 base-32 characters that sort by time, and unique', () => {
    let now = Date.UTC(2026, 11, 1, 3, 0, 0);
    const next = scanIdFactory({ now: () => new Date(now) }, secureRandom);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 100 === 0) now += 1;
      ids.push(next());
    }
    for (const id of ids) expect(id).toMatch(SCAN_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids); // strictly increasing, within a millisecond too
    expect(ids[0]!.slice(0, 10)).not.toBe(ids[ids.length - 1]!.slice(0, 10));
  });
});
