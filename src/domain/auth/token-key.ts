import { createHash } from 'node:crypto';
import { randomAlphanumeric, type Random } from '../../shared/random.js';

/** UAT keys: 40 random characters of [0-9A-Za-z] (≈238 bits), shown once, stored as SHA-256 only. */
export const TOKEN_KEY_LENGTH = 40;

export function newTokenKey(random: Random): string {
  return randomAlphanumeric(random, TOKEN_KEY_LENGTH);
}

export function hashTokenKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
