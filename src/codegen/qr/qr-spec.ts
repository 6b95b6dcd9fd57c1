/**
 * Static facts about QR Code symbols (ISO/IEC 18004), computed or tabulated
 * here so that layout planning does not depend on any encoder.
 */

export type EccLevel = 'L' | 'M' | 'Q' | 'H';

export const MIN_VERSION = 1;
export const MAX_VERSION = 40;

const ECC_INDEX: Record<EccLevel, number> = { L: 0, M: 1, Q: 2, H: 3 };

// Per version 1..40 (index 0 unused): error-correction codewords per block, by level L, M, Q, H.
const EC_CODEWORDS_PER_BLOCK: readonly (readonly number[])[] = [
  [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
];

// Per version 1..40 (index 0 unused): number of error-correction blocks, by level L, M, Q, H.
const EC_BLOCKS: readonly (readonly number[])[] = [
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

export function assertVersion(version: number): void {
  if (!Number.isInteger(version) || version < MIN_VERSION || version > MAX_VERSION) {
    throw new RangeError(`QR version must be an integer from 1 to 40, got ${version}`);
  }
}

export function assertEcc(ecc: string): asserts ecc is EccLevel {
  if (!(ecc in ECC_INDEX)) throw new RangeError(`QR error correction level must be L, M, Q or H, got ${ecc}`);
}

export function assertMask(mask: number): void {
  if (!Number.isInteger(mask) || mask < 0 || mask > 7) {
    throw new RangeError(`QR mask pattern must be an integer from 0 to 7, got ${mask}`);
  }
}

/** Modules per side of a symbol of the given version (without quiet zone). */
export function symbolSize(version: number): number {
  assertVersion(version);
  return 17 + 4 * version;
}

/** Row/column coordinates of alignment pattern centres (empty for version 1). */
export function alignmentPatternCoordinates(version: number): number[] {
  assertVersion(version);
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const size = symbolSize(version);
  const step = version === 32 ? 26 : Math.ceil((size - 13) / (2 * count - 2)) * 2;
  const coords = [6];
  for (let i = count - 2; i >= 0; i--) coords.push(size - 7 - i * step);
  return coords;
}

/** Number of modules available for data + error-correction codewords (incl. remainder bits). */
function rawDataModules(version: number): number {
  let modules = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    modules -= (25 * align - 10) * align - 55;
    if (version >= 7) modules -= 36;
  }
  return modules;
}

export function totalCodewords(version: number): number {
  assertVersion(version);
  return Math.floor(rawDataModules(version) / 8);
}

export function ecCodewordsPerBlock(version: number, ecc: EccLevel): number {
  assertVersion(version);
  assertEcc(ecc);
  return EC_CODEWORDS_PER_BLOCK[ECC_INDEX[ecc]]![version]!;
}

export function ecBlockCount(version: number, ecc: EccLevel): number {
  assertVersion(version);
  assertEcc(ecc);
  return EC_BLOCKS[ECC_INDEX[ecc]]![version]!;
}

export function dataCodewords(version: number, ecc: EccLevel): number {
  return totalCodewords(version) - ecCodewordsPerBlock(version, ecc) * ecBlockCount(version, ecc);
}

/** Data capacity in bits (data codewords · 8) of a symbol of `version` at `ecc`. */
export function dataCapacityBits(version: number, ecc: EccLevel): number {
  return dataCodewords(version, ecc) * 8;
}

/** The 2-bit error-correction indicator of the format information (L 01, M 00, Q 11, H 10). */
export function eccFormatBits(ecc: EccLevel): number {
  assertEcc(ecc);
  return FORMAT_ECC_BITS[ECC_INDEX[ecc]]!;
}

const FORMAT_ECC_BITS: readonly number[] = [1, 0, 3, 2];

/**
 * The 15 format-information bits for `ecc` and `mask` (0–7): the 5 data bits,
 * their BCH(15,5) remainder (generator 0x537), XORed with 0x5412.
 */
export function formatInformationBits(ecc: EccLevel, mask: number): number {
  assertMask(mask);
  const data = (eccFormatBits(ecc) << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | (rem & 0x3ff)) ^ 0x5412;
}

/** The 18 version-information bits (versions 7+): version and its BCH(18,6) remainder (generator 0x1f25). */
export function versionInformationBits(version: number): number {
  assertVersion(version);
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | (rem & 0xfff);
}

/** Maximum number of bytes a single byte-mode segment can carry. */
export function byteModeCapacity(version: number, ecc: EccLevel): number {
  const bits = dataCodewords(version, ecc) * 8 - 4 - (version <= 9 ? 8 : 16);
  return Math.floor(bits / 8);
}

/**
 * Mask of function modules (finder patterns + separators, timing patterns,
 * alignment patterns, format and version information, the dark module):
 * size·size bytes, row-major, 1 = function module. Data never lives there.
 */
export function functionModuleMask(version: number): Uint8Array {
  const size = symbolSize(version);
  const mask = new Uint8Array(size * size);
  const mark = (row: number, col: number): void => {
    if (row >= 0 && row < size && col >= 0 && col < size) mask[row * size + col] = 1;
  };
  const rect = (row: number, col: number, h: number, w: number): void => {
    for (let r = row; r < row + h; r++) for (let c = col; c < col + w; c++) mark(r, c);
  };
  // Finder patterns with their separators (8x8 at three corners).
  rect(0, 0, 8, 8);
  rect(0, size - 8, 8, 8);
  rect(size - 8, 0, 8, 8);
  // Timing patterns.
  rect(6, 0, 1, size);
  rect(0, 6, size, 1);
  // Format information (around the finders) and the dark module.
  rect(8, 0, 1, 9);
  rect(0, 8, 9, 1);
  rect(8, size - 8, 1, 8);
  rect(size - 8, 8, 8, 1);
  // Version information (versions 7+).
  if (version >= 7) {
    rect(0, size - 11, 6, 3);
    rect(size - 11, 0, 3, 6);
  }
  // Alignment patterns, except those overlapping the finder patterns.
  const coords = alignmentPatternCoordinates(version);
  const last = coords.length - 1;
  coords.forEach((r, i) => {
    coords.forEach((c, j) => {
      const onFinder = (i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0);
      if (!onFinder) rect(r - 2, c - 2, 5, 5);
    });
  });
  return mask;
}
