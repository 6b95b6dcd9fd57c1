/**
 * Secure-graphic (copy-detection pattern) derivation.
 *
 * The pattern of a code is a keyed pseudo-random function of the platform's
 * graphic key and the code's identity, so it is never stored and can be
 * regenerated on demand. Deterministic: same inputs → same bytes.
 *
 *   seed      = HMAC-SHA256(graphicKey, "sigil/secure-graphic/v1\0" || UTF-8(codeIdentity))
 *   keystream = AES-256-CTR(key = seed, counter block = 0) over zero bytes
 *   black set = first k positions of a keyed Fisher–Yates shuffle of 0..n-1,
 *               k = round(density · n), driven by unbiased bounded integers
 *               taken from the keystream as big-endian uint32 words.
 */
import { createCipheriv, createHmac, type Cipher } from 'node:crypto';

const DOMAIN = Buffer.from('sigil/secure-graphic/v1\0', 'utf8');
const ZERO_IV = Buffer.alloc(16);
const MIN_CELLS = 4;
const MAX_CELLS = 512;
const MIN_KEY_BYTES = 16;

/** Deterministic keystream of uint32 words, refilled in chunks. */
class KeyStream {
  private readonly cipher: Cipher;
  private view: DataView = new DataView(new ArrayBuffer(0));
  private index = 0;
  private count = 0;

  constructor(seed: Buffer, private readonly chunkWords: number) {
    this.cipher = createCipheriv('aes-256-ctr', seed, ZERO_IV);
  }

  private refill(): void {
    const bytes = this.cipher.update(Buffer.alloc(this.chunkWords * 4));
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.count = this.chunkWords;
    this.index = 0;
  }

  nextUint32(): number {
    if (this.index >= this.count) this.refill();
    return this.view.getUint32(4 * this.index++, false);
  }

  /** Uniform integer in [0, bound), bound in 1..2^32, by rejection (no modulo bias). */
  below(bound: number): number {
    // Values ≥ limit would over-represent small residues; limit is a multiple of bound.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % bound;
    }
  }
}

/**
 * Derives the secure-graphic pattern for one code.
 * @param graphicKey   secret key (≥ 16 bytes)
 * @param codeIdentity the code's stable identity (e.g. its extended ID)
 * @param cells        cells per side, integer 4..512
 * @param density      fraction of black cells, 0 < density < 1
 * @returns cells·cells bytes, row-major, 1 = black, 0 = white; exactly round(density·cells²) are 1.
 */
export function derivePattern(
  graphicKey: Uint8Array,
  codeIdentity: string,
  cells: number,
  density: number,
): Uint8Array {
  if (!Number.isInteger(cells) || cells < MIN_CELLS || cells > MAX_CELLS) {
    throw new RangeError(`cells must be an integer from ${MIN_CELLS} to ${MAX_CELLS}, got ${cells}`);
  }
  if (!(typeof density === 'number' && density > 0 && density < 1)) {
    throw new RangeError(`density must be a number strictly between 0 and 1, got ${density}`);
  }
  if (!(graphicKey instanceof Uint8Array) || graphicKey.length < MIN_KEY_BYTES) {
    throw new RangeError(`graphicKey must be at least ${MIN_KEY_BYTES} bytes`);
  }
  if (typeof codeIdentity !== 'string') throw new TypeError('codeIdentity must be a string');

  const n = cells * cells;
  const black = Math.round(density * n);
  const seed = createHmac('sha256', graphicKey).update(DOMAIN).update(codeIdentity, 'utf8').digest();

  // Partial Fisher–Yates: after step i, perm[0..i] are the first i+1 cells of
  // a uniformly random permutation; those cells are black.
  const out = new Uint8Array(n);
  if (black === 0) return out;

  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  // `black` draws are needed; rejections are rare (< 2^-13 per draw for n ≤ 2^18).
  const stream = new KeyStream(seed, Math.min(black + 16, 16_384));
  for (let i = 0; i < black; i++) {
    const j = i + stream.below(n - i);
    const picked = perm[j] as number;
    perm[j] = perm[i] as number;
    perm[i] = picked;
    out[picked] = 1;
  }
  return out;
}
