import { describe, expect, it } from 'vitest';
import { secureRandom } from '../../shared/random.js';
import { scanIdFactory } from '../scans/scan-id.js';
import { scanTimeOf } from './scan-time.js';

describe('scanTimeOf', () => {
  it('reads back the time a scan id was drawn at', () => {
    for (const ms of [0, 1, 1_767_225_600_123, 2 ** 50 - 1]) {
      const id = scanIdFactory({ now: () => new Date(ms) }, secureRandom)();
      expect(scanTimeOf(id)).toBe(ms);
    }
  });

  it('is null for anything that is not a scan id', () => {
    for (const id of ['', 'abc', '01JABCDEFGHJKMNPQRSTVWXYZ', '01JABCDEFGHJKMNPQRSTVWXYZU', '01jabcdefghjkmnpqrstvwxyz0']) {
      expect(scanTimeOf(id)).toBeNull();
    }
  });
});
