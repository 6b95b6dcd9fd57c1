import { randomBytes as cryptoRandomBytes } from 'node:crypto';

/** Source of cryptographically secure random bytes (injected so tests can pin it). */
export interface Random {
  bytes(n: number): Uint8Array;
}

export const secureRandom: Random = { bytes: (n) => cryptoRandomBytes(n) };

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Unbiased random string over [0-9A-Za-z]. */
export function randomAlphanumeric(random: Random, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random.bytes(length * 2)) {
      if (byte < 248) out += ALPHANUMERIC[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * Serves small reads from one large CSPRNG read: drawing millions of IDs one `randomBytes` call at a
 * time is dominated by call overhead. Bytes handed out are never reused.
 */
export function pooledRandomBytes(random: Random, poolSize = 64 * 1024): (n: number) => Uint8Array {
  let pool = random.bytes(poolSize);
  let offset = 0;
  return (n) => {
    if (n > poolSize) return random.bytes(n);
    if (offset + n > pool.length) {
      pool = random.bytes(poolSize);
      offset = 0;
    }
    const out = pool.subarray(offset, offset + n);
    offset += n;
    return out;
  };
}
