/**
 * The central directory of an archive written in fragments (each batch of an order writes its entries
 * apart): every fragment keeps its entries' central-directory records with offsets from its own start
 * ({@link FragmentDirectoryBuilder}); the archive's end shifts them to where the fragment lies in the
 * archive ({@link rebaseDirectory}), adding ZIP64 fields to the records that pass 4 GiB.
 */
import type { DirectoryPiece } from './streaming-zip-writer.js';
import {
  CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH, CENTRAL_DIRECTORY_HEADER_SIGNATURE, FLAG_DATA_DESCRIPTOR, LOCAL_FILE_HEADER_FIXED_LENGTH,
  MAX_UINT32_FIELD, centralDirectoryHeaderLength, validateEntryName, writeCentralDirectoryHeader, type CentralEntry, type DosDateTime,
} from './zip-records.js';

/** Records of the entries of one fragment, as its writer adds them (stored or deflated, sizes known). */
export class FragmentDirectoryBuilder {
  private buffer: Buffer;
  private length = 0;
  private offset = 0;
  private count = 0;

  constructor(private readonly dos: DosDateTime, expectedEntries: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(1, expectedEntries) * 128);
  }

  add(name: string, method: CentralEntry['method'], crc32: number, compressedSize: number, uncompressedSize: number): void {
    const nameLength = validateEntryName(name);
    const entry: CentralEntry = {
      name, method, dos: this.dos, dataDescriptor: false, crc32, compressedSize, uncompressedSize, localHeaderOffset: this.offset,
    };
    const recordLength = centralDirectoryHeaderLength(entry, nameLength);
    if (this.length + recordLength > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + recordLength));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length = writeCentralDirectoryHeader(this.buffer, this.length, entry, nameLength);
    this.offset += LOCAL_FILE_HEADER_FIXED_LENGTH + nameLength + compressedSize;
    this.count += 1;
  }

  get entries(): number {
    return this.count;
  }

  /** Bytes the fragment's entries take: what the fragment written with them must measure. */
  get fragmentSize(): number {
    return this.offset;
  }

  records(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** Room the rebased records of `recordsLength` bytes may need: each record may gain a ZIP64 extra field (4 + 8 bytes). */
export function rebasedLength(recordsLength: number): number {
  return recordsLength + Math.ceil(recordsLength / CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH) * 12;
}

/**
 * The records of a fragment that starts `fragmentOffset` bytes into the archive: each local-header
 * offset moved by it, in place where the result fits 32 bits, re-encoded with a ZIP64 extra field where
 * it does not. Checks that the records are whole and have no extra field of their own (as
 * {@link FragmentDirectoryBuilder} writes them, for fragments below 4 GiB). Writes into `into` when it
 * is large enough ({@link rebasedLength}), so a caller going through many fragments reuses one buffer.
 */
export function rebaseDirectory(records: Uint8Array, fragmentOffset: number, into?: Buffer): DirectoryPiece {
  if (!Number.isSafeInteger(fragmentOffset) || fragmentOffset < 0) throw new RangeError(`invalid fragment offset: ${fragmentOffset}`);
  const input = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const needed = rebasedLength(input.length);
  const output = into !== undefined && into.length >= needed ? into : Buffer.allocUnsafe(needed);
  let entries = 0;
  let zip64 = false;
  let out = 0;
  for (let at = 0; at < input.length; entries++) {
    if (at + CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH > input.length || input.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER_SIGNATURE) {
      throw new Error(`not a central-directory record at byte ${at} of a fragment's directory`);
    }
    const nameLength = input.readUInt16LE(at + 28);
    if (input.readUInt16LE(at + 30) !== 0 || input.readUInt16LE(at + 32) !== 0) throw new Error('a fragment directory record carries extra fields');
    const length = CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH + nameLength;
    if (at + length > input.length) throw new Error('a fragment directory ends in the middle of a record');
    const offset = input.readUInt32LE(at + 42) + fragmentOffset;
    if (offset <= MAX_UINT32_FIELD) {
      input.copy(output, out, at, at + length);
      output.writeUInt32LE(offset, out + 42);
      out += length;
    } else {
      const flags = input.readUInt16LE(at + 8);
      const entry: CentralEntry = {
        name: input.toString('utf8', at + CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH, at + length),
        method: input.readUInt16LE(at + 10) as CentralEntry['method'],
        dos: { time: input.readUInt16LE(at + 12), date: input.readUInt16LE(at + 14) },
        dataDescriptor: (flags & FLAG_DATA_DESCRIPTOR) !== 0,
        crc32: input.readUInt32LE(at + 16),
        compressedSize: input.readUInt32LE(at + 20),
        uncompressedSize: input.readUInt32LE(at + 24),
        localHeaderOffset: offset,
      };
      out = writeCentralDirectoryHeader(output, out, entry, nameLength);
      zip64 = true;
    }
    at += length;
  }
  return { records: output.subarray(0, out), entries, zip64 };
}
