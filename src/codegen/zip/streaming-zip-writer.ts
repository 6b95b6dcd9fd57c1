import { createHash, randomBytes, type Hash } from 'node:crypto';
import { WriteStream } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createDeflateRaw, crc32 as zlibCrc32 } from 'node:zlib';
import { readThroughBuffer } from '../../shared/read-through-buffer.js';
import {
  CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH,
  LOCAL_FILE_HEADER_FIXED_LENGTH,
  MAX_UINT32_FIELD,
  METHOD_DEFLATE,
  METHOD_STORE,
  centralDirectoryHeaderLength,
  encodeDataDescriptor,
  encodeEndOfArchive,
  encodeLocalFileHeader,
  toDosDateTime,
  validateEntryName,
  writeCentralDirectoryHeader,
  writeLocalFileHeader,
  zip64ExtraLength,
  type CentralEntry,
  type DosDateTime,
} from './zip-records.js';

export interface StreamingZipWriterOptions {
  /** Where the archive goes, written sequentially. Ended by {@link StreamingZipWriter.finish}. */
  output: Writable;
  /**
   * Existing private directory for the central-directory spill file (created with mode 0600 when first
   * needed). Without it the central directory must fit its buffer.
   */
  workDir?: string;
  /**
   * Where the output starts in the archive (default 0): the archive's first `startOffset` bytes are
   * written elsewhere (fragments stored apart), and entry offsets count from the archive's start.
   */
  startOffset?: number;
  /**
   * false: write local entries only, no central directory (a fragment of an archive whose directory is
   * written later, from what each entry's caller kept). Default true.
   */
  centralDirectory?: boolean;
  /** Modification time given to every entry. */
  mtime: Date;
  /** Size of the output staging buffer (default 2 MiB, at least 128 KiB). */
  stagingBytes?: number;
  /** Size of the in-memory central-directory buffer before it spills to disk (default 2 MiB, at least 128 KiB). */
  centralDirectoryBytes?: number;
  /** zlib level for {@link StreamingZipWriter.addDeflatedStream} (default 6). */
  deflateLevel?: number;
  /**
   * Reuse a staging buffer once the output has called back its write, instead of allocating a fresh
   * one per flush (less garbage, flatter RSS). Only for outputs that are done with a chunk when they
   * call back — true of `fs.WriteStream`, false of a PassThrough or anything that queues chunks by
   * reference after calling back. Default: true when `output` is an `fs.WriteStream`, else false.
   */
  reuseBuffers?: boolean;
}

/** Encoded central-directory records of entries written apart, and what they hold. */
export interface DirectoryPiece {
  records: Uint8Array;
  entries: number;
  /** Whether a record carries a ZIP64 extra field (the archive then ends with ZIP64 records). */
  zip64: boolean;
}

export interface FinishOptions {
  /**
   * Central-directory records of entries whose local headers and data precede this writer's output
   * (fragments written apart, see `startOffset`), with offsets from the archive's start: they come
   * first in the directory, in the order given.
   */
  leadingDirectory?: AsyncIterable<DirectoryPiece>;
}

export interface ZipWriteResult {
  /** Bytes written to the output. */
  bytes: number;
  /** SHA-256 (hex) of the bytes written to the output. */
  sha256: string;
  /** Number of entries in the archive. */
  entries: number;
}

const DEFAULT_BUFFER_BYTES = 2 * 1024 * 1024;
const MIN_BUFFER_BYTES = 128 * 1024;
/** ZIP64 extra for the local header offset only — all a stored entry's CD record can need. */
const OFFSET_ZIP64_EXTRA_LENGTH = 12;

type State = 'open' | 'finishing' | 'finished' | 'failed' | 'aborted';

/**
 * Writes a zip archive sequentially to a Writable, with memory bounded independently of the number
 * of entries: local headers and data go through one staging buffer; the central directory collects in
 * a second buffer that spills to a temporary file, streamed to the output by {@link finish}.
 *
 * Calls must not overlap: when {@link addStored} returns a Promise, await it before the next call
 * (it only does so when it has to wait for the output to drain or the spill file to be written).
 * After any error — a rejected call, a failed output — the writer is unusable: call {@link abort}.
 * Entry names are validated but not checked for duplicates.
 */
export class StreamingZipWriter {
  /** The central-directory spill file (exists from the first spill until finish/abort); null without a workDir. */
  readonly spillPath: string | null;
  /** Capacity of the output staging buffer. */
  readonly stagingCapacity: number;
  /** Capacity of the in-memory central-directory buffer. */
  readonly centralDirectoryCapacity: number;

  private readonly output: Writable;
  private spill: FileHandle | null = null;
  private readonly writesCentralDirectory: boolean;
  private readonly dos: DosDateTime;
  private readonly deflateLevel: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly reuseBuffers: boolean;
  /** Staging buffers the output has called back for (only with `reuseBuffers`). */
  private readonly freeStaging: Buffer[] = [];

  private state: State = 'open';
  private busy = false;
  private ending = false;
  private failure: Error | null = null;
  private readonly failed: Promise<never>;
  private rejectFailed!: (error: Error) => void;
  private streamAbort: AbortController | null = null;

  /** Logical archive position: bytes handed to the output + bytes staged. */
  private offset = 0;
  private bytesOut = 0;
  private entryCount = 0;
  private zip64Used = false;

  private staging: Buffer;
  private stagingLength = 0;
  private peakStaged = 0;
  private peakOutputBuffered = 0;
  private needDrain = false;
  private drained: Promise<void> = Promise.resolve();
  private resolveDrained: () => void = () => {};

  private cd: Buffer;
  /** The other central-directory buffer, free once its spill write has completed. */
  private cdSpare: Buffer | null = null;
  private cdLength = 0;
  private spilled = 0;
  private spillPending: Promise<void> | null = null;
  private spillCleanup: Promise<void> | null = null;

  static async create(options: StreamingZipWriterOptions): Promise<StreamingZipWriter> {
    const stagingBytes = bufferSize(options.stagingBytes, 'stagingBytes');
    const cdBytes = bufferSize(options.centralDirectoryBytes, 'centralDirectoryBytes');
    const dos = toDosDateTime(options.mtime);
    if (options.output.destroyed || options.output.writableEnded) throw new Error('zip output is not writable');
    const startOffset = options.startOffset ?? 0;
    if (!Number.isSafeInteger(startOffset) || startOffset < 0) throw new RangeError(`startOffset must be a non-negative integer, got ${startOffset}`);
    const spillPath = options.workDir === undefined ? null : join(options.workDir, `.zip-cd-${randomBytes(8).toString('hex')}.tmp`);
    return new StreamingZipWriter(options, spillPath, dos, stagingBytes, cdBytes, startOffset);
  }

  private constructor(
    options: StreamingZipWriterOptions,
    spillPath: string | null,
    dos: DosDateTime,
    stagingBytes: number,
    cdBytes: number,
    startOffset: number,
  ) {
    this.output = options.output;
    this.spillPath = spillPath;
    this.offset = startOffset;
    this.writesCentralDirectory = options.centralDirectory ?? true;
    this.dos = dos;
    this.deflateLevel = options.deflateLevel ?? 6;
    this.reuseBuffers = options.reuseBuffers ?? options.output instanceof WriteStream;
    this.stagingCapacity = stagingBytes;
    this.centralDirectoryCapacity = cdBytes;
    this.staging = Buffer.allocUnsafeSlow(stagingBytes);
    this.cd = this.writesCentralDirectory ? Buffer.allocUnsafeSlow(cdBytes) : Buffer.alloc(0);
    this.failed = new Promise<never>((_, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => {});
    this.output.on('drain', () => {
      if (!this.needDrain) return;
      this.needDrain = false;
      this.resolveDrained();
    });
    this.output.on('error', (error: Error) => this.fail(error));
    this.output.on('close', () => {
      if (!this.ending) this.fail(new Error('zip output closed before the archive was finished'));
    });
  }

  /** Entries added so far. */
  get entries(): number {
    return this.entryCount;
  }
  /** Bytes handed to the output so far. */
  get bytesWritten(): number {
    return this.bytesOut;
  }
  /** Bytes currently in the output staging buffer (never more than {@link stagingCapacity}). */
  get stagedBytes(): number {
    return this.stagingLength;
  }
  /** Most bytes ever held in the output staging buffer. */
  get maxStagedBytes(): number {
    return this.peakStaged;
  }
  /**
   * Most bytes ever seen buffered in the output (its `writableLength` right after a write). Bounded by
   * the output's highWaterMark + {@link stagingCapacity} (+ the largest entry written around the staging buffer).
   */
  get maxOutputBufferedBytes(): number {
    return this.peakOutputBuffered;
  }
  /** Bytes of central directory currently held in memory (never more than {@link centralDirectoryCapacity}). */
  get centralDirectoryStagedBytes(): number {
    return this.cdLength;
  }
  /** Bytes of central directory written to the spill file so far. */
  get spilledBytes(): number {
    return this.spilled;
  }

  /**
   * Adds an uncompressed (STORE) entry whose CRC-32 is already known. Synchronous unless the output
   * must drain or the central-directory spill must complete first; then returns a Promise to await
   * before the next call. The writer keeps no reference to `data` once the call returns (data larger than
   * the staging buffer is copied for the output), so the caller may reuse its memory at once. Invalid
   * names and unusable-writer errors are thrown synchronously.
   */
  addStored(name: string, data: Uint8Array, crc32: number): Promise<void> | void {
    return this.addWhole(METHOD_STORE, name, data, crc32, data.byteLength);
  }

  /**
   * Adds an entry already compressed with raw DEFLATE (e.g. in a worker thread), given the CRC-32 and
   * size of the uncompressed data. Same calling rules as {@link addStored}.
   */
  addDeflated(name: string, compressed: Uint8Array, crc32: number, uncompressedSize: number): Promise<void> | void {
    return this.addWhole(METHOD_DEFLATE, name, compressed, crc32, uncompressedSize);
  }

  /** The hot path: an entry whose bytes, CRC-32 and sizes are all known. */
  private addWhole(method: typeof METHOD_STORE | typeof METHOD_DEFLATE, name: string, data: Uint8Array, crc32: number, uncompressedSize: number): Promise<void> | void {
    if (this.state !== 'open' || this.busy) this.throwUnusable();
    const nameLength = validateEntryName(name);
    const size = data.byteLength;
    if (size > MAX_UINT32_FIELD || !Number.isInteger(uncompressedSize) || uncompressedSize < 0 || uncompressedSize > MAX_UINT32_FIELD) {
      throw new RangeError(`zip entry ${name}: sizes must be below 4 GiB (use addDeflatedStream for larger data)`);
    }
    const offset = this.offset;
    const cdRecordLength =
      CENTRAL_DIRECTORY_HEADER_FIXED_LENGTH + nameLength + (offset > MAX_UINT32_FIELD ? OFFSET_ZIP64_EXTRA_LENGTH : 0);
    if (this.writesCentralDirectory && this.cdLength + cdRecordLength > this.centralDirectoryCapacity) {
      const wait = this.spillCentralDirectory();
      if (wait) return this.retryAfter(wait, () => this.addWhole(method, name, data, crc32, uncompressedSize));
    }
    const headerLength = LOCAL_FILE_HEADER_FIXED_LENGTH + nameLength;
    const inline = headerLength + size <= this.stagingCapacity;
    if (inline ? this.stagingLength + headerLength + size > this.stagingCapacity : this.needDrain || this.stagingLength + headerLength > this.stagingCapacity) {
      const wait = this.flushStaging();
      if (wait) return this.retryAfter(wait, () => this.addWhole(method, name, data, crc32, uncompressedSize));
    }

    const entry: CentralEntry = {
      name,
      method,
      dos: this.dos,
      dataDescriptor: false,
      crc32,
      compressedSize: size,
      uncompressedSize,
      localHeaderOffset: offset,
    };
    // Encode both records before committing anything, so that a throw leaves no partial entry.
    const dataStart = writeLocalFileHeader(this.staging, this.stagingLength, entry, nameLength);
    if (this.writesCentralDirectory) this.cdLength = writeCentralDirectoryHeader(this.cd, this.cdLength, entry, nameLength);
    if (offset > MAX_UINT32_FIELD) this.zip64Used = true;
    this.entryCount += 1;
    this.offset = offset + headerLength + size;
    if (inline) {
      this.staging.set(data, dataStart);
      this.stagingLength = dataStart + size;
      if (this.stagingLength > this.peakStaged) this.peakStaged = this.stagingLength;
    } else {
      this.stagingLength = dataStart;
      if (dataStart > this.peakStaged) this.peakStaged = dataStart;
      this.writeOutStaging();
      // The output holds on to what it is given until written; the caller may reuse `data` at once.
      this.writeOut(Buffer.from(data));
    }
  }

  /**
   * Adds an entry compressed with raw DEFLATE from a stream, computing its CRC-32 and sizes on the way
   * (flag bit 3: they follow the data in a data descriptor, in ZIP64 form when a size reaches 4 GiB).
   * If the source fails, the archive holds a partial entry: the writer becomes unusable.
   */
  addDeflatedStream(name: string, source: Readable): Promise<void> {
    return this.addStreamed(name, async (sink, signal) => {
      let crc = 0;
      let uncompressed = 0;
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer | string>) {
          for await (const chunk of chunks) {
            const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
            crc = zlibCrc32(bytes, crc);
            uncompressed += bytes.byteLength;
            yield bytes;
          }
        },
        createDeflateRaw({ level: this.deflateLevel }),
        sink,
        { signal },
      );
      return { crc32: crc, uncompressedSize: uncompressed };
    });
  }

  /**
   * Adds an entry whose raw-DEFLATE bytes come in chunks, compressed beforehand (for example by the
   * batches of an order, each its own piece), given the CRC-32 and size of the uncompressed data. The
   * bytes are copied as they are, each chunk before the next is asked for (so a source may hand out views
   * of one reused buffer); the compressed size is counted on the way. Same rules as {@link addDeflatedStream}.
   */
  async addPrecompressedStream(name: string, compressed: AsyncIterable<Uint8Array>, crc32: number, uncompressedSize: number): Promise<void> {
    if (!Number.isInteger(uncompressedSize) || uncompressedSize < 0) throw new RangeError(`zip entry ${name}: invalid uncompressed size`);
    return this.addStreamed(name, async (sink) => {
      await sink(compressed);
      return { crc32: crc32 >>> 0, uncompressedSize };
    });
  }

  /**
   * A data-descriptor entry: `copy` feeds the entry's DEFLATE bytes to `sink` (which counts and appends
   * them) and returns the CRC-32 and size of the uncompressed data.
   */
  private async addStreamed(
    name: string,
    copy: (sink: (chunks: AsyncIterable<Uint8Array>) => Promise<void>, signal: AbortSignal) => Promise<{ crc32: number; uncompressedSize: number }>,
  ): Promise<void> {
    if (this.state !== 'open' || this.busy) this.throwUnusable();
    if (!this.writesCentralDirectory) throw new Error('a streamed entry needs the central directory (its sizes are known only there)');
    const nameLength = validateEntryName(name);
    this.busy = true;
    const controller = new AbortController();
    this.streamAbort = controller;
    try {
      const entry: CentralEntry = {
        name,
        method: METHOD_DEFLATE,
        dos: this.dos,
        dataDescriptor: true,
        crc32: 0,
        compressedSize: 0,
        uncompressedSize: 0,
        localHeaderOffset: this.offset,
      };
      await this.append(encodeLocalFileHeader(entry));
      let compressed = 0;
      const { crc32, uncompressedSize } = await copy(async (chunks) => {
        for await (const chunk of chunks) {
          controller.signal.throwIfAborted();
          compressed += chunk.byteLength;
          await this.append(chunk);
        }
      }, controller.signal);
      entry.crc32 = crc32;
      entry.compressedSize = compressed;
      entry.uncompressedSize = uncompressedSize;
      await this.append(encodeDataDescriptor(entry));
      const cdRecordLength = centralDirectoryHeaderLength(entry, nameLength);
      while (this.cdLength + cdRecordLength > this.centralDirectoryCapacity) {
        const wait = this.spillCentralDirectory();
        if (wait) await this.guard(wait);
      }
      this.cdLength = writeCentralDirectoryHeader(this.cd, this.cdLength, entry, nameLength);
      if (zip64ExtraLength(entry) !== 0) this.zip64Used = true;
      this.entryCount += 1;
    } catch (error) {
      const failure = this.failure ?? asError(error);
      this.fail(failure);
      throw failure;
    } finally {
      this.streamAbort = null;
      this.busy = false;
    }
  }

  /**
   * Writes the central directory (the leading entries' records, then this writer's from the spill
   * file and memory), the ZIP64 end of central directory record and locator when needed, and the end
   * of central directory record — or nothing, without a central directory; ends the output and waits
   * for it to finish. On failure the output is destroyed and the spill file removed.
   */
  async finish(options: FinishOptions = {}): Promise<ZipWriteResult> {
    if (this.state !== 'open' || this.busy) this.throwUnusable();
    this.state = 'finishing';
    this.busy = true;
    try {
      if (this.writesCentralDirectory) await this.writeCentralDirectory(options.leadingDirectory);
      else if (options.leadingDirectory) throw new Error('a writer without central directory takes no leading directory');
      while (this.stagingLength > 0) {
        const wait = this.flushStaging();
        if (wait) await this.guard(wait);
      }
      await this.removeSpill();
      this.throwIfFailed();
      this.ending = true;
      this.output.end();
      await this.guard(finished(this.output, { readable: false }));
      this.state = 'finished';
      return { bytes: this.bytesOut, sha256: this.hash.digest('hex'), entries: this.entryCount };
    } catch (error) {
      const failure = this.failure ?? asError(error);
      this.fail(failure);
      if (!this.output.destroyed) this.output.destroy(failure);
      await this.removeSpill();
      throw failure;
    } finally {
      this.busy = false;
    }
  }

  /** The leading directory's records, then those of this writer's entries (spilled, then in memory), then the end records. */
  private async writeCentralDirectory(leadingDirectory: FinishOptions['leadingDirectory']): Promise<void> {
    const cdOffset = this.offset;
    let entries = this.entryCount;
    if (leadingDirectory) {
      for await (const piece of leadingDirectory) {
        await this.append(piece.records);
        entries += piece.entries;
        if (piece.zip64) this.zip64Used = true;
      }
    }
    if (this.spillPending) await this.guard(this.spillPending);
    this.throwIfFailed();
    if (this.spill && this.spilled > 0) {
      for await (const chunk of readThroughBuffer(this.spill, this.centralDirectoryCapacity, this.spilled)) await this.append(chunk);
    }
    await this.append(this.cd.subarray(0, this.cdLength));
    const cdSize = this.offset - cdOffset;
    await this.append(encodeEndOfArchive({ entries, size: cdSize, offset: cdOffset }, this.zip64Used));
    this.entryCount = entries;
  }

  /**
   * Stops writing: rejects any pending wait, destroys the output (with `reason`), removes the spill
   * file. Never throws; does nothing once the archive is finished.
   */
  async abort(reason?: Error): Promise<void> {
    if (this.state === 'finished') return;
    const error = reason ?? new Error('zip archive aborted');
    this.state = 'aborted';
    this.fail(error);
    this.streamAbort?.abort(error);
    try {
      if (!this.output.destroyed) this.output.destroy(error);
    } catch {
      // a broken output must not make abort throw
    }
    await this.removeSpill();
  }

  // -------------------------------------------------------------------------------------------

  private throwUnusable(): never {
    if (this.busy) throw new Error('StreamingZipWriter: the previous call has not completed (await it first)');
    if (this.failure) throw this.failure;
    throw new Error(`StreamingZipWriter is ${this.state}`);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private fail(error: Error): void {
    if (!this.failure) {
      this.failure = error;
      this.rejectFailed(error);
    }
    if (this.state === 'open' || this.state === 'finishing') this.state = 'failed';
  }

  /** `promise`, but rejected as soon as the writer fails or is aborted. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.failed]);
  }

  private retryAfter(wait: Promise<void>, again: () => Promise<void> | void): Promise<void> {
    this.busy = true;
    return this.guard(wait).then(
      () => {
        this.busy = false;
        return again();
      },
      (error: unknown) => {
        this.busy = false;
        throw error;
      },
    );
  }

  /** Hands `chunk` to the output, hashing and counting it; notes backpressure. */
  private writeOut(chunk: Uint8Array, onWritten?: (error?: Error | null) => void): void {
    this.hash.update(chunk);
    this.bytesOut += chunk.byteLength;
    const ok = this.output.write(chunk, onWritten);
    const buffered = this.output.writableLength;
    if (buffered > this.peakOutputBuffered) this.peakOutputBuffered = buffered;
    if (!ok && !this.needDrain) {
      this.needDrain = true;
      this.drained = new Promise<void>((resolve) => {
        this.resolveDrained = resolve;
      });
    }
  }

  private writeOutStaging(): void {
    if (this.stagingLength === 0) return;
    this.throwIfFailed();
    if (this.output.destroyed) {
      this.fail(new Error('zip output was destroyed before the archive was finished'));
      this.throwIfFailed();
    }
    const full = this.staging;
    const chunk = full.subarray(0, this.stagingLength);
    this.staging = this.freeStaging.pop() ?? Buffer.allocUnsafeSlow(this.stagingCapacity);
    this.stagingLength = 0;
    if (!this.reuseBuffers) {
      // The output may hold on to the chunk after calling back: never reuse a written buffer.
      this.writeOut(chunk);
      return;
    }
    this.writeOut(chunk, (error) => {
      if (!error && this.freeStaging.length < 2) this.freeStaging.push(full);
    });
  }

  /** Empties the staging buffer into the output, or returns what to wait for first (the output draining). */
  private flushStaging(): Promise<void> | undefined {
    this.throwIfFailed();
    if (this.needDrain) return this.drained;
    this.writeOutStaging();
    return undefined;
  }

  /** Copies bytes into the staging buffer, flushing (and waiting for the output) as it fills. */
  private async append(bytes: Uint8Array): Promise<void> {
    for (let done = 0; done < bytes.byteLength; ) {
      const room = this.stagingCapacity - this.stagingLength;
      if (room === 0) {
        const wait = this.flushStaging();
        if (wait) await this.guard(wait);
        continue;
      }
      const n = Math.min(room, bytes.byteLength - done);
      this.staging.set(n === bytes.byteLength ? bytes : bytes.subarray(done, done + n), this.stagingLength);
      this.stagingLength += n;
      if (this.stagingLength > this.peakStaged) this.peakStaged = this.stagingLength;
      this.offset += n;
      done += n;
    }
  }

  /** Starts writing the central-directory buffer to the spill file, or returns the previous spill to wait for. */
  private spillCentralDirectory(): Promise<void> | undefined {
    this.throwIfFailed();
    if (this.spillPending) return this.spillPending;
    if (this.cdLength === 0) return undefined;
    const full = this.cd;
    const chunk = full.subarray(0, this.cdLength);
    this.cd = this.cdSpare ?? Buffer.allocUnsafeSlow(this.centralDirectoryCapacity);
    this.cdSpare = null;
    this.cdLength = 0;
    const position = this.spilled;
    this.spilled += chunk.byteLength;
    this.spillPending = (async () => {
      if (this.spillPath === null) throw new Error('the zip central directory outgrew its buffer and the writer has no workDir to spill it to');
      this.spill ??= await open(this.spillPath, 'wx+', 0o600);
      await writeFully(this.spill, chunk, position);
    })().then(
      () => {
        this.spillPending = null;
        this.cdSpare = full;
      },
      (error: unknown) => {
        this.spillPending = null;
        this.fail(asError(error));
      },
    );
    return undefined;
  }

  private removeSpill(): Promise<void> {
    this.spillCleanup ??= (async () => {
      if (this.spillPending) await this.spillPending; // never rejects
      if (!this.spill) return;
      await this.spill.close().catch(() => {});
      if (this.spillPath !== null) await unlink(this.spillPath).catch(() => {});
    })();
    return this.spillCleanup;
  }
}

function bufferSize(value: number | undefined, what: string): number {
  if (value === undefined) return DEFAULT_BUFFER_BYTES;
  if (!Number.isSafeInteger(value) || value < MIN_BUFFER_BYTES) throw new RangeError(`${what} must be an integer ≥ ${MIN_BUFFER_BYTES}`);
  return value;
}

async function writeFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let done = 0; done < buffer.byteLength; ) {
    const { bytesWritten } = await handle.write(buffer, done, buffer.byteLength - done, position + done);
    if (bytesWritten === 0) throw new Error('could not write the zip central-directory spill file');
    done += bytesWritten;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
