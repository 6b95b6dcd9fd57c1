/**
 * The QR Code encoder: optimal segments → data codewords → Reed–Solomon
 * blocks → interleaving → placement into the version's template → mask
 * (forced, or the one with the lowest penalty) → format information.
 *
 * Everything that depends only on (version, ECC level) — block structure,
 * interleaving order, generator polynomial, per-mask overlays with the format
 * information, scratch buffers — is built once per pair and cached.
 */
import { packedPenalty } from './mask-penalty.js';
import { reedSolomonEncoder, reedSolomonRemainder, type ReedSolomonEncoder } from './reed-solomon.js';
import {
  assertEcc,
  assertMask,
  assertVersion,
  dataCodewords,
  ecBlockCount,
  ecCodewordsPerBlock,
  formatInformationBits,
  totalCodewords,
  type EccLevel,
} from './qr-spec.js';
import { segmentOptimally, writeDataCodewords } from './segments.js';
import { BLOCK_BITS, formatModuleIndices, packModules, packedLength, symbolTemplate, type SymbolTemplate } from './symbol-template.js';

export interface EncodedSymbol {
  size: number;
  /** size·size bytes, row-major, 1 = dark: new bytes of a shared pool (see QrMatrix.modules). */
  modules: Uint8Array;
  /** The mask pattern applied (0–7). */
  mask: number;
}

interface EncoderPlan {
  template: SymbolTemplate;
  dataBytes: number;
  totalBytes: number;
  ecBytes: number;
  blocks: number;
  shortBlocks: number;
  shortDataBytes: number;
  rs: ReedSolomonEncoder;
  /** Data codewords [0, dataBytes), then the EC codewords of block b at dataBytes + b·ecBytes. */
  codewords: Uint8Array;
  /** Symbol codeword k (interleaved order) = codewords[interleave[k]]. */
  interleave: Int32Array;
  /** Per mask: the symbol with all data bits 0 (function patterns, format information, mask), size·size bytes. */
  maskedTemplates: Uint8Array[];
  /** Per mask: mask on the data modules XOR the format information, packed. */
  overlayPacked: Int32Array[];
  /**
   * Per mask: dark modules of the masked symbol with all data bits 0 (function
   * patterns, format information, inverted data modules).
   */
  maskedDarkBase: number[];
  // Scratch.
  /** Symbol codewords in placement order (interleaved). */
  symbolCodewords: Uint8Array;
  packed: Int32Array;
  /** Symbol codewords in placement order, 4 per word, big-endian. */
  codewordWords: Int32Array;
}

const ECC_LEVELS: readonly EccLevel[] = ['L', 'M', 'Q', 'H'];
const plans = new Map<number, EncoderPlan>();

function buildPlan(version: number, ecc: EccLevel): EncoderPlan {
  const template = symbolTemplate(version);
  const { size } = template;
  const totalBytes = totalCodewords(version);
  const dataBytes = dataCodewords(version, ecc);
  const ecBytes = ecCodewordsPerBlock(version, ecc);
  const blocks = ecBlockCount(version, ecc);
  const shortBlocks = blocks - (totalBytes % blocks);
  const shortDataBytes = Math.floor(totalBytes / blocks) - ecBytes;

  // Interleaving: the i-th data codeword of every block in turn (short blocks lack the last), then the EC codewords.
  const interleave = new Int32Array(totalBytes);
  const blockStart = new Int32Array(blocks);
  for (let b = 1; b < blocks; b++) blockStart[b] = blockStart[b - 1]! + shortDataBytes + (b - 1 >= shortBlocks ? 1 : 0);
  let k = 0;
  for (let i = 0; i <= shortDataBytes; i++) {
    for (let b = 0; b < blocks; b++) {
      if (i < shortDataBytes || b >= shortBlocks) interleave[k++] = blockStart[b]! + i;
    }
  }
  for (let i = 0; i < ecBytes; i++) {
    for (let b = 0; b < blocks; b++) interleave[k++] = dataBytes + b * ecBytes + i;
  }
  if (k !== totalBytes) throw new Error(`version ${version}-${ecc}: interleaved ${k} of ${totalBytes} codewords`);

  const formatIdx = formatModuleIndices(size);
  const maskedTemplates: Uint8Array[] = [];
  const overlayPacked: Int32Array[] = [];
  const maskedDarkBase: number[] = [];
  for (let m = 0; m < 8; m++) {
    const overlay = template.maskModules[m]!.slice();
    const bits = formatInformationBits(ecc, m);
    for (let i = 0; i < 30; i++) overlay[formatIdx[i]!] = (bits >>> i % 15) & 1;
    const masked = template.modules.slice();
    for (let i = 0; i < size * size; i++) masked[i]! ^= overlay[i]!;
    maskedTemplates.push(masked);
    overlayPacked.push(packModules(overlay, size));
    let formatDark = 0;
    for (let i = 0; i < 30; i++) formatDark += (bits >>> i % 15) & 1;
    maskedDarkBase.push(template.dark + formatDark + template.maskCount[m]!);
  }

  return {
    template,
    dataBytes,
    totalBytes,
    ecBytes,
    blocks,
    shortBlocks,
    shortDataBytes,
    rs: reedSolomonEncoder(ecBytes),
    codewords: new Uint8Array(dataBytes + blocks * ecBytes),
    interleave,
    maskedTemplates,
    overlayPacked,
    maskedDarkBase,
    symbolCodewords: new Uint8Array(totalBytes),
    packed: new Int32Array(packedLength(size)),
    codewordWords: new Int32Array((totalBytes + 3) >> 2),
  };
}

function plan(version: number, ecc: EccLevel): EncoderPlan {
  const key = version * 4 + ECC_LEVELS.indexOf(ecc);
  let p = plans.get(key);
  if (!p) {
    p = buildPlan(version, ecc);
    plans.set(key, p);
  }
  return p;
}

/** Checks the arguments, then fills `symbolCodewords` of the (version, ecc) plan: data and EC codewords, interleaved. */
function encodeCodewords(text: string, version: number, ecc: EccLevel): EncoderPlan {
  assertVersion(version);
  assertEcc(ecc);
  if (typeof text !== 'string') throw new TypeError(`QR text must be a string, got ${typeof text}`);
  const p = plan(version, ecc);
  const seg = segmentOptimally(text, version);
  const capacityBits = p.dataBytes * 8;
  if (seg.bits > capacityBits) {
    throw new RangeError(
      `text of ${text.length} characters needs ${seg.bits} data bits, but QR version ${version}-${ecc} ` +
        `holds only ${capacityBits}`,
    );
  }
  const cw = p.codewords;
  writeDataCodewords(seg, text, version, cw, p.dataBytes);
  for (let b = 0, start = 0; b < p.blocks; b++) {
    const len = p.shortDataBytes + (b >= p.shortBlocks ? 1 : 0);
    reedSolomonRemainder(cw, start, len, p.rs, cw, p.dataBytes + b * p.ecBytes);
    start += len;
  }

  const symbolCodewords = p.symbolCodewords;
  const interleave = p.interleave;
  for (let k = 0; k < symbolCodewords.length; k++) symbolCodewords[k] = cw[interleave[k]!]!;
  return p;
}

/**
 * Encodes `text` as a symbol of exactly `version` (1–40) at `ecc`, with
 * `mask` (0–7) or, when it is undefined, the mask of lowest penalty (the
 * lowest-numbered one on ties). Throws RangeError on bad arguments or when
 * the text does not fit.
 */
export function encodeSymbol(text: string, version: number, ecc: EccLevel, mask?: number): EncodedSymbol {
  if (mask !== undefined) assertMask(mask);
  const p = encodeCodewords(text, version, ecc);
  let chosen = mask;
  if (chosen === undefined) {
    placePacked(p);
    chosen = bestMask(p, null);
  }
  return { size: p.template.size, modules: render(p, chosen), mask: chosen };
}

/** The penalties of the 8 masks as the encoder computes them (for tests and diagnostics). */
export function maskPenalties(text: string, version: number, ecc: EccLevel): number[] {
  const p = encodeCodewords(text, version, ecc);
  placePacked(p);
  const penalties: number[] = [];
  bestMask(p, penalties);
  return penalties;
}

/** Sets the data bits in the packed scratch symbol (for the penalty) and packs the codewords 4 per word. */
function placePacked(p: EncoderPlan): void {
  const t = p.template;
  const fin = p.symbolCodewords;
  const packed = p.packed;
  packed.set(t.packed);
  const cwWords = p.codewordWords;
  const rowWord = t.orderRowLaneWord;
  const rowBit = t.orderRowLaneBit;
  const colWord = t.orderColumnLaneWord;
  const colBit = t.orderColumnLaneBit;
  const total = fin.length;
  const kinds = t.blockKind;
  const rightWords = t.blockRightWord;
  const leftWords = t.blockLeftWord;
  const shifts = t.blockShifts;
  const rowWords = t.blockRowWord;
  const lineStep = t.lineWords;
  let word = 0;
  for (let k = 0; k < total; k++) {
    let v = fin[k]!;
    word = (word << 8) | v;
    if ((k & 3) === 3) cwWords[k >> 2] = word;
    const kind = kinds[k]!;
    if (kind !== 0) {
      // A codeword on consecutive modules of one column pair: 2 words along its
      // columns' lines (rows as lanes), up to 5 along its rows' lines.
      const e = BLOCK_BITS[(kind << 8) | v]!;
      const sh = shifts[k]!;
      packed[rightWords[k]!]! |= (e & 15) << (sh & 31);
      packed[leftWords[k]!]! |= ((e >>> 4) & 15) << ((sh >>> 5) & 31);
      const s = sh >>> 10;
      let w = rowWords[k]!;
      packed[w]! |= ((e >>> 8) & 3) << s;
      w += lineStep;
      packed[w]! |= ((e >>> 10) & 3) << s;
      w += lineStep;
      packed[w]! |= ((e >>> 12) & 3) << s;
      w += lineStep;
      packed[w]! |= ((e >>> 14) & 3) << s;
      w += lineStep;
      packed[w]! |= (e >>> 16) << s;
      continue;
    }
    const o = k << 3;
    while (v !== 0) {
      const z = Math.clz32(v) - 24;
      v ^= 0x80 >>> z;
      const i = o + z;
      packed[rowWord[i]!]! |= rowBit[i]!;
      packed[colWord[i]!]! |= colBit[i]!;
    }
  }
  if ((total & 3) !== 0) cwWords[total >> 2] = word << (8 * (4 - (total & 3)));
}

// Output matrices are carved from shared pools: a new view per symbol on bytes
// never handed out before, so callers own them (creating a small view is much
// cheaper than allocating a small ArrayBuffer).
const POOL_BYTES = 1 << 16;
let pool = new ArrayBuffer(POOL_BYTES);
let poolOffset = 0;

/** The finished symbol with `mask`: a fresh size·size view (see QrMatrix). */
function render(p: EncoderPlan, mask: number): Uint8Array {
  const size = p.template.size;
  const n = size * size;
  if (poolOffset + n > pool.byteLength) {
    pool = new ArrayBuffer(Math.max(POOL_BYTES, n));
    poolOffset = 0;
  }
  const out = new Uint8Array(pool, poolOffset, n);
  poolOffset += (n + 7) & ~7;
  // Function patterns, format information and the mask over all-zero data; then flip the data bits set.
  out.set(p.maskedTemplates[mask]!);
  const order = p.template.order;
  const fin = p.symbolCodewords;
  for (let k = 0, o = 0; k < fin.length; k++, o += 8) {
    const v = fin[k]!;
    out[order[o]!]! ^= v >>> 7;
    out[order[o + 1]!]! ^= (v >>> 6) & 1;
    out[order[o + 2]!]! ^= (v >>> 5) & 1;
    out[order[o + 3]!]! ^= (v >>> 4) & 1;
    out[order[o + 4]!]! ^= (v >>> 3) & 1;
    out[order[o + 5]!]! ^= (v >>> 2) & 1;
    out[order[o + 6]!]! ^= (v >>> 1) & 1;
    out[order[o + 7]!]! ^= v & 1;
  }
  return out;
}

/** The mask of lowest penalty; with `all`, every penalty is computed in full and pushed there. */
function bestMask(p: EncoderPlan, all: number[] | null): number {
  const t = p.template;
  const size = t.size;
  const cwWords = p.codewordWords;
  const n = cwWords.length;
  let ones = 0;
  for (let i = 0; i < n; i++) ones += popcount(cwWords[i]!);
  let best = 0;
  let bestPenalty = Infinity;
  for (let m = 0; m < 8; m++) {
    // Dark modules: those of the symbol with all-zero data, plus over the data modules
    // Σ(d XOR m) − Σm = Σd − 2·Σ(d AND m).
    const maskWords = t.maskCodewordWords[m]!;
    let both = 0;
    for (let i = 0; i < n; i++) both += popcount(cwWords[i]! & maskWords[i]!);
    const dark = p.maskedDarkBase[m]! + ones - 2 * both;
    const penalty = packedPenalty(p.packed, p.overlayPacked[m]!, size, dark, all ? Infinity : bestPenalty);
    all?.push(penalty);
    if (penalty < bestPenalty) {
      bestPenalty = penalty;
      best = m;
    }
  }
  return best;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
