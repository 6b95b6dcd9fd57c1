/**
 * Secure-graphic (copy-detection pattern) derivation, v2.
 *
 * The pattern of a code is a keyed pseudo-random function of the platform's graphic key and the code's
 * identity, so it is never stored and can be regenerated on demand. Deterministic: same inputs → same
 * bytes, on every machine.
 *
 *   aesKey    = HMAC-SHA256(graphicKey, "sigil/secure-graphic/v2/aes-256")
 *   nonce     = first 12 bytes of SHA-256("sigil/secure-graphic/v2\0" || UTF-8(codeIdentity))
 *   keystream = AES-256-CTR(aesKey, iv = nonce || 0x00000000) over zero bytes
 *   picks     = m = min(k, n − k) steps of a partial Fisher–Yates shuffle of 0..n−1, k = round(density · n),
 *               each step drawing an unbiased integer x in [0, n − i): the next big-endian keystream
 *               word (16-bit while n ≤ 65 536, else 32-bit) masked to the bits that cover n − i − 1,
 *               drawn again while x ≥ n − i
 *   pattern   = the picked cells are black (k ≤ n/2) or white (k > n/2); exactly k cells are black.
 *
 * The keystream is computed as AES-256-ECB over prepared counter blocks with one cipher per generator,
 * which is the same function as CTR mode without creating a cipher object per code.
 */
import { createCipheriv, createHash, createHmac, type Cipher } from 'node:crypto';

const NONCE_DOMAIN = Buffer.from('sigil/secure-graphic/v2\0', 'utf8');
const AES_KEY_LABEL = 'sigil/secure-graphic/v2/aes-256';
const MIN_CELLS = 4;
const MAX_CELLS = 512;
const MIN_KEY_BYTES = 16;
/** Keystream blocks computed beyond the expected need (and per refill), so a refill is rare. */
const SLACK_BLOCKS = 4;

function validateShape(cells: number, density: number): void {
  if (!Number.isInteger(cells) || cells < MIN_CELLS || cells > MAX_CELLS) {
    throw new RangeError(`cells must be an integer from ${MIN_CELLS} to ${MAX_CELLS}, got ${cells}`);
  }
  if (!(typeof density === 'number' && density > 0 && density < 1)) {
    throw new RangeError(`density must be a number strictly between 0 and 1, got ${density}`);
  }
}

/** Derives patterns under one graphic key; reuses its cipher and scratch buffers across codes. */
export class PatternGenerator {
  private readonly cipher: Cipher;
  private counters = new DataView(new ArrayBuffer(0));
  private perm = new Uint32Array(0);

  constructor(graphicKey: Uint8Array) {
    if (!(graphicKey instanceof Uint8Array) || graphicKey.length < MIN_KEY_BYTES) {
      throw new RangeError(`graphicKey must be at least ${MIN_KEY_BYTES} bytes`);
    }
    const aesKey = createHmac('sha256', graphicKey).update(AES_KEY_LABEL, 'utf8').digest();
    this.cipher = createCipheriv('aes-256-ecb', aesKey, null);
    this.cipher.setAutoPadding(false);
  }

  /**
   * @param codeIdentity the code's stable identity (e.g. its extended ID)
   * @param cells        cells per side, integer 4..512
   * @param density      fraction of black cells, 0 < density < 1
   * @returns cells·cells bytes, row-major, 1 = black, 0 = white; exactly round(density·cells²) are 1.
   */
  derive(codeIdentity: string, cells: number, density: number): Uint8Array {
    validateShape(cells, density);
    if (typeof codeIdentity !== 'string') throw new TypeError('codeIdentity must be a string');
    const n = cells * cells;
    const black = Math.round(density * n);
    const pickBlack = black <= n - black;
    const picks = pickBlack ? black : n - black;
    const out = new Uint8Array(n);
    if (!pickBlack) out.fill(1);
    if (picks === 0) return out;

    const nonce = createHash('sha256').update(NONCE_DOMAIN).update(codeIdentity, 'utf8').digest();
    let nextBlock = 0;
    // Draws are 16-bit words while n ≤ 65 536, else 32-bit. Each pick takes under 2 draws on average
    // (bound > n/2 covers more than half of the mask's range).
    const wide = n > 0x1_0000;
    const drawBytes = wide ? 4 : 2;
    const firstBlocks = Math.ceil(((picks + (picks >> 1)) * drawBytes) / 16) + SLACK_BLOCKS;
    let stream = this.keystream(nonce, nextBlock, firstBlocks);
    nextBlock += firstBlocks;
    let at = 0;

    if (this.perm.length < n) this.perm = new Uint32Array(n);
    const perm = this.perm;
    for (let i = 0; i < n; i++) perm[i] = i;
    const mark = pickBlack ? 1 : 0;
    for (let i = 0; i < picks; i++) {
      const bound = n - i;
      // Unbiased by rejection: keep the low bits that cover bound − 1, draw again while ≥ bound.
      const mask = bound === 1 ? 0 : 0xffffffff >>> Math.clz32(bound - 1);
      let x: number;
      do {
        if (at === stream.length) {
          stream = this.keystream(nonce, nextBlock, SLACK_BLOCKS);
          nextBlock += SLACK_BLOCKS;
          at = 0;
        }
        x = wide
          ? ((stream[at]! << 24) | (stream[at + 1]! << 16) | (stream[at + 2]! << 8) | stream[at + 3]!) & mask
          : ((stream[at]! << 8) | stream[at + 1]!) & mask;
        at += drawBytes;
      } while (x >= bound);
      const j = i + x;
      const picked = perm[j]!;
      perm[j] = perm[i]!;
      perm[i] = picked;
      out[picked] = mark;
    }
    return out;
  }

  /** `blocks` keystream blocks (16 bytes each) from counter block `firstBlock`. */
  private keystream(nonce: Buffer, firstBlock: number, blocks: number): Buffer {
    const bytes = blocks * 16;
    if (this.counters.byteLength < bytes) this.counters = new DataView(new ArrayBuffer(bytes));
    const c = this.counters;
    const n0 = nonce.readUInt32BE(0);
    const n1 = nonce.readUInt32BE(4);
    const n2 = nonce.readUInt32BE(8);
    for (let b = 0, at = 0; b < blocks; b++, at += 16) {
      c.setUint32(at, n0);
      c.setUint32(at + 4, n1);
      c.setUint32(at + 8, n2);
      c.setUint32(at + 12, firstBlock + b);
    }
    return this.cipher.update(new Uint8Array(c.buffer, 0, bytes));
  }
}

/** One-off derivation (creates a generator per call; use PatternGenerator for many codes). */
export function derivePattern(graphicKey: Uint8Array, codeIdentity: string, cells: number, density: number): Uint8Array {
  validateShape(cells, density);
  return new PatternGenerator(graphicKey).derive(codeIdentity, cells, density);
}
