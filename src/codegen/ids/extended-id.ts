/**
 * Extended IDs: the random, unguessable part of every code URL.
 *
 * Pure: randomness enters only through the injected `randomBytes` function, so
 * callers choose the source (crypto.randomFillSync in production, a seeded
 * stream in tests).
 */

export type ExtendedIdStyle = 'compact-12' | 'legacy';

/**
 * The QR character class of an ID style's characters: legacy IDs are [0-9A-Z] throughout (the hybrid
 * MOD 37,36 check character too), so QR alphanumeric; compact-12 IDs have lowercase letters: byte mode.
 */
export function extendedIdCharset(style: ExtendedIdStyle): 'alphanumeric' | 'byte' {
  return style === 'legacy' ? 'alphanumeric' : 'byte';
}

/** Returns `n` fresh uniformly random bytes. */
export type RandomBytes = (n: number) => Uint8Array;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const COMPACT_LENGTH = 12;
const LEGACY_BODY_LENGTH = 20;
const LEGACY_LENGTH = LEGACY_BODY_LENGTH + 1;

/** Bytes drawn per ID: body length plus slack so rejection rarely needs a refill. */
const COMPACT_DRAW = 20;
const LEGACY_DRAW = 28;

/** Largest multiple of the alphabet size ≤ 256; bytes at or above it are rejected. */
const BASE62_LIMIT = 256 - (256 % 62); // 248
const BASE36_LIMIT = 256 - (256 % 36); // 252

/** Character code → value in 0..35 for the base-36 alphabet, -1 otherwise. */
const BASE36_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE36.length; i++) BASE36_VALUE[BASE36.charCodeAt(i)] = i;

/** Character codes of the alphabets. */
const BASE62_CODES = Uint8Array.from(BASE62, (c) => c.charCodeAt(0));
const BASE36_CODES = Uint8Array.from(BASE36, (c) => c.charCodeAt(0));
/**
 * One ID's characters before they become a string: the ID is made in one latin1 decode instead of one
 * string concatenation per character (drawing IDs was ≈ 5% of a SID order without images). IDs are
 * drawn synchronously, one at a time, so one buffer serves every draw.
 */
const scratch = Buffer.alloc(LEGACY_LENGTH);

/** Draws `length` characters of the alphabet into `scratch`, rejecting bytes at or above `limit` (unbiased). */
function drawCharacters(length: number, codes: Uint8Array, limit: number, draw: number, randomBytes: RandomBytes): void {
  const size = codes.length;
  let n = 0;
  let bytes = randomBytes(draw);
  let i = 0;
  while (n < length) {
    if (i >= bytes.length) {
      bytes = randomBytes(draw);
      i = 0;
      if (bytes.length === 0) throw new Error('randomBytes returned no bytes');
    }
    const b = bytes[i++] as number;
    if (b < limit) scratch[n++] = codes[b % size] as number;
  }
}

/**
 * Generates one extended ID.
 * - `compact-12`: 12 characters of [0-9A-Za-z] (≈71 bits).
 * - `legacy`: 20 characters of [0-9A-Z] (≈103 bits) + one ISO/IEC 7064 MOD 37,36 check character.
 */
export function generateExtendedId(style: ExtendedIdStyle, randomBytes: RandomBytes): string {
  switch (style) {
    case 'compact-12':
      drawCharacters(COMPACT_LENGTH, BASE62_CODES, BASE62_LIMIT, COMPACT_DRAW, randomBytes);
      return scratch.toString('latin1', 0, COMPACT_LENGTH);
    case 'legacy': {
      drawCharacters(LEGACY_BODY_LENGTH, BASE36_CODES, BASE36_LIMIT, LEGACY_DRAW, randomBytes);
      // The check character, as legacyCheckCharacter computes it over the body.
      let p = 36;
      for (let i = 0; i < LEGACY_BODY_LENGTH; i++) {
        const sum = (p + (BASE36_VALUE[scratch[i] as number] as number)) % 36 || 36;
        p = (sum * 2) % 37;
      }
      scratch[LEGACY_BODY_LENGTH] = BASE36_CODES[(37 - p) % 36] as number;
      return scratch.toString('latin1', 0, LEGACY_LENGTH);
    }
    default:
      throw new RangeError(`unknown extended ID style: ${String(style)}`);
  }
}

/** Runs the ISO/IEC 7064 hybrid MOD 37,36 recurrence over `s`, starting from `p`. */
function mod3736Run(s: string, p: number): { p: number; s: number } {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const value = code < 128 ? (BASE36_VALUE[code] as number) : -1;
    if (value < 0) throw new RangeError(`invalid character ${JSON.stringify(s[i])} (expected 0-9 or A-Z)`);
    sum = (p + value) % 36;
    if (sum === 0) sum = 36;
    p = (sum * 2) % 37;
  }
  return { p, s: sum };
}

/**
 * ISO/IEC 7064 MOD 37,36 (hybrid system) check character over a body of [0-9A-Z].
 * Detects every single-character substitution and nearly all (not all:
 * ≈99.8 %) adjacent transpositions, as the standard states for hybrid systems.
 */
export function legacyCheckCharacter(body: string): string {
  const { p } = mod3736Run(body, 36);
  return BASE36[(37 - p) % 36] as string;
}

/** True when `id` is a well-formed 21-character legacy ID with a correct check character. */
export function isValidLegacyId(id: string): boolean {
  if (id.length !== LEGACY_LENGTH) return false;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code >= 128 || (BASE36_VALUE[code] as number) < 0) return false;
  }
  return mod3736Run(id, 36).s === 1;
}

/** Length in characters of IDs of the given style. */
export function extendedIdLength(style: ExtendedIdStyle): number {
  switch (style) {
    case 'compact-12':
      return COMPACT_LENGTH;
    case 'legacy':
      return LEGACY_LENGTH;
    default:
      throw new RangeError(`unknown extended ID style: ${String(style)}`);
  }
}
