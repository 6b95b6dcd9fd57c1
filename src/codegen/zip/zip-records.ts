/**
 * Encoders for the records of a zip archive (PKWARE APPNOTE 6.3.x), with ZIP64 where needed.
 *
 * Pure functions, no I/O. Every record has a `write…(target, pos, …)` form that encodes into an
 * existing buffer and returns the position after it (used by the streaming writer's hot path), and
 * an `encode…(…)` form that returns a fresh Buffer.
 *
 * Conventions used for every entry:
 * - general-purpose flag bit 11 (names are UTF-8), plus bit 3 for streamed entries (data descriptor);
 * - version made by = Unix (3) / 4.5; version needed = 2.0, or 4.5 when ZIP64 fields are present;
 * - external attributes = regular file, mode 0644 (in the high 16 bits);
 * - no extra fields except the ZIP64 extended information (0x0001) in the central directory.
 */

export const LOCAL_FILE_HEADER_SIGNATURE = 0x04034b50;
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;
export const CENTRAL_DIRECTORY_HEADER_SIGNATURE = 0x02014b50;
export const ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06064b50;
export const ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE = 0x07064b50;
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
export const ZIP64_EXTRA_FIELD_ID = 0x0001;

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

export const FLAG_DATA_DESCRIPTOR = 1 << 3;
export const FLAG_UTF8 = 1 << 11;

/** Version made by: high byte = host system (3 = Unix), low byte = spec version 4.5. */
export const VERSION_MADE_BY = (3 << 8) | 45;
export const VERSION_NEEDED_DEFAULT = 20;
export const VERSION_NEEDED_ZIP64 = 45;
/** Regular file (S_IFREG 0o100000), permissions 0644, in the high 16 bits. */
export const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

/** Largest value a 32-bit field may hold before it must be replaced by the 0xFFFFFFFF marker. */
export const MAX_UINT32_FIELD = 0xfffffffe;
/** Largest entry count the 16-bit EOCD fields may hold before the 0xFFFF marker is needed. */
export const MAX_UINT16_COUNT = 0xfffe;
export const MAX_NAME_BYTES = 0xffff;

export const LOCAL_FILE_HEADER_FIXED_LENGTH = 30;
export const CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH = 46;
export const DATA_DESCRIPTOR_LENGTH = 16;
export const ZIP64_DATA_DESCRIPTOR_LENGTH = 24;
export const ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH = 56;
export const ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_LENGTH = 20;
export const END_OF_CENTRAL_DIRECTORY_LENGTH = 22;

const TWO_POW_32 = 0x1_0000_0000;

export class ZipNameError extends Error {
  constructor(
    message: string,
    readonly entryName: string,
  ) {
    super(message);
    this.name = 'ZipNameError';
  }
}

/**
 * Validates an entry name and returns its length in UTF-8 bytes. A name must be non-empty, relative
 * (no leading '/'), use '/' as separator (no backslash), contain no '..' segment and no NUL, and be
 * at most 65 535 bytes of UTF-8.
 */
export function validateEntryName(name: string): number {
  if (name.length === 0) throw new ZipNameError('zip entry name is empty', name);
  if (name.charCodeAt(0) === 0x2f) throw new ZipNameError(`zip entry name is absolute: ${name}`, name);
  if (name.includes('\\')) throw new ZipNameError(`zip entry name contains a backslash: ${name}`, name);
  if (name.includes('\0')) throw new ZipNameError('zip entry name contains a NUL character', name);
  if (name.includes('..') && name.split('/').includes('..')) {
    throw new ZipNameError(`zip entry name contains a '..' segment: ${name}`, name);
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) throw new ZipNameError(`zip entry name is longer than ${MAX_NAME_BYTES} bytes`, name.slice(0, 64));
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// DOS date and time

export interface DosDateTime {
  /** Bits 15–11 hour, 10–5 minute, 4–0 seconds / 2. */
  time: number;
  /** Bits 15–9 years since 1980, 8–5 month (1–12), 4–0 day (1–31). */
  date: number;
}

/**
 * MS-DOS date and time of a Date, in local time (as zip tools expect), with 2-second resolution
 * (seconds rounded down). Dates before 1980 clamp to 1980-01-01 00:00:00, after 2107 to 2107-12-31 23:59:58.
 */
export function toDosDateTime(d: Date): DosDateTime {
  const year = d.getFullYear();
  if (Number.isNaN(year)) throw new RangeError('invalid date');
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** The local-time Date an MS-DOS date and time stand for. */
export function fromDosDateTime(dos: DosDateTime): Date {
  return new Date(
    (dos.date >> 9) + 1980,
    ((dos.date >> 5) & 0x0f) - 1,
    dos.date & 0x1f,
    dos.time >> 11,
    (dos.time >> 5) & 0x3f,
    (dos.time & 0x1f) * 2,
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers

function writeUInt64LE(target: Buffer, value: number, pos: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a 64-bit size/offset: ${value}`);
  target.writeUInt32LE(value % TWO_POW_32, pos);
  target.writeUInt32LE(Math.floor(value / TWO_POW_32), pos + 4);
  return pos + 8;
}

function checkSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`invalid ${what}: ${value}`);
}

// ---------------------------------------------------------------------------------------------
// Local file header

export interface LocalEntry {
  name: string;
  method: typeof METHOD_STORE | typeof METHOD_DEFLATE;
  dos: DosDateTime;
  /**
   * Streamed entry: flag bit 3 is set, CRC-32 and sizes are 0 in the local header and follow the data
   * in a data descriptor. Otherwise `crc32` and the sizes are written in the header.
   */
  dataDescriptor: boolean;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
}

export function localFileHeaderLength(nameLength: number): number {
  return LOCAL_FILE_HEADER_FIXED_LENGTH + nameLength;
}

/**
 * Writes a local file header followed by the entry name at `pos`; `nameLength` is what
 * {@link validateEntryName} returned for `e.name`. Returns the position after the name.
 *
 * Entries with known sizes must be below 4 GiB (no ZIP64 in local headers); streamed entries carry
 * zeros here, and their descriptor uses the ZIP64 form only if their sizes overflow 32 bits (APPNOTE 4.3.9.2).
 */
export function writeLocalFileHeader(target: Buffer, pos: number, e: LocalEntry, nameLength: number): number {
  let crc = 0;
  let compressed = 0;
  let uncompressed = 0;
  if (!e.dataDescriptor) {
    if (e.compressedSize > MAX_UINT32_FIELD || e.uncompressedSize > MAX_UINT32_FIELD) {
      throw new RangeError('entries of 4 GiB or more must be written with a data descriptor');
    }
    crc = e.crc32;
    compressed = e.compressedSize;
    uncompressed = e.uncompressedSize;
  }
  target.writeUInt32LE(LOCAL_FILE_HEADER_SIGNATURE, pos);
  target.writeUInt16LE(VERSION_NEEDED_DEFAULT, pos + 4);
  target.writeUInt16LE(e.dataDescriptor ? FLAG_UTF8 | FLAG_DATA_DESCRIPTOR : FLAG_UTF8, pos + 6);
  target.writeUInt16LE(e.method, pos + 8);
  target.writeUInt16LE(e.dos.time, pos + 10);
  target.writeUInt16LE(e.dos.date, pos + 12);
  target.writeUInt32LE(crc, pos + 14);
  target.writeUInt32LE(compressed, pos + 18);
  target.writeUInt32LE(uncompressed, pos + 22);
  target.writeUInt16LE(nameLength, pos + 26);
  target.writeUInt16LE(0, pos + 28);
  const written = target.write(e.name, pos + LOCAL_FILE_HEADER_FIXED_LENGTH, nameLength, 'utf8');
  if (written !== nameLength) throw new RangeError('no room for the entry name');
  return pos + LOCAL_FILE_HEADER_FIXED_LENGTH + nameLength;
}

export function encodeLocalFileHeader(e: LocalEntry): Buffer {
  const nameLength = validateEntryName(e.name);
  const out = Buffer.alloc(localFileHeaderLength(nameLength));
  writeLocalFileHeader(out, 0, e, nameLength);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Data descriptor

export interface DataDescriptor {
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
}

export function isZip64DataDescriptor(d: Pick<DataDescriptor, 'compressedSize' | 'uncompressedSize'>): boolean {
  return d.compressedSize > MAX_UINT32_FIELD || d.uncompressedSize > MAX_UINT32_FIELD;
}

export function dataDescriptorLength(d: Pick<DataDescriptor, 'compressedSize' | 'uncompressedSize'>): number {
  return isZip64DataDescriptor(d) ? ZIP64_DATA_DESCRIPTOR_LENGTH : DATA_DESCRIPTOR_LENGTH;
}

/** Signature, CRC-32, then sizes as 4-byte values, or 8-byte values (ZIP64 form) when either is ≥ 0xFFFFFFFF. */
export function writeDataDescriptor(target: Buffer, pos: number, d: DataDescriptor): number {
  checkSize(d.compressedSize, 'compressed size');
  checkSize(d.uncompressedSize, 'uncompressed size');
  target.writeUInt32LE(DATA_DESCRIPTOR_SIGNATURE, pos);
  target.writeUInt32LE(d.crc32, pos + 4);
  if (isZip64DataDescriptor(d)) {
    writeUInt64LE(target, d.compressedSize, pos + 8);
    writeUInt64LE(target, d.uncompressedSize, pos + 16);
    return pos + ZIP64_DATA_DESCRIPTOR_LENGTH;
  }
  target.writeUInt32LE(d.compressedSize, pos + 8);
  target.writeUInt32LE(d.uncompressedSize, pos + 12);
  return pos + DATA_DESCRIPTOR_LENGTH;
}

export function encodeDataDescriptor(d: DataDescriptor): Buffer {
  const out = Buffer.alloc(dataDescriptorLength(d));
  writeDataDescriptor(out, 0, d);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Central directory file header

export interface CentralEntry extends LocalEntry {
  /** Offset of the entry's local file header from the start of the archive. */
  localHeaderOffset: number;
}

/** Length of the ZIP64 extended-information extra field (with its 4-byte header) an entry needs, or 0. */
export function zip64ExtraLength(e: Pick<CentralEntry, 'compressedSize' | 'uncompressedSize' | 'localHeaderOffset'>): number {
  const n =
    (e.uncompressedSize > MAX_UINT32_FIELD ? 8 : 0) +
    (e.compressedSize > MAX_UINT32_FIELD ? 8 : 0) +
    (e.localHeaderOffset > MAX_UINT32_FIELD ? 8 : 0);
  return n === 0 ? 0 : 4 + n;
}

export function centralDirectoryHeaderLength(e: Pick<CentralEntry, 'compressedSize' | 'uncompressedSize' | 'localHeaderOffset'>, nameLength: number): number {
  return CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH + nameLength + zip64ExtraLength(e);
}

/**
 * Writes a central directory file header, the name and, when needed, a ZIP64 extended-information
 * extra field holding exactly those of uncompressed size, compressed size and local header offset
 * (in that order) that do not fit 32 bits — their 32-bit fields are then 0xFFFFFFFF.
 * Returns the position after the record.
 */
export function writeCentralDirectoryHeader(target: Buffer, pos: number, e: CentralEntry, nameLength: number): number {
  checkSize(e.compressedSize, 'compressed size');
  checkSize(e.uncompressedSize, 'uncompressed size');
  checkSize(e.localHeaderOffset, 'local header offset');
  const bigUncompressed = e.uncompressedSize > MAX_UINT32_FIELD;
  const bigCompressed = e.compressedSize > MAX_UINT32_FIELD;
  const bigOffset = e.localHeaderOffset > MAX_UINT32_FIELD;
  const extraLength = zip64ExtraLength(e);
  target.writeUInt32LE(CENTRAL_DIRECTORY_HEADER_SIGNATURE, pos);
  target.writeUInt16LE(VERSION_MADE_BY, pos + 4);
  target.writeUInt16LE(extraLength === 0 ? VERSION_NEEDED_DEFAULT : VERSION_NEEDED_ZIP64, pos + 6);
  target.writeUInt16LE(e.dataDescriptor ? FLAG_UTF8 | FLAG_DATA_DESCRIPTOR : FLAG_UTF8, pos + 8);
  target.writeUInt16LE(e.method, pos + 10);
  target.writeUInt16LE(e.dos.time, pos + 12);
  target.writeUInt16LE(e.dos.date, pos + 14);
  target.writeUInt32LE(e.crc32, pos + 16);
  target.writeUInt32LE(bigCompressed ? 0xffffffff : e.compressedSize, pos + 20);
  target.writeUInt32LE(bigUncompressed ? 0xffffffff : e.uncompressedSize, pos + 24);
  target.writeUInt16LE(nameLength, pos + 28);
  target.writeUInt16LE(extraLength, pos + 30);
  target.writeUInt16LE(0, pos + 32); // comment length
  target.writeUInt16LE(0, pos + 34); // disk number start
  target.writeUInt16LE(0, pos + 36); // internal attributes
  target.writeUInt32LE(EXTERNAL_ATTRIBUTES, pos + 38);
  target.writeUInt32LE(bigOffset ? 0xffffffff : e.localHeaderOffset, pos + 42);
  let p = pos + CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH;
  const written = target.write(e.name, p, nameLength, 'utf8');
  if (written !== nameLength) throw new RangeError('no room for the entry name');
  p += nameLength;
  if (extraLength !== 0) {
    target.writeUInt16LE(ZIP64_EXTRA_FIELD_ID, p);
    target.writeUInt16LE(extraLength - 4, p + 2);
    p += 4;
    if (bigUncompressed) p = writeUInt64LE(target, e.uncompressedSize, p);
    if (bigCompressed) p = writeUInt64LE(target, e.compressedSize, p);
    if (bigOffset) p = writeUInt64LE(target, e.localHeaderOffset, p);
  }
  return p;
}

export function encodeCentralDirectoryHeader(e: CentralEntry): Buffer {
  const nameLength = validateEntryName(e.name);
  const out = Buffer.alloc(centralDirectoryHeaderLength(e, nameLength));
  writeCentralDirectoryHeader(out, 0, e, nameLength);
  return out;
}

// ---------------------------------------------------------------------------------------------
// End of central directory

export interface CentralDirectoryInfo {
  /** Number of entries. */
  entries: number;
  /** Size of the central directory in bytes. */
  size: number;
  /** Offset of the first central directory header from the start of the archive. */
  offset: number;
}

/** Whether the EOCD fields overflow, so that a ZIP64 end of central directory record (and locator) is required. */
export function needsZip64EndOfCentralDirectory(cd: CentralDirectoryInfo): boolean {
  return cd.entries > MAX_UINT16_COUNT || cd.size > MAX_UINT32_FIELD || cd.offset > MAX_UINT32_FIELD;
}

/** ZIP64 end of central directory record (version 1, no extensible data). */
export function encodeZip64EndOfCentralDirectory(cd: CentralDirectoryInfo): Buffer {
  checkSize(cd.entries, 'entry count');
  const out = Buffer.alloc(ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH);
  out.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  writeUInt64LE(out, ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH - 12, 4); // size of the remaining record
  out.writeUInt16LE(VERSION_MADE_BY, 12);
  out.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
  out.writeUInt32LE(0, 16); // number of this disk
  out.writeUInt32LE(0, 20); // disk where the central directory starts
  writeUInt64LE(out, cd.entries, 24); // entries on this disk
  writeUInt64LE(out, cd.entries, 32); // entries in total
  writeUInt64LE(out, cd.size, 40);
  writeUInt64LE(out, cd.offset, 48);
  return out;
}

/** ZIP64 end of central directory locator pointing at the ZIP64 EOCD record at `zip64EocdOffset`. */
export function encodeZip64EndOfCentralDirectoryLocator(zip64EocdOffset: number): Buffer {
  const out = Buffer.alloc(ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_LENGTH);
  out.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIGNATURE, 0);
  out.writeUInt32LE(0, 4); // disk with the ZIP64 EOCD record
  writeUInt64LE(out, zip64EocdOffset, 8);
  out.writeUInt32LE(1, 16); // total number of disks
  return out;
}

/** End of central directory record, with 0xFFFF / 0xFFFFFFFF in the fields that overflow (no comment). */
export function encodeEndOfCentralDirectory(cd: CentralDirectoryInfo): Buffer {
  checkSize(cd.entries, 'entry count');
  checkSize(cd.size, 'central directory size');
  checkSize(cd.offset, 'central directory offset');
  const entries = cd.entries > MAX_UINT16_COUNT ? 0xffff : cd.entries;
  const out = Buffer.alloc(END_OF_CENTRAL_DIRECTORY_LENGTH);
  out.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  out.writeUInt16LE(0, 4); // number of this disk
  out.writeUInt16LE(0, 6); // disk where the central directory starts
  out.writeUInt16LE(entries, 8);
  out.writeUInt16LE(entries, 10);
  out.writeUInt32LE(cd.size > MAX_UINT32_FIELD ? 0xffffffff : cd.size, 12);
  out.writeUInt32LE(cd.offset > MAX_UINT32_FIELD ? 0xffffffff : cd.offset, 16);
  out.writeUInt16LE(0, 20); // comment length
  return out;
}

/**
 * Everything that follows the central directory: ZIP64 EOCD record and locator when
 * {@link needsZip64EndOfCentralDirectory} (or `forceZip64`), then the EOCD record.
 */
export function encodeEndOfArchive(cd: CentralDirectoryInfo, forceZip64 = false): Buffer {
  const eocd = encodeEndOfCentralDirectory(cd);
  if (!forceZip64 && !needsZip64EndOfCentralDirectory(cd)) return eocd;
  const zip64EocdOffset = cd.offset + cd.size;
  return Buffer.concat([encodeZip64EndOfCentralDirectory(cd), encodeZip64EndOfCentralDirectoryLocator(zip64EocdOffset), eocd]);
}
