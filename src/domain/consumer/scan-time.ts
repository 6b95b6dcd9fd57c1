import { SCAN_ID_PATTERN } from '../scans/scan-id.js';

/** Crockford's base 32, as scan ids write it (see domain/scans/scan-id.ts). */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;

/** When a scan was taken, in ms since 1970, read from its id's first ten characters; null for no scan id. */
export function scanTimeOf(scanId: string): number | null {
  if (!SCAN_ID_PATTERN.test(scanId)) return null;
  let time = 0;
  for (let i = 0; i < TIME_CHARS; i++) time = time * 32 + BASE32.indexOf(scanId[i]!);
  return time;
}
