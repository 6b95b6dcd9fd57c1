/**
 * zlib (RFC 1950) stream of PNG scanlines, compressed as one DEFLATE block
 * (RFC 1951), tuned for 1-bit code images.
 *
 * Input is a list of "bands": distinct scanlines (filter byte + packed row),
 * each repeated a number of times in a row. Matching is greedy and only tries
 * the two distances that pay off for such images:
 *  - distance = stride ("up"): bytes equal to the scanline above; a repeated
 *    scanline is one long up-match, split into ≤ 258-byte matches;
 *  - distance = 1 ("run"): a run of the previous byte (white/black spans).
 * Everything else is a literal. Strides above the 32 KiB window disable up
 * matches (repeated scanlines are then encoded again).
 *
 * The block uses either the fixed Huffman codes or caller-supplied dynamic codes
 * (`DeflateTables`), e.g. built once per image geometry from a sample image with
 * `tablesForScanlines`, so the per-image cost is the same as with fixed codes.
 *
 * Adler-32 is computed per distinct scanline (byte sum S and weighted sum W) and
 * a scanline repeated k times is added in O(1).
 */
import { BitSink, canonicalCodes, huffmanLengths, writeDynamicHeader } from './huffman.js';

const ADLER_MOD = 65521;
/** Adler-32 reduction interval: sums of up to 2^20 bytes stay below 2^53 (255·n²/2). */
const ADLER_CHUNK = 1 << 20;
const MAX_MATCH = 258;
const MIN_MATCH = 3;
const WINDOW = 32768;
const LIT_LEN_SYMBOLS = 286;
const DIST_SYMBOLS = 30;

/** Length symbols 257..285: base length and extra bits (RFC 1951 §3.2.5). */
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** Length 3..258 → index of its length symbol (symbol − 257). */
const LENGTH_SYMBOL = new Uint8Array(MAX_MATCH + 1);
for (let s = 0; s < LENGTH_BASE.length; s++) {
  const last = s === LENGTH_BASE.length - 1 ? MAX_MATCH : Math.min(LENGTH_BASE[s]! + (1 << LENGTH_EXTRA[s]!) - 1, MAX_MATCH - 1);
  for (let len = LENGTH_BASE[s]!; len <= last; len++) LENGTH_SYMBOL[len] = s;
}

function distanceSymbol(distance: number): number {
  let s = DIST_SYMBOLS - 1;
  while (DIST_BASE[s]! > distance) s--;
  return s;
}

/** Huffman codes of one DEFLATE block, ready for LSB-first output. */
export interface DeflateTables {
  /** Block header bits (BFINAL, BTYPE and for a dynamic block its code tables), LSB first. */
  header: Uint8Array;
  headerBits: number;
  /** Literal byte → bit-reversed code and its length. */
  litCode: Uint16Array;
  litBits: Uint8Array;
  /** Literal byte → code | length << 16. */
  litPacked: Uint32Array;
  /** Match length 3..258 → length code followed by its extra bits, and their total length (≤ 20). */
  lenCode: Uint32Array;
  lenBits: Uint8Array;
  /** Distance symbol → bit-reversed code and its length (extra bits not included). */
  distCode: Uint16Array;
  distBits: Uint8Array;
  eobCode: number;
  eobBits: number;
}

function tablesFromLengths(litLengths: Uint8Array, distLengths: Uint8Array, header: Uint8Array, headerBits: number): DeflateTables {
  const lit = canonicalCodes(litLengths);
  const dist = canonicalCodes(distLengths);
  const lenCode = new Uint32Array(MAX_MATCH + 1);
  const lenBits = new Uint8Array(MAX_MATCH + 1);
  for (let len = MIN_MATCH; len <= MAX_MATCH; len++) {
    const s = LENGTH_SYMBOL[len]!;
    const symbol = 257 + s;
    lenCode[len] = lit[symbol]! | ((len - LENGTH_BASE[s]!) << litLengths[symbol]!);
    lenBits[len] = litLengths[symbol]! + LENGTH_EXTRA[s]!;
  }
  return {
    header,
    headerBits,
    litCode: lit.slice(0, 256),
    litBits: litLengths.slice(0, 256),
    litPacked: Uint32Array.from({ length: 256 }, (_, v) => lit[v]! | (litLengths[v]! << 16)),
    lenCode,
    lenBits,
    distCode: dist,
    distBits: distLengths.slice(),
    eobCode: lit[256]!,
    eobBits: litLengths[256]!,
  };
}

/** The fixed Huffman codes (BTYPE = 01, RFC 1951 §3.2.6). */
export const FIXED_TABLES: DeflateTables = (() => {
  const litLengths = new Uint8Array(288);
  litLengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  const distLengths = new Uint8Array(DIST_SYMBOLS).fill(5);
  // BFINAL = 1, BTYPE = 01.
  return tablesFromLengths(litLengths, distLengths, Uint8Array.of(0b011), 3);
})();

/**
 * Dynamic Huffman codes (BTYPE = 10) for the given symbol counts. Every symbol
 * gets a code (counts are smoothed by +1), so any image can be encoded with them.
 */
export function dynamicTables(litLenCounts: ArrayLike<number>, distCounts: ArrayLike<number>): DeflateTables {
  const litFreq = Array.from({ length: LIT_LEN_SYMBOLS }, (_, s) => (litLenCounts[s] ?? 0) + 1);
  const distFreq = Array.from({ length: DIST_SYMBOLS }, (_, s) => (distCounts[s] ?? 0) + 1);
  const litLengths = huffmanLengths(litFreq, 15);
  const distLengths = huffmanLengths(distFreq, 15);
  const sink = new BitSink();
  writeDynamicHeader(sink, litLengths, distLengths);
  return tablesFromLengths(litLengths, distLengths, sink.toBytes(), sink.bits);
}

/** Next chunk of a match of `total` ≥ 3 bytes such that the rest is 0 or ≥ 3. */
function chunkLength(total: number): number {
  if (total <= MAX_MATCH) return total;
  return total - MAX_MATCH < MIN_MATCH ? total - MIN_MATCH : MAX_MATCH;
}

/**
 * End of the run of bytes from q (< end) equal to the bytes `pitch` earlier.
 * `l32` is a 32-bit view of `lines` (aligned, pitch a multiple of 4), or null.
 */
function upMatchEnd(lines: Uint8Array, l32: Uint32Array | null, q: number, end: number, pitch: number): number {
  if (l32 !== null) {
    while ((q & 3) !== 0) {
      if (q >= end || lines[q] !== lines[q - pitch]) return q;
      q++;
    }
    const d = pitch >> 2;
    while (q + 4 <= end && l32[q >> 2] === l32[(q >> 2) - d]) q += 4;
  }
  while (q < end && lines[q] === lines[q - pitch]) q++;
  return q;
}

/** End of the run of bytes from q (< end) equal to `v` (−1 matches nothing). */
function runEnd(lines: Uint8Array, l32: Uint32Array | null, q: number, end: number, v: number): number {
  if (l32 !== null && v >= 0) {
    while ((q & 3) !== 0) {
      if (q >= end || lines[q] !== v) return q;
      q++;
    }
    const word = (v * 0x01010101) >>> 0;
    while (q + 4 <= end && l32[q >> 2] === word) q += 4;
  }
  while (q < end && lines[q] === v) q++;
  return q;
}

const NO_TALLY = new Float64Array(0);

/** Last 32-bit view made (callers reuse their scanline buffer). */
let viewOf: Uint8Array | null = null;
let view32: Uint32Array | null = null;

/** A 32-bit view of `lines` (same bytes), or null when it is not 4-byte aligned. */
function wordView(lines: Uint8Array): Uint32Array | null {
  if (lines === viewOf) return view32;
  viewOf = lines;
  view32 = (lines.byteOffset & 3) === 0 ? new Uint32Array(lines.buffer, lines.byteOffset, lines.length >> 2) : null;
  return view32;
}

/** x mod 65521 for an integer 0 ≤ x < 2^40 (cheaper than % on non-int32 values). */
function mod65521(x: number): number {
  const r = x - Math.floor(x / ADLER_MOD) * ADLER_MOD;
  return r < 0 ? r + ADLER_MOD : r >= ADLER_MOD ? r - ADLER_MOD : r;
}

/** Last Adler-32 coefficients computed, reused while the band layout repeats. */
let coefCounts = new Float64Array(0);
let coefStride = 0;
let coefValues = new Float64Array(0);

/**
 * Per band i with k = counts[i] and L = stride, all mod 65521: k, k·L and L·k(k−1)/2
 * (see deflateBands). The last layout's values are kept: images of one plan share it.
 */
function adlerCoefficients(counts: ArrayLike<number>, nBands: number, stride: number): Float64Array {
  let same = nBands === coefCounts.length && stride === coefStride;
  for (let i = 0; same && i < nBands; i++) same = counts[i] === coefCounts[i];
  if (same) return coefValues;
  const values = new Float64Array(3 * nBands);
  const kept = new Float64Array(nBands);
  const strideMod = stride % ADLER_MOD;
  for (let i = 0; i < nBands; i++) {
    const k = counts[i]!;
    const km = k % ADLER_MOD;
    kept[i] = k;
    values[3 * i] = km;
    values[3 * i + 1] = (km * strideMod) % ADLER_MOD;
    values[3 * i + 2] = (strideMod * pairsMod(k)) % ADLER_MOD;
  }
  coefCounts = kept;
  coefStride = stride;
  coefValues = values;
  return values;
}

/** (k·(k−1)/2) mod 65521 without leaving safe integers. */
function pairsMod(k: number): number {
  return k % 2 === 0
    ? ((k / 2) % ADLER_MOD) * ((k - 1) % ADLER_MOD) % ADLER_MOD
    : (k % ADLER_MOD) * (((k - 1) / 2) % ADLER_MOD) % ADLER_MOD;
}

/**
 * Worst-case size of the zlib stream for `rawLength` uncompressed bytes: at most
 * 16 bits per byte (a 15-bit literal code, or a ≤ 48-bit match covering ≥ 3 bytes).
 */
export function zlibBound(rawLength: number, tables: DeflateTables = FIXED_TABLES): number {
  return 2 + tables.header.length + 2 * rawLength + 3 + 4;
}

/** Byte sum S and weighted sum W = Σ (end − p)·lines[p] of lines[off, end), reduced mod 65521. */
function lineSums(lines: Uint8Array, off: number, end: number): [number, number] {
  let s = 0;
  let w = 0;
  for (let q = off; q < end; ) {
    const limit = end - q > ADLER_CHUNK ? q + ADLER_CHUNK : end;
    for (; q < limit; q++) {
      s += lines[q]!;
      w += s;
    }
    s %= ADLER_MOD;
    w %= ADLER_MOD;
  }
  return [s, w];
}

/** Symbol counts gathered instead of writing a stream. */
interface SymbolCounts {
  litLen: Float64Array;
  dist: Float64Array;
}

/**
 * Core: tokenizes the scanline bands (see the module comment) and either writes
 * the zlib stream into `dest` from `start` (returning the end offset) or, when
 * `tally` is given, only counts the symbols it would write.
 *
 * Adler-32: a scanline of L bytes with byte sum S and weighted sum W, repeated k
 * times, adds k·S to a and k·L·a + k·W + L·S·k(k−1)/2 to b. S and W of a
 * scanline that has an up-match are those of the previous scanline plus the
 * changes in the bytes not covered by up-matches (read anyway to tokenize them).
 *
 * The bit writer lives in locals; "put" is written out inline, without branches:
 *   bitBuf |= code << bitCount; bitCount += bits;
 *   store the low 3 bytes of bitBuf at pos (speculatively); advance pos by the full bytes.
 * bitCount < 8 before each put and ≤ 20 bits per put, so 3 bytes always suffice and
 * bitBuf stays below 2^31. The speculative bytes land where later output goes (the
 * stream ends with at least 4 more bytes).
 */
function deflateBands(
  lines: Uint8Array,
  stride: number,
  pitch: number,
  counts: ArrayLike<number>,
  nBands: number,
  tables: DeflateTables,
  dest: Uint8Array,
  start: number,
  tally: SymbolCounts | null,
): number {
  const canUp = stride <= WINDOW;
  const l32 = (pitch & 3) === 0 ? wordView(lines) : null;
  const counting = tally !== null;
  const litTally = counting ? tally.litLen : NO_TALLY;
  const distTally = counting ? tally.dist : NO_TALLY;
  const coef = adlerCoefficients(counts, nBands, stride);

  const { litPacked, lenCode, lenBits, distCode, distBits } = tables;
  const runSym = 0; // distance 1
  const runCode = distCode[runSym]!;
  const runBits = distBits[runSym]!;
  const upDistance = Math.min(stride, WINDOW);
  const upSym = distanceSymbol(upDistance);
  const upCode = distCode[upSym]!;
  const upCodeBits = distBits[upSym]!;
  const upExtra = upDistance - DIST_BASE[upSym]!;
  const upExtraBits = DIST_EXTRA[upSym]!;

  // zlib header. CMF: deflate, 32 KiB window; FLG: FLEVEL 0, no dictionary, FCHECK so that
  // CMF·256 + FLG ≡ 0 (mod 31). Then the block header.
  let pos = start;
  let bitBuf = 0;
  let bitCount = 0;
  if (!counting) {
    dest[pos++] = 0x78;
    dest[pos++] = 0x01;
    const { header, headerBits } = tables;
    const wholeBytes = headerBits >> 3;
    dest.set(header.subarray(0, wholeBytes), pos);
    pos += wholeBytes;
    bitCount = headerBits & 7;
    bitBuf = bitCount > 0 ? header[wholeBytes]! & ((1 << bitCount) - 1) : 0;
  }

  let a = 1;
  let b = 0;
  // S and W (mod 65521) of the previous scanline.
  let lineS = 0;
  let lineW = 0;
  let pendingUp = 0;
  for (let i = 0; i < nBands; i++) {
    const off = i * pitch;
    const end = off + stride;
    const k = counts[i]!;
    if (!(k >= 1)) throw new RangeError(`band ${i} must repeat at least once, got ${k}`);
    const hasUp = canUp && i > 0;
    // Changes of S and W against the previous scanline (hasUp only).
    let ds = 0;
    let dw = 0;
    // The scanline once; its repeats are one up-match, unless up-matches are impossible
    // (stride beyond the window) or the repeat is too short (≤ 2 bytes: width ≤ 8, once).
    const copies = k > 1 && !(canUp && (k - 1) * stride >= MIN_MATCH) ? k : 1;
    for (let copy = 0; copy < copies; copy++) {
      const up = hasUp && copy === 0;
      // The stream byte before p (-1 at the start of the stream).
      let prev = copy > 0 ? lines[end - 1]! : i > 0 ? lines[off - pitch + stride - 1]! : -1;
      let p = off;
      while (p < end) {
        const v = lines[p]!;
        const above = up ? lines[p - pitch]! : 0;
        if (p + 2 < end) {
          // Matches need 3 bytes: test them at once (few, well-predicted branches per byte).
          const v1 = lines[p + 1]!;
          const v2 = lines[p + 2]!;
          if (up && ((v ^ above) | (v1 ^ lines[p + 1 - pitch]!) | (v2 ^ lines[p + 2 - pitch]!)) === 0) {
            const q = upMatchEnd(lines, l32, p + 3, end, pitch);
            pendingUp += q - p;
            p = q;
            prev = lines[q - 1]!;
            continue;
          }
          if (((v ^ prev) | (v1 ^ prev) | (v2 ^ prev)) === 0) {
            while (pendingUp > 0) {
              const len = chunkLength(pendingUp);
              pendingUp -= len;
              if (counting) {
                litTally[257 + LENGTH_SYMBOL[len]!]!++;
                distTally[upSym]!++;
                continue;
              }
              bitBuf |= lenCode[len]! << bitCount;
              bitCount += lenBits[len]!;
              dest[pos] = bitBuf;
              dest[pos + 1] = bitBuf >>> 8;
              dest[pos + 2] = bitBuf >>> 16;
              pos += bitCount >> 3;
              bitBuf >>>= bitCount & ~7;
              bitCount &= 7;
              bitBuf |= upCode << bitCount;
              bitCount += upCodeBits;
              dest[pos] = bitBuf;
              dest[pos + 1] = bitBuf >>> 8;
              dest[pos + 2] = bitBuf >>> 16;
              pos += bitCount >> 3;
              bitBuf >>>= bitCount & ~7;
              bitCount &= 7;
              bitBuf |= upExtra << bitCount;
              bitCount += upExtraBits;
              dest[pos] = bitBuf;
              dest[pos + 1] = bitBuf >>> 8;
              dest[pos + 2] = bitBuf >>> 16;
              pos += bitCount >> 3;
              bitBuf >>>= bitCount & ~7;
              bitCount &= 7;
            }
            const q = runEnd(lines, l32, p + 3, end, v);
            if (up) {
              for (let j = p; j < q; j++) {
                const d = v - lines[j - pitch]!;
                ds += d;
                dw += (end - j) * d;
              }
            }
            let run = q - p;
            while (run > 0) {
              const len = chunkLength(run);
              run -= len;
              if (counting) {
                litTally[257 + LENGTH_SYMBOL[len]!]!++;
                distTally[runSym]!++;
                continue;
              }
              bitBuf |= lenCode[len]! << bitCount;
              bitCount += lenBits[len]!;
              dest[pos] = bitBuf;
              dest[pos + 1] = bitBuf >>> 8;
              dest[pos + 2] = bitBuf >>> 16;
              pos += bitCount >> 3;
              bitBuf >>>= bitCount & ~7;
              bitCount &= 7;
              bitBuf |= runCode << bitCount;
              bitCount += runBits;
              dest[pos] = bitBuf;
              dest[pos + 1] = bitBuf >>> 8;
              dest[pos + 2] = bitBuf >>> 16;
              pos += bitCount >> 3;
              bitBuf >>>= bitCount & ~7;
              bitCount &= 7;
            }
            p = q;
            continue;
          }
        }
        while (pendingUp > 0) {
          const len = chunkLength(pendingUp);
          pendingUp -= len;
          if (counting) {
            litTally[257 + LENGTH_SYMBOL[len]!]!++;
            distTally[upSym]!++;
            continue;
          }
          bitBuf |= lenCode[len]! << bitCount;
          bitCount += lenBits[len]!;
          dest[pos] = bitBuf;
          dest[pos + 1] = bitBuf >>> 8;
          dest[pos + 2] = bitBuf >>> 16;
          pos += bitCount >> 3;
          bitBuf >>>= bitCount & ~7;
          bitCount &= 7;
          bitBuf |= upCode << bitCount;
          bitCount += upCodeBits;
          dest[pos] = bitBuf;
          dest[pos + 1] = bitBuf >>> 8;
          dest[pos + 2] = bitBuf >>> 16;
          pos += bitCount >> 3;
          bitBuf >>>= bitCount & ~7;
          bitCount &= 7;
          bitBuf |= upExtra << bitCount;
          bitCount += upExtraBits;
          dest[pos] = bitBuf;
          dest[pos + 1] = bitBuf >>> 8;
          dest[pos + 2] = bitBuf >>> 16;
          pos += bitCount >> 3;
          bitBuf >>>= bitCount & ~7;
          bitCount &= 7;
        }
        if (up) {
          const d = v - above;
          ds += d;
          dw += (end - p) * d;
        }
        if (counting) {
          litTally[v]!++;
        } else {
          const lit = litPacked[v]!;
          bitBuf |= (lit & 0xffff) << bitCount;
          bitCount += lit >>> 16;
          dest[pos] = bitBuf;
          dest[pos + 1] = bitBuf >>> 8;
          dest[pos + 2] = bitBuf >>> 16;
          pos += bitCount >> 3;
          bitBuf >>>= bitCount & ~7;
          bitCount &= 7;
        }
        prev = v;
        p++;
      }
    }
    if (copies < k) pendingUp += (k - 1) * stride;

    let s: number;
    let w: number;
    if (hasUp) {
      // |ds| < 2^23 and |dw| < 2^38 (stride ≤ 32768): exact; the result may be negative.
      s = (lineS + ds) % ADLER_MOD;
      w = (lineW + dw) % ADLER_MOD;
      if (s < 0) s += ADLER_MOD;
      if (w < 0) w += ADLER_MOD;
    } else {
      [s, w] = lineSums(lines, off, end);
    }
    lineS = s;
    lineW = w;
    // Every product is below 2^32 and the sum below 2^35: exact in doubles.
    const km = coef[3 * i]!;
    b = mod65521(b + coef[3 * i + 1]! * a + km * w + coef[3 * i + 2]! * s);
    a = mod65521(a + km * s);
  }

  while (pendingUp > 0) {
    const len = chunkLength(pendingUp);
    pendingUp -= len;
    if (counting) {
      litTally[257 + LENGTH_SYMBOL[len]!]!++;
      distTally[upSym]!++;
      continue;
    }
    bitBuf |= lenCode[len]! << bitCount;
    bitCount += lenBits[len]!;
    dest[pos] = bitBuf;
    dest[pos + 1] = bitBuf >>> 8;
    dest[pos + 2] = bitBuf >>> 16;
    pos += bitCount >> 3;
    bitBuf >>>= bitCount & ~7;
    bitCount &= 7;
    bitBuf |= upCode << bitCount;
    bitCount += upCodeBits;
    dest[pos] = bitBuf;
    dest[pos + 1] = bitBuf >>> 8;
    dest[pos + 2] = bitBuf >>> 16;
    pos += bitCount >> 3;
    bitBuf >>>= bitCount & ~7;
    bitCount &= 7;
    bitBuf |= upExtra << bitCount;
    bitCount += upExtraBits;
    dest[pos] = bitBuf;
    dest[pos + 1] = bitBuf >>> 8;
    dest[pos + 2] = bitBuf >>> 16;
    pos += bitCount >> 3;
    bitBuf >>>= bitCount & ~7;
    bitCount &= 7;
  }
  if (counting) {
    litTally[256]!++;
    return start;
  }
  bitBuf |= tables.eobCode << bitCount;
  bitCount += tables.eobBits;
  while (bitCount > 0) {
    dest[pos++] = bitBuf;
    bitBuf >>>= 8;
    bitCount -= 8;
  }
  const adler = ((b << 16) | a) >>> 0;
  dest[pos++] = adler >>> 24;
  dest[pos++] = adler >>> 16;
  dest[pos++] = adler >>> 8;
  dest[pos++] = adler;
  return pos;
}

/**
 * Dynamic Huffman tables fitted to the given scanline bands (e.g. a sample image
 * of a geometry), usable for any image.
 */
export function tablesForScanlines(
  lines: Uint8Array,
  stride: number,
  pitch: number,
  counts: ArrayLike<number>,
  nBands: number,
): DeflateTables {
  const tally = { litLen: new Float64Array(LIT_LEN_SYMBOLS), dist: new Float64Array(DIST_SYMBOLS) };
  deflateBands(lines, stride, pitch, counts, nBands, FIXED_TABLES, new Uint8Array(0), 0, tally);
  return dynamicTables(tally.litLen, tally.dist);
}

/**
 * Writes the zlib stream of a PNG image's scanlines into `dest` at `start` and
 * returns the end offset. `dest` must hold `zlibBound(stride · Σcounts, tables)` bytes.
 *
 * @param lines  distinct scanlines, `stride` bytes each (filter byte first);
 *               band i's scanline is `lines[i·pitch, i·pitch + stride)`
 * @param pitch  distance between scanlines in `lines` (≥ stride); a multiple of 4
 *               with `lines` 4-byte aligned lets runs be compared 32 bits at a time
 * @param counts band i's scanline occurs `counts[i]` ≥ 1 times in a row
 * @param tables Huffman codes (default: fixed codes)
 */
export function writeZlibScanlines(
  lines: Uint8Array,
  stride: number,
  pitch: number,
  counts: ArrayLike<number>,
  nBands: number,
  dest: Uint8Array,
  start: number,
  tables: DeflateTables = FIXED_TABLES,
): number {
  return deflateBands(lines, stride, pitch, counts, nBands, tables, dest, start, null);
}
