import type { Clock } from '../../shared/clock.js';
import { pooledRandomBytes, type Random } from '../../shared/random.js';

/** Crockford's base 32: no I, L, O or U, so an id read aloud or retyped is not misread. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10; // 50 bits: milliseconds since 1970 until the year 37 648
const RANDOM_CHARS = 16; // 80 bits

/**
 * Scan ids: 26 characters, the time in milliseconds then 80 random bits (the ULID layout). Drawn by the
 * process that answers a scan, before its row is written, so the redirect can carry it; time-ordered,
 * so the id index grows at its end and a cursor over ids follows time — strictly increasing within a
 * process (the random part counts up within one millisecond).
 */
export function scanIdFactory(clock: Clock, random: Random): () => string {
  const bytes = pooledRandomBytes(random);
  let lastTime = -1;
  const tail = new Uint8Array(RANDOM_CHARS);
  return () => {
    const now = clock.now().getTime();
    if (now > lastTime) {
      const draw = bytes(RANDOM_CHARS);
      for (let i = 0; i < RANDOM_CHARS; i++) tail[i] = draw[i]! & 31; // 256 is a multiple of 32: unbiased
      lastTime = now;
    } else {
      // Same millisecond (or the clock stepped back): the next id of this process still sorts after the last.
      let i = RANDOM_CHARS - 1;
      while (i >= 0 && tail[i] === 31) tail[i--] = 0;
      if (i >= 0) tail[i]! += 1;
    }
    let time = lastTime;
    let head = '';
    for (let i = 0; i < TIME_CHARS; i++) {
      head = BASE32[time % 32]! + head;
      time = Math.floor(time / 32);
    }
    let text = head;
    for (let i = 0; i < RANDOM_CHARS; i++) text += BASE32[tail[i]!];
    return text;
  };
}

export const SCAN_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
