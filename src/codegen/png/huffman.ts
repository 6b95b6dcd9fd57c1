/**
 * Huffman code construction for DEFLATE (RFC 1951 §3.2.2, §3.2.7): length-limited
 * code lengths from symbol frequencies, canonical codes, and the header of a
 * dynamic-Huffman block.
 */

/**
 * Code lengths (≤ maxBits) for the given frequencies; symbols with frequency 0
 * get length 0. The code is complete whenever two or more symbols are used.
 * Deterministic: ties are broken by symbol order.
 */
export function huffmanLengths(freqs: ArrayLike<number>, maxBits: number): Uint8Array {
  const n = freqs.length;
  const lengths = new Uint8Array(n);
  const used: number[] = [];
  for (let s = 0; s < n; s++) if (freqs[s]! > 0) used.push(s);
  if (used.length === 0) return lengths;
  if (used.length === 1) {
    lengths[used[0]!] = 1;
    return lengths;
  }
  if (used.length > 1 << maxBits) throw new RangeError(`${used.length} symbols do not fit in ${maxBits}-bit codes`);
  // Halve the frequencies (keeping them ≥ 1) until the tree is shallow enough.
  let weights = used.map((s) => freqs[s]!);
  for (;;) {
    const depth = treeDepths(weights);
    if (Math.max(...depth) <= maxBits) {
      used.forEach((s, i) => (lengths[s] = depth[i]!));
      return lengths;
    }
    weights = weights.map((w) => Math.max(1, w >>> 1));
  }
}

/** Leaf depths of a Huffman tree over `weights` (two-queue construction, leaves sorted stably). */
function treeDepths(weights: number[]): number[] {
  const m = weights.length;
  const order = weights.map((_, i) => i).sort((a, b) => weights[a]! - weights[b]! || a - b);
  // Nodes 0..m-1 are leaves (in `order`), m.. are internal nodes in creation order.
  const weight: number[] = order.map((i) => weights[i]!);
  const parent: number[] = new Array<number>(2 * m - 1).fill(-1);
  let leaf = 0;
  let inner = m;
  let next = m;
  const take = (): number => {
    if (leaf < m && (inner >= next || weight[leaf]! <= weight[inner]!)) return leaf++;
    return inner++;
  };
  while (next < 2 * m - 1) {
    const a = take();
    const b = take();
    weight[next] = weight[a]! + weight[b]!;
    parent[a] = next;
    parent[b] = next;
    next++;
  }
  const depthOf: number[] = new Array<number>(2 * m - 1).fill(0);
  for (let v = 2 * m - 3; v >= 0; v--) depthOf[v] = depthOf[parent[v]!]! + 1;
  const depths = new Array<number>(m);
  for (let k = 0; k < m; k++) depths[order[k]!] = depthOf[k]!;
  return depths;
}

function reverseBits(code: number, length: number): number {
  let r = 0;
  for (let i = 0; i < length; i++) {
    r = (r << 1) | (code & 1);
    code >>>= 1;
  }
  return r;
}

/** Canonical codes for the lengths, bit-reversed for LSB-first output (RFC 1951 §3.2.2). */
export function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const maxBits = Math.max(0, ...lengths);
  const count = new Array<number>(maxBits + 1).fill(0);
  for (const l of lengths) if (l > 0) count[l]!++;
  const next = new Array<number>(maxBits + 2).fill(0);
  let code = 0;
  for (let bits = 1; bits <= maxBits; bits++) {
    code = (code + count[bits - 1]!) << 1;
    next[bits] = code;
  }
  const codes = new Uint16Array(lengths.length);
  lengths.forEach((l, s) => {
    if (l > 0) codes[s] = reverseBits(next[l]!++, l);
  });
  return codes;
}

/** Collects bits LSB first. */
export class BitSink {
  private bytes: number[] = [];
  private buf = 0;
  private count = 0;
  bits = 0;

  put(value: number, bits: number): void {
    for (let i = 0; i < bits; i++) {
      this.buf |= ((value >>> i) & 1) << this.count;
      if (++this.count === 8) {
        this.bytes.push(this.buf);
        this.buf = 0;
        this.count = 0;
      }
    }
    this.bits += bits;
  }

  /** The bits so far, the last byte padded with zeros. */
  toBytes(): Uint8Array {
    return Uint8Array.from(this.count > 0 ? [...this.bytes, this.buf] : this.bytes);
  }
}

/** Order in which code-length code lengths are sent. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * Writes the header of a final dynamic-Huffman block (BFINAL, BTYPE = 10, HLIT,
 * HDIST, HCLEN, the code-length code and the run-length coded code lengths).
 */
export function writeDynamicHeader(sink: BitSink, litLengths: Uint8Array, distLengths: Uint8Array): void {
  let hlit = 286;
  while (hlit > 257 && litLengths[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLengths[hdist - 1] === 0) hdist--;
  const all = [...litLengths.subarray(0, hlit), ...distLengths.subarray(0, hdist)];

  // Run-length code the lengths: [symbol, extra value, extra bits].
  const ops: Array<[number, number, number]> = [];
  for (let i = 0; i < all.length; ) {
    const l = all[i]!;
    let run = 1;
    while (i + run < all.length && all[i + run] === l) run++;
    i += run;
    if (l === 0) {
      while (run >= 11) {
        const r = Math.min(run, 138);
        ops.push([18, r - 11, 7]);
        run -= r;
      }
      if (run >= 3) {
        ops.push([17, run - 3, 3]);
        run = 0;
      }
      for (; run > 0; run--) ops.push([0, 0, 0]);
    } else {
      ops.push([l, 0, 0]);
      run--;
      while (run >= 3) {
        const r = Math.min(run, 6);
        ops.push([16, r - 3, 2]);
        run -= r;
      }
      for (; run > 0; run--) ops.push([l, 0, 0]);
    }
  }
  const clFreq = new Array<number>(19).fill(0);
  for (const [s] of ops) clFreq[s]!++;
  // zlib rejects an incomplete code-length code: make sure at least two symbols have a code.
  if (clFreq.filter((f) => f > 0).length < 2) clFreq[clFreq[0]! > 0 ? 1 : 0] = 1;
  const clLengths = huffmanLengths(clFreq, 7);
  const clCodes = canonicalCodes(clLengths);
  let hclen = 19;
  while (hclen > 4 && clLengths[CL_ORDER[hclen - 1]!] === 0) hclen--;

  sink.put(1, 1); // BFINAL
  sink.put(2, 2); // BTYPE = 10: dynamic Huffman
  sink.put(hlit - 257, 5);
  sink.put(hdist - 1, 5);
  sink.put(hclen - 4, 4);
  for (let i = 0; i < hclen; i++) sink.put(clLengths[CL_ORDER[i]!]!, 3);
  for (const [s, extra, bits] of ops) {
    sink.put(clCodes[s]!, clLengths[s]!);
    if (bits > 0) sink.put(extra, bits);
  }
}
