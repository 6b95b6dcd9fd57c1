/**
 * Per-version symbol templates, built once per version and cached: the
 * function patterns (finders, separators, timing, alignment, dark module,
 * version information; format areas left light), the zigzag placement order
 * of data modules, and the eight data masks.
 *
 * Bit-packed layout ("lines"), holding every module twice so that both the
 * rows and the columns of the symbol are scanned by stepping along lines:
 * line t (0 … size − 1) has 2·size lanes; lane r < size is module (row r,
 * column t) — so stepping t walks along row r — and lane size + c is module
 * (row t, column c) — stepping walks down column c. Line t occupies
 * `lineWords` = ceil(2·size / 32) Int32 words from (t + LINE_PAD)·lineWords;
 * lane j is bit j & 31 of word j >> 5. Zero lines before (LINE_PAD) and
 * after the symbol stand for the light area around it.
 */
import {
  alignmentPatternCoordinates,
  assertVersion,
  functionModuleMask,
  symbolSize,
  totalCodewords,
  versionInformationBits,
} from './qr-spec.js';

/** Light lines before the symbol in the packed layout. */
export const LINE_PAD = 4;
/** Light lines after it (the penalty scan reads up to 10 lines ahead of line size − 7). */
const LINE_PAD_AFTER = 4;

export interface SymbolTemplate {
  version: number;
  size: number;
  /** Int32 words per packed line: ceil(2·size / 32). */
  lineWords: number;
  /** size·size bytes, 1 = function module. */
  isFunction: Uint8Array;
  /** Function-pattern modules (size·size bytes, 1 = dark) with the format areas light. */
  modules: Uint8Array;
  /** `modules` packed (see file comment). */
  packed: Int32Array;
  /** Dark modules of `modules`. */
  dark: number;
  /** Module index (row·size + column) of data bit i, in placement order (totalCodewords·8 entries). */
  order: Int32Array;
  /** For data bit i: word index and bit of its two lanes in the packed layout (along the row, along the column). */
  orderRowLaneWord: Int32Array;
  orderRowLaneBit: Int32Array;
  orderColumnLaneWord: Int32Array;
  orderColumnLaneBit: Int32Array;
  /** Per mask 0–7: size·size bytes, 1 where the mask inverts a data module (function modules 0). */
  maskModules: Uint8Array[];
  /**
   * Fast packing of codewords whose 8 modules are consecutive in one column
   * pair (most of them). Per codeword k: `blockKind` 1–4 (see BLOCK_BITS) or
   * 0 (packed bit by bit); the words of its right and left columns' lines
   * holding its row lanes; `blockShifts` = right lane shift | left lane shift
   * << 5 | column lane shift << 10; `blockRowWord` = the word holding its two
   * column lanes in the line of its top row (the next rows follow a line apart).
   */
  blockKind: Uint8Array;
  blockRightWord: Int32Array;
  blockLeftWord: Int32Array;
  blockShifts: Int32Array;
  blockRowWord: Int32Array;
  /**
   * Per mask 0–7: the mask bits of the 8 modules of codeword k (in symbol
   * order, first module = most significant bit) as byte k & 3 (big-endian)
   * of word k >> 2.
   */
  maskCodewordWords: Int32Array[];
  /** Per mask 0–7: data modules (remainder bits included) the mask inverts. */
  maskCount: number[];
}

/** Mask condition of ISO/IEC 18004 (i = row, j = column): true inverts the module. */
export function maskInverts(mask: number, i: number, j: number): boolean {
  switch (mask) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    case 7:
      return (((i + j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      throw new RangeError(`QR mask pattern must be an integer from 0 to 7, got ${mask}`);
  }
}

/** Int32 words per packed line of a symbol with `size` modules per side. */
export function lineWords(size: number): number {
  return Math.ceil((2 * size) / 32);
}

/** Length of the packed array of a symbol with `size` modules per side. */
export function packedLength(size: number): number {
  return (size + LINE_PAD + LINE_PAD_AFTER) * lineWords(size);
}

/** Word index of module (row, col) in the lane along its row. */
function rowLaneWord(row: number, col: number, size: number): number {
  return (col + LINE_PAD) * lineWords(size) + (row >> 5);
}

/** Word index of module (row, col) in the lane down its column. */
function columnLaneWord(row: number, col: number, size: number): number {
  return (row + LINE_PAD) * lineWords(size) + ((size + col) >> 5);
}

/** Packs size·size bytes (non-zero = dark) into the layout of the file comment. */
export function packModules(modules: Uint8Array, size: number): Int32Array {
  const out = new Int32Array(packedLength(size));
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!modules[r * size + c]) continue;
      out[rowLaneWord(r, c, size)]! |= 1 << (r & 31);
      out[columnLaneWord(r, c, size)]! |= 1 << ((size + c) & 31);
    }
  }
  return out;
}

function buildTemplate(version: number): SymbolTemplate {
  const size = symbolSize(version);
  const isFunction = functionModuleMask(version);
  const modules = new Uint8Array(size * size);
  const set = (row: number, col: number, dark: boolean): void => {
    modules[row * size + col] = dark ? 1 : 0;
  };

  // Timing patterns (the finders below overwrite their ends).
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  // Finder patterns with separators: dark ring at Chebyshev distance 3, dark 3×3 core.
  for (const [r0, c0] of [
    [0, 0],
    [0, size - 7],
    [size - 7, 0],
  ] as const) {
    for (let dr = -1; dr <= 7; dr++) {
      for (let dc = -1; dc <= 7; dc++) {
        const r = r0 + dr;
        const c = c0 + dc;
        if (r < 0 || r >= size || c < 0 || c >= size) continue;
        const d = Math.max(Math.abs(dr - 3), Math.abs(dc - 3));
        set(r, c, d !== 2 && d <= 3);
      }
    }
  }
  // Alignment patterns: dark ring at distance 2 and dark centre.
  const coords = alignmentPatternCoordinates(version);
  const last = coords.length - 1;
  coords.forEach((r, i) => {
    coords.forEach((c, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dr = -2; dr <= 2; dr++) {
        for (let dc = -2; dc <= 2; dc++) set(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
      }
    });
  });
  // Version information: bit i at (i / 3, size − 11 + i % 3) and transposed.
  if (version >= 7) {
    const bits = versionInformationBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = Math.floor(i / 3);
      const b = size - 11 + (i % 3);
      set(a, b, dark);
      set(b, a, dark);
    }
  }
  // Dark module.
  set(size - 8, 8, true);
  // Format areas stay light here (filled per ECC level and mask).
  for (const idx of formatModuleIndices(size)) modules[idx] = 0;

  // Zigzag placement order: column pairs from the right, skipping the vertical
  // timing column, alternately upwards and downwards, right module first.
  const dataBits = totalCodewords(version) * 8;
  const order = new Int32Array(dataBits);
  let n = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < size; v++) {
      const row = upward ? size - 1 - v : v;
      for (let j = 0; j < 2; j++) {
        const idx = row * size + right - j;
        if (!isFunction[idx] && n < dataBits) order[n++] = idx;
      }
    }
  }
  if (n !== dataBits) throw new Error(`version ${version}: placed ${n} of ${dataBits} data bits`);

  const orderRowLaneWord = new Int32Array(dataBits);
  const orderRowLaneBit = new Int32Array(dataBits);
  const orderColumnLaneWord = new Int32Array(dataBits);
  const orderColumnLaneBit = new Int32Array(dataBits);
  for (let i = 0; i < dataBits; i++) {
    const idx = order[i]!;
    const r = Math.floor(idx / size);
    const c = idx - r * size;
    orderRowLaneWord[i] = rowLaneWord(r, c, size);
    orderRowLaneBit[i] = 1 << (r & 31);
    orderColumnLaneWord[i] = columnLaneWord(r, c, size);
    orderColumnLaneBit[i] = 1 << ((size + c) & 31);
  }

  const codewords = dataBits / 8;
  const blockKind = new Uint8Array(codewords);
  const blockRightWord = new Int32Array(codewords);
  const blockLeftWord = new Int32Array(codewords);
  const blockShifts = new Int32Array(codewords);
  const blockRowWord = new Int32Array(codewords);
  for (let k = 0; k < codewords; k++) {
    const first = order[8 * k]!;
    const r = Math.floor(first / size);
    const col = first - r * size;
    for (let kind = 1; kind <= 4; kind++) {
      const { up, phase, right, left } = BLOCK_SHAPES[kind]!;
      const c = col + phase; // right column of the pair
      const dr = up ? -1 : 1;
      if (c >= size) continue;
      let match = true;
      for (let j = 0; j < 8 && match; j++) {
        const p = j + phase;
        match = order[8 * k + j] === (r + dr * (p >> 1)) * size + c - (p & 1);
      }
      if (!match) continue;
      const top = up ? r - 3 - phase : r; // first row of the block
      const rightTop = top + right;
      const leftTop = top + left;
      if (rightTop >> 5 !== (rightTop + 3) >> 5 || leftTop >> 5 !== (leftTop + 3) >> 5) continue;
      if ((size + c - 1) >> 5 !== (size + c) >> 5) continue;
      blockKind[k] = kind;
      blockRightWord[k] = rowLaneWord(rightTop, c, size);
      blockLeftWord[k] = rowLaneWord(leftTop, c - 1, size);
      blockShifts[k] = (rightTop & 31) | ((leftTop & 31) << 5) | (((size + c - 1) & 31) << 10);
      blockRowWord[k] = columnLaneWord(top, c, size);
      break;
    }
  }

  const maskModules: Uint8Array[] = [];
  const maskCodewordWords: Int32Array[] = [];
  const maskCount: number[] = [];
  for (let m = 0; m < 8; m++) {
    const mm = new Uint8Array(size * size);
    let count = 0;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        if (!isFunction[r * size + c] && maskInverts(m, r, c)) {
          mm[r * size + c] = 1;
          count++;
        }
      }
    }
    const perCodeword = new Int32Array((dataBits / 8 + 3) >> 2);
    for (let i = 0; i < dataBits; i++) {
      if (mm[order[i]!]) perCodeword[i >> 5]! |= 1 << (31 - (i & 31));
    }
    maskModules.push(mm);
    maskCodewordWords.push(perCodeword);
    maskCount.push(count);
  }
  let dark = 0;
  for (let i = 0; i < size * size; i++) dark += modules[i]!;

  return {
    version,
    size,
    lineWords: lineWords(size),
    isFunction,
    modules,
    packed: packModules(modules, size),
    dark,
    order,
    orderRowLaneWord,
    orderRowLaneBit,
    orderColumnLaneWord,
    orderColumnLaneBit,
    blockKind,
    blockRightWord,
    blockLeftWord,
    blockShifts,
    blockRowWord,
    maskModules,
    maskCodewordWords,
    maskCount,
  };
}

const templates: (SymbolTemplate | undefined)[] = [];

/** The cached template of `version` (built on first use). */
export function symbolTemplate(version: number): SymbolTemplate {
  assertVersion(version);
  let t = templates[version];
  if (!t) {
    t = buildTemplate(version);
    templates[version] = t;
  }
  return t;
}

/**
 * Module indices of the 15 format-information bits, bit 0 (LSB) first, for
 * both copies: [copy 1 bit 0 … 14, copy 2 bit 0 … 14].
 */
export function formatModuleIndices(size: number): Int32Array {
  const out = new Int32Array(30);
  const at = (k: number, row: number, col: number): void => {
    out[k] = row * size + col;
  };
  // Copy around the top-left finder: bits 0–5 down column 8, then (7,8), (8,8), (8,7), bits 9–14 left along row 8.
  for (let i = 0; i <= 5; i++) at(i, i, 8);
  at(6, 7, 8);
  at(7, 8, 8);
  at(8, 8, 7);
  for (let i = 9; i < 15; i++) at(i, 8, 14 - i);
  // Second copy: bits 0–7 along row 8 from the right edge, bits 8–14 down column 8 at the bottom.
  for (let i = 0; i < 8; i++) at(15 + i, 8, size - 1 - i);
  for (let i = 8; i < 15; i++) at(15 + i, size - 15 + i, 8);
  return out;
}

/**
 * Shapes of a codeword on 8 consecutive modules of a column pair (bits placed
 * right, left, right, left, … moving up or down): kind 1 up, 2 down, starting
 * in the right column (phase 0); 3 up, 4 down, starting in the left column
 * (phase 1, spanning 5 rows). `right` / `left`: first row of the 4 bits in
 * the right / left column, relative to the block's top row.
 */
const BLOCK_SHAPES: readonly { up: boolean; phase: number; right: number; left: number }[] = [
  { up: true, phase: 0, right: 0, left: 0 }, // unused (kind 0)
  { up: true, phase: 0, right: 0, left: 0 },
  { up: false, phase: 0, right: 0, left: 0 },
  { up: true, phase: 1, right: 0, left: 1 },
  { up: false, phase: 1, right: 1, left: 0 },
];

/**
 * BLOCK_BITS[kind · 256 + v]: codeword v in a block of that kind as the 4 row
 * lanes of its right column (bits 0–3, top row first), of its left column
 * (bits 4–7), and per row of the block from the top the pair (left column,
 * right column) of column lanes (bits 8–9, 10–11, …, 16–17).
 */
export const BLOCK_BITS = new Int32Array(5 * 256);
for (let kind = 1; kind <= 4; kind++) {
  const { up, phase, right, left } = BLOCK_SHAPES[kind]!;
  const span = 4 + phase;
  for (let v = 0; v < 256; v++) {
    let e = 0;
    for (let j = 0; j < 8; j++) {
      if (((v >> (7 - j)) & 1) === 0) continue;
      const p = j + phase;
      const row = up ? span - 1 - (p >> 1) : p >> 1; // relative to the top row
      const isRight = (p & 1) === 0;
      e |= 1 << (isRight ? row - right : 4 + row - left);
      e |= 1 << (8 + 2 * row + (isRight ? 1 : 0));
    }
    BLOCK_BITS[kind * 256 + v] = e;
  }
}
