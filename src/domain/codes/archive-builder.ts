import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import yazl from 'yazl';
import type { BlobStore, BlobUpload } from '../../storage/blob-store.js';

/** Working directories of archives being built are named with this prefix under the tmp dir. */
export const ARCHIVE_WORKDIR_PREFIX = 'archive-';

/** How far the zip writer may run behind what was added before `addBuffer` waits (bounded memory). */
const MAX_BYTES_IN_FLIGHT = 8 * 1024 * 1024;

/** Counts and hashes the bytes of the finished zip on their way to storage. */
class ZipTap extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  private waiters: Array<() => void> = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    callback(null, chunk);
  }

  waitForProgress(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Releases every waiter (the pipeline failed: they must look at the failure instead of waiting). */
  wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A temporary file written sequentially while hashing what goes into it. */
class HashedTempFile {
  readonly hash = createHash('sha256');
  size = 0;
  private readonly out: WriteStream;
  private failure: Error | null = null;

  constructor(readonly path: string) {
    this.out = createWriteStream(path, { mode: 0o600 });
    this.out.on('error', (error) => {
      this.failure = error;
    });
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = Buffer.from(text, 'utf8');
    this.hash.update(chunk);
    this.size += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** Ends the file and returns the SHA-256 of everything written. */
  async close(): Promise<string> {
    if (!this.out.writableEnded) this.out.end();
    await finished(this.out);
    if (this.failure) throw this.failure;
    return this.hash.copy().digest('hex');
  }
}

export interface ArchiveResult {
  size: number;
  sha256: string;
  entries: number;
}

/**
 * Streams a work-order archive into the blob store: image entries are STOREd as they are added,
 * `codes.csv` and the manifest's file list grow in temporary files, and both are appended at the end.
 * Memory stays bounded whatever the order size; ZIP64 is used by the writer when needed.
 */
export class ArchiveBuilder {
  private readonly zip = new yazl.ZipFile();
  private readonly tap = new ZipTap();
  private bytesAdded = 0;
  private entries = 0;
  private firstFileEntry = true;
  private readonly csv: HashedTempFile;
  private readonly manifest: HashedTempFile;
  private readonly mtime: Date;
  /** zip writer → tap → storage; settles when the last byte is stored or the first one fails. */
  private readonly written: Promise<void>;
  private failure: Error | null = null;

  private constructor(
    private readonly upload: BlobUpload,
    private readonly workDir: string,
    manifestHead: Record<string, unknown>,
    mtime: Date,
  ) {
    this.mtime = mtime;
    this.written = pipeline(this.zip.outputStream, this.tap, upload.stream);
    this.written.catch((error: Error) => {
      this.failure = error;
      this.tap.wakeAll();
    });
    this.csv = new HashedTempFile(join(workDir, 'codes.csv'));
    this.manifest = new HashedTempFile(join(workDir, 'manifest.json'));
    const head = JSON.stringify(manifestHead, null, 2);
    void this.manifest.write(`${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "files": [\n`);
  }

  static async create(options: {
    blobs: BlobStore; blobKey: string; tmpDir: string; manifestHead: Record<string, unknown>; mtime: Date;
  }): Promise<ArchiveBuilder> {
    const workDir = join(options.tmpDir, `${ARCHIVE_WORKDIR_PREFIX}${randomUUID()}`);
    await mkdir(workDir, { recursive: true });
    const upload = await options.blobs.createUpload(options.blobKey);
    return new ArchiveBuilder(upload, workDir, options.manifestHead, options.mtime);
  }

  /** Adds a file that is already compressed (PNG): stored as is, checksummed into the manifest. */
  async addStoredFile(path: string, data: Buffer): Promise<void> {
    this.zip.addBuffer(data, path, { compress: false, mtime: this.mtime, forceZip64Format: false });
    this.bytesAdded += data.length;
    this.entries += 1;
    await this.recordFile(path, data.length, createHash('sha256').update(data).digest('hex'));
    while (this.bytesAdded - this.tap.bytes > MAX_BYTES_IN_FLIGHT) {
      if (this.failure) throw this.failure;
      await this.tap.waitForProgress();
    }
  }

  appendCsv(text: string): Promise<void> {
    return this.csv.write(text);
  }

  /** Appends codes.csv and manifest.json, finishes the zip and publishes it. */
  async finish(): Promise<ArchiveResult> {
    const csvSha = await this.csv.close();
    await this.recordFile('codes.csv', this.csv.size, csvSha);
    this.zip.addReadStream(createReadStream(this.csv.path), 'codes.csv', { compress: true, mtime: this.mtime, size: this.csv.size });
    await this.manifest.write('\n  ]\n}\n');
    await this.manifest.close();
    this.zip.addReadStream(createReadStream(this.manifest.path), 'manifest.json', { compress: true, mtime: this.mtime, size: this.manifest.size });
    this.entries += 2;
    this.zip.end();
    await this.written;
    await this.upload.commit();
    await rm(this.workDir, { recursive: true, force: true });
    return { size: this.tap.bytes, sha256: this.tap.hash.digest('hex'), entries: this.entries };
  }

  /** Stops writing and removes every trace: the partial blob and the temporary files. Never throws. */
  async abort(): Promise<void> {
    if (!this.failure) (this.zip.outputStream as Readable).destroy(new Error('archive aborted'));
    await this.written.catch(() => undefined);
    await this.upload.abort().catch(() => undefined);
    await Promise.allSettled([this.csv.close(), this.manifest.close()]);
    await rm(this.workDir, { recursive: true, force: true });
  }

  private recordFile(path: string, size: number, sha256: string): Promise<void> {
    const separator = this.firstFileEntry ? '' : ',\n';
    this.firstFileEntry = false;
    return this.manifest.write(`${separator}    ${JSON.stringify({ path, size, sha256 })}`);
  }
}
