/**
 * Data segments of a QR symbol: numeric, alphanumeric and byte (UTF-8) modes
 * (no Kanji, no ECI), with an optimal segmentation — the one with the fewest
 * bits for the character-count field widths of a given version — found by
 * dynamic programming over (character position, mode of the current segment).
 */
import { assertVersion } from './qr-spec.js';

export type SegmentMode = 'numeric' | 'alphanumeric' | 'byte';

export interface Segment {
  mode: SegmentMode;
  /** The characters of the segment (a substring of the text). */
  data: string;
  /** Characters (numeric, alphanumeric) or UTF-8 bytes (byte): the value of the character-count field. */
  count: number;
}

export const MODE_NUMERIC = 0;
export const MODE_ALPHANUMERIC = 1;
export const MODE_BYTE = 2;

const MODE_NAMES: readonly SegmentMode[] = ['numeric', 'alphanumeric', 'byte'];
const MODE_INDICATOR: readonly number[] = [0b0001, 0b0010, 0b0100];

/** Character-count field widths by version class (1–9, 10–26, 27–40), then mode. */
const COUNT_BITS: readonly (readonly number[])[] = [
  [10, 9, 8],
  [12, 11, 16],
  [14, 13, 16],
];

function versionClass(version: number): number {
  return version <= 9 ? 0 : version <= 26 ? 1 : 2;
}

function modeIndex(mode: SegmentMode): number {
  const m = MODE_NAMES.indexOf(mode);
  if (m < 0) throw new RangeError(`QR segment mode must be numeric, alphanumeric or byte, got ${mode}`);
  return m;
}

/** Width of the character-count field of `mode` in symbols of `version`. */
export function charCountBits(mode: SegmentMode, version: number): number {
  assertVersion(version);
  return COUNT_BITS[versionClass(version)]![modeIndex(mode)]!;
}

/**
 * Bits of a whole segment (4-bit mode indicator, character-count field, data)
 * holding `count` characters (numeric, alphanumeric) or bytes (byte).
 */
export function segmentBits(mode: SegmentMode, count: number, version: number): number {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`segment length must be a non-negative integer, got ${count}`);
  const m = modeIndex(mode);
  return 4 + charCountBits(mode, version) + dataBits(m, count);
}

function dataBits(mode: number, count: number): number {
  if (mode === MODE_NUMERIC) return 10 * Math.floor(count / 3) + (count % 3 === 0 ? 0 : count % 3 === 1 ? 4 : 7);
  if (mode === MODE_ALPHANUMERIC) return 11 * (count >> 1) + 6 * (count & 1);
  return 8 * count;
}

/** Alphanumeric-mode value of each ASCII code (−1 if the character is not in the set). */
export const ALPHANUMERIC_VALUE = new Int8Array(128).fill(-1);
{
  const set = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  for (let i = 0; i < set.length; i++) ALPHANUMERIC_VALUE[set.charCodeAt(i)] = i;
}

/**
 * An optimal segmentation held in shared scratch arrays: valid until the next
 * call of `segmentOptimally` (everything here is synchronous).
 */
export interface Segmentation {
  /** Number of segments. */
  count: number;
  /** Per segment: MODE_NUMERIC, MODE_ALPHANUMERIC or MODE_BYTE. */
  modes: Uint8Array;
  /** Per segment: first and one-past-last UTF-16 code unit in the text. */
  starts: Int32Array;
  ends: Int32Array;
  /** Per segment: value of the character-count field (characters, or bytes in byte mode). */
  lengths: Int32Array;
  /** Total bits of all segments (mode indicators, count fields, data). */
  bits: number;
}

// Scratch, grown on demand: per code point its first code unit, class and UTF-8 length,
// and the DP back pointers (mode of the previous state, 3 = start).
let cpStart = new Int32Array(64);
let cpClass = new Uint8Array(64);
let cpBytes = new Uint8Array(64);
let back = new Uint8Array(3 * 64);
const scratch: Segmentation = {
  count: 0,
  modes: new Uint8Array(64),
  starts: new Int32Array(64),
  ends: new Int32Array(64),
  lengths: new Int32Array(64),
  bits: 0,
};

function growTo(codeUnits: number): void {
  if (cpStart.length > codeUnits) return;
  const n = Math.max(codeUnits + 1, cpStart.length * 2);
  cpStart = new Int32Array(n);
  cpClass = new Uint8Array(n);
  cpBytes = new Uint8Array(n);
  back = new Uint8Array(3 * n);
  scratch.modes = new Uint8Array(n);
  scratch.starts = new Int32Array(n);
  scratch.ends = new Int32Array(n);
  scratch.lengths = new Int32Array(n);
}

const INF = 0x3fffffff;

/**
 * Optimal segmentation of `text` for `version` (only its class 1–9, 10–26,
 * 27–40 matters). Costs are kept in sixths of a bit (numeric 20 per digit,
 * alphanumeric 33 per character, byte 48 per UTF-8 byte) and rounded up to
 * whole bits whenever a segment ends, which makes them exact. Lone surrogates
 * count as U+FFFD, as TextEncoder encodes them.
 */
export function segmentOptimally(text: string, version: number): Segmentation {
  assertVersion(version);
  const cc = COUNT_BITS[versionClass(version)]!;
  const head0 = (4 + cc[0]!) * 6;
  const head1 = (4 + cc[1]!) * 6;
  const head2 = (4 + cc[2]!) * 6;
  const len = text.length;
  growTo(len);
  const starts = cpStart;
  const classes = cpClass;
  const bytes = cpBytes;
  const bp = back;

  // cost of the best encoding of the characters so far whose last segment has mode 0/1/2
  let c0 = INF;
  let c1 = INF;
  let c2 = INF;
  let n = 0;
  for (let i = 0; i < len; n++) {
    const ch = text.charCodeAt(i);
    starts[n] = i;
    let cls: number;
    let nb: number;
    if (ch < 0x80) {
      nb = 1;
      cls = ch >= 0x30 && ch <= 0x39 ? 0 : ALPHANUMERIC_VALUE[ch]! >= 0 ? 1 : 2;
      i++;
    } else {
      cls = 2;
      if (ch < 0x800) nb = 2;
      else if (ch >= 0xd800 && ch <= 0xdbff && i + 1 < len) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          nb = 4;
          i++;
        } else nb = 3;
      } else nb = 3;
      i++;
    }
    classes[n] = cls;
    bytes[n] = nb;

    // Cheapest way to end the previous segment (rounded up to whole bits) and start a new one.
    let sw: number;
    let swFrom: number;
    if (n === 0) {
      sw = 0;
      swFrom = 3;
    } else {
      sw = Math.ceil(c0 / 6) * 6;
      swFrom = 0;
      const e1 = Math.ceil(c1 / 6) * 6;
      if (e1 < sw) {
        sw = e1;
        swFrom = 1;
      }
      const e2 = Math.ceil(c2 / 6) * 6;
      if (e2 < sw) {
        sw = e2;
        swFrom = 2;
      }
    }
    const o = 3 * n;
    // byte mode: every character
    const add2 = 48 * nb;
    let cont = c2 + add2;
    let start = sw + head2 + add2;
    if (cont <= start) {
      c2 = cont;
      bp[o + 2] = 2;
    } else {
      c2 = start;
      bp[o + 2] = swFrom;
    }
    if (cls <= 1) {
      cont = c1 + 33;
      start = sw + head1 + 33;
      if (cont <= start) {
        c1 = cont;
        bp[o + 1] = 1;
      } else {
        c1 = start;
        bp[o + 1] = swFrom;
      }
    } else c1 = INF;
    if (cls === 0) {
      cont = c0 + 20;
      start = sw + head0 + 20;
      if (cont <= start) {
        c0 = cont;
        bp[o] = 0;
      } else {
        c0 = start;
        bp[o] = swFrom;
      }
    } else c0 = INF;
  }
  starts[n] = len;

  const seg = scratch;
  seg.count = 0;
  seg.bits = 0;
  if (n === 0) return seg;

  let best = Math.ceil(c0 / 6);
  let mode = 0;
  if (Math.ceil(c1 / 6) < best) {
    best = Math.ceil(c1 / 6);
    mode = 1;
  }
  if (Math.ceil(c2 / 6) < best) {
    best = Math.ceil(c2 / 6);
    mode = 2;
  }
  seg.bits = best;

  // Walk back: each character's mode, grouped into segments (stored in reverse, then flipped).
  let count = 0;
  let end = n;
  let k = n - 1;
  while (k >= 0) {
    let segLen = 0;
    let prev = mode;
    let i = k;
    for (; i >= 0; i--) {
      prev = bp[3 * i + mode]!;
      segLen += mode === MODE_BYTE ? bytes[i]! : 1;
      if (prev !== mode) break;
    }
    const first = i < 0 ? 0 : i;
    seg.modes[count] = mode;
    seg.starts[count] = starts[first]!;
    seg.ends[count] = starts[end]!;
    seg.lengths[count] = segLen;
    count++;
    end = first;
    k = first - 1;
    mode = prev;
  }
  seg.count = count;
  for (let a = 0, b = count - 1; a < b; a++, b--) {
    swap8(seg.modes, a, b);
    swap32(seg.starts, a, b);
    swap32(seg.ends, a, b);
    swap32(seg.lengths, a, b);
  }
  return seg;
}

function swap8(a: Uint8Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function swap32(a: Int32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** The optimal segmentation of `text` for `version` as fresh objects. */
export function segmentText(text: string, version: number): Segment[] {
  const seg = segmentOptimally(text, version);
  const out: Segment[] = [];
  for (let i = 0; i < seg.count; i++) {
    out.push({
      mode: MODE_NAMES[seg.modes[i]!]!,
      data: text.slice(seg.starts[i]!, seg.ends[i]!),
      count: seg.lengths[i]!,
    });
  }
  return out;
}

/** Bits of the optimal segmentation of `text` at `version` (without terminator and padding). */
export function optimalBitLength(text: string, version: number): number {
  return segmentOptimally(text, version).bits;
}

/** MSB-first bit writer into a byte buffer. */
class BitWriter {
  out: Uint8Array = new Uint8Array(0);
  pos = 0;
  private acc = 0;
  private accBits = 0;

  reset(out: Uint8Array): void {
    this.out = out;
    this.pos = 0;
    this.acc = 0;
    this.accBits = 0;
  }

  /** Appends the `bits` (≤ 24) low bits of `value`. */
  put(value: number, bits: number): void {
    let acc = (this.acc << bits) | value;
    let n = this.accBits + bits;
    while (n >= 8) {
      n -= 8;
      this.out[this.pos++] = acc >>> n;
    }
    this.acc = acc & ((1 << n) - 1);
    this.accBits = n;
  }

  /** Bits written so far. */
  get length(): number {
    return this.pos * 8 + this.accBits;
  }

  /** Pads with zero bits to the next byte boundary. */
  alignToByte(): void {
    if (this.accBits > 0) this.put(0, 8 - this.accBits);
  }
}

const writer = new BitWriter();

/**
 * Writes the data codewords of a symbol into `out[0 … capacityBytes)`: the
 * segments of `seg` (an optimal segmentation of `text` at `version`), the
 * terminator, zero bits up to a byte boundary and the pad codewords 0xEC 0x11.
 * The caller has checked that `seg.bits ≤ capacityBytes · 8`.
 */
export function writeDataCodewords(
  seg: Segmentation,
  text: string,
  version: number,
  out: Uint8Array,
  capacityBytes: number,
): void {
  const cc = COUNT_BITS[versionClass(version)]!;
  const w = writer;
  w.reset(out);
  for (let s = 0; s < seg.count; s++) {
    const mode = seg.modes[s]!;
    const start = seg.starts[s]!;
    const end = seg.ends[s]!;
    const length = seg.lengths[s]!;
    const countBits = cc[mode]!;
    if (length >= 1 << countBits) {
      throw new RangeError(`segment of ${length} characters overflows its ${countBits}-bit count field`);
    }
    w.put((MODE_INDICATOR[mode]! << countBits) | length, 4 + countBits);
    if (mode === MODE_NUMERIC) {
      let i = start;
      for (; i + 3 <= end; i += 3) {
        w.put(
          (text.charCodeAt(i) - 48) * 100 + (text.charCodeAt(i + 1) - 48) * 10 + (text.charCodeAt(i + 2) - 48),
          10,
        );
      }
      if (end - i === 2) w.put((text.charCodeAt(i) - 48) * 10 + (text.charCodeAt(i + 1) - 48), 7);
      else if (end - i === 1) w.put(text.charCodeAt(i) - 48, 4);
    } else if (mode === MODE_ALPHANUMERIC) {
      let i = start;
      for (; i + 2 <= end; i += 2) {
        w.put(ALPHANUMERIC_VALUE[text.charCodeAt(i)]! * 45 + ALPHANUMERIC_VALUE[text.charCodeAt(i + 1)]!, 11);
      }
      if (i < end) w.put(ALPHANUMERIC_VALUE[text.charCodeAt(i)]!, 6);
    } else {
      for (let i = start; i < end; i++) {
        let cp = text.charCodeAt(i);
        if (cp < 0x80) w.put(cp, 8);
        else if (cp < 0x800) w.put(((0xc0 | (cp >> 6)) << 8) | 0x80 | (cp & 0x3f), 16);
        else {
          if (cp >= 0xd800 && cp <= 0xdfff) {
            const lo = i + 1 < end ? text.charCodeAt(i + 1) : 0;
            if (cp <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              i++;
              w.put(0xf0 | (cp >> 18), 8);
              w.put(((0x80 | ((cp >> 12) & 0x3f)) << 16) | ((0x80 | ((cp >> 6) & 0x3f)) << 8) | 0x80 | (cp & 0x3f), 24);
              continue;
            }
            cp = 0xfffd; // lone surrogate, as TextEncoder does
          }
          w.put(((0xe0 | (cp >> 12)) << 16) | ((0x80 | ((cp >> 6) & 0x3f)) << 8) | 0x80 | (cp & 0x3f), 24);
        }
      }
    }
  }
  const capacityBits = capacityBytes * 8;
  w.put(0, Math.min(4, capacityBits - w.length));
  w.alignToByte();
  for (let i = w.pos, pad = 0xec; i < capacityBytes; i++, pad ^= 0xec ^ 0x11) out[i] = pad;
}
