import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type CompletedPart,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type { BlobStoreConfig } from '../config/config.types.js';
import type { BlobStore, BlobUpload, ByteRange } from './blob-store.js';

export type S3BlobStoreConfig = Extract<BlobStoreConfig, { kind: 's3' }>;

const MiB = 1024 * 1024;
/** S3 refuses parts smaller than this (except the last one) when the upload is completed (`EntityTooSmall`). */
export const S3_MIN_PART_SIZE = 5 * MiB;
/** S3's largest part. */
const S3_MAX_PART_SIZE = 5 * 1024 * MiB;
/** S3 numbers parts 1 to 10,000: with the default part size, a blob can reach about 78 GiB. */
const S3_MAX_PARTS = 10_000;
export const DEFAULT_PART_SIZE = 8 * MiB;

export interface S3BlobStoreOptions {
  /** Bytes per uploaded part (the memory each upload holds). Default 8 MiB; at least 5 MiB, S3's minimum. */
  readonly partSizeBytes?: number;
  /**
   * Accept `partSizeBytes` below S3's 5 MiB minimum. Only for test servers that do not enforce it
   * (s3rver): AWS refuses to complete such an upload.
   */
  readonly allowPartsBelowS3Minimum?: boolean;
  /** Called after each part has been stored by the server (tests observe the memory bound with it). */
  readonly onPartUploaded?: (part: { readonly partNumber: number; readonly bytes: number }) => void;
}

/** Uploads one part and returns its ETag; `signal` cancels the request when the upload is discarded. */
type PartSender = (partNumber: number, body: Buffer, signal: AbortSignal) => Promise<string>;

/**
 * Blobs as objects of an S3 bucket (AWS or an S3-compatible server), each under `prefix + key`.
 *
 * Uploads are streamed as S3 multipart uploads. `createUpload` starts the multipart upload at once,
 * so its `uploadId` (S3's UploadId) can be recorded before any byte is written, and another process
 * can discard it with `abortUpload` if this one dies. The upload's stream gathers written bytes
 * until it holds one part (`partSizeBytes`), then sends that part with UploadPart and completes the
 * write only once S3 has stored it: the writer is held back (backpressure) while a part is in
 * flight, so an upload holds about one part in memory (plus the stream's small write buffer)
 * whatever the size of the blob. Parts are sent one after the other. `commit` sends what is left as
 * the last part and completes the multipart upload, which publishes the object atomically: until
 * then nothing is visible under the key, and a reader of the previous object keeps reading it whole.
 * An empty blob is completed with one empty part (S3 accepts an empty last part), so that an upload
 * discarded meanwhile fails to commit like any other.
 */
export class S3BlobStore implements BlobStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly onPartUploaded: S3BlobStoreOptions['onPartUploaded'];

  constructor(config: S3BlobStoreConfig, options: S3BlobStoreOptions = {}) {
    if (config.prefix !== '' && !config.prefix.endsWith('/')) throw new Error(`S3 key prefix must be empty or end with '/': ${config.prefix}`);
    this.bucket = config.bucket;
    this.prefix = config.prefix;
    this.partSize = checkedPartSize(options.partSizeBytes ?? DEFAULT_PART_SIZE, options.allowPartsBelowS3Minimum ?? false);
    this.onPartUploaded = options.onPartUploaded;
    this.location = describeLocation(config);
    this.client = new S3Client({
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      // The SDK's default CRC32 of every part runs in JavaScript on the uploading thread (the worker's
      // main thread); each part carries a Content-MD5 instead (OpenSSL), which the store checks as well.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(config.endpoint !== null ? { endpoint: config.endpoint } : {}),
      ...(config.credentials !== null ? { credentials: { ...config.credentials } } : {}),
    });
  }

  async createUpload(key: string): Promise<BlobUpload> {
    const objectKey = this.objectKey(key);
    const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey }));
    const uploadId = created.UploadId;
    if (!uploadId) throw new Error(`S3 started a multipart upload of ${objectKey} without an UploadId`);
    const sendPart: PartSender = (partNumber, body, signal) => this.uploadPart(objectKey, uploadId, partNumber, body, signal);
    return new S3Upload(uploadId, new PartWriter(this.partSize, sendPart), {
      complete: (parts) => this.completeUpload(objectKey, uploadId, parts),
      discard: () => this.abortMultipart(objectKey, uploadId),
    });
  }

  async open(key: string, range?: ByteRange): Promise<{ stream: Readable; size: number } | null> {
    const objectKey = this.objectKey(key);
    if (range) checkRange(range);
    let object: GetObjectCommandOutput;
    try {
      object = await this.client.send(new GetObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }));
    } catch (error) {
      if (isS3Error(error, 'NoSuchKey', 'NotFound')) return null;
      throw error;
    }
    const stream = object.Body;
    if (!(stream instanceof Readable)) throw new Error(`S3 returned no readable body for ${objectKey}`);
    try {
      return { stream, size: range ? sizeOfRangeServed(object, range) : sizeOfWhole(object) };
    } catch (error) {
      stream.destroy();
      throw new Error(`S3 answered unexpectedly for ${objectKey}`, { cause: error });
    }
  }

  async readThrough(key: string, consume: (chunk: Uint8Array) => void): Promise<boolean> {
    const opened = await this.open(key);
    if (!opened) return false;
    for await (const chunk of opened.stream) consume(chunk as Uint8Array);
    return true;
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const objectKey = this.objectKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      if (head.ContentLength === undefined) throw new Error(`S3 did not tell the size of ${objectKey}`);
      return { size: head.ContentLength };
    } catch (error) {
      if (isS3Error(error, 'NotFound', 'NoSuchKey')) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    if (uploadId === '') throw new Error('empty upload id');
    await this.abortMultipart(this.objectKey(key), uploadId);
  }

  /** Releases the S3 client's connections. */
  close(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    if (key === '' || key.startsWith('/') || key.split('/').includes('..')) throw new Error(`blob key escapes the store: ${JSON.stringify(key)}`);
    return this.prefix + key;
  }

  private async uploadPart(objectKey: string, uploadId: string, partNumber: number, body: Buffer, signal: AbortSignal): Promise<string> {
    const sent = await this.client.send(
      new UploadPartCommand({
        Bucket: this.bucket, Key: objectKey, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.length,
        ContentMD5: createHash('md5').update(body).digest('base64'),
      }),
      { abortSignal: signal },
    );
    if (!sent.ETag) throw new Error(`S3 stored part ${partNumber} of ${objectKey} without an ETag`);
    this.onPartUploaded?.({ partNumber, bytes: body.length });
    return sent.ETag;
  }

  private async completeUpload(objectKey: string, uploadId: string, parts: CompletedPart[]): Promise<void> {
    await this.client.send(new CompleteMultipartUploadCommand({
      Bucket: this.bucket,
      Key: objectKey,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts },
    }));
  }

  /** Aborts a multipart upload; no error when it is gone (aborted, or completed into an object it leaves alone). */
  private async abortMultipart(objectKey: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey, UploadId: uploadId }));
    } catch (error) {
      if (!isS3Error(error, 'NoSuchUpload')) throw error;
    }
  }
}

/**
 * One multipart upload: its stream sends the parts; `commit` completes it once the writer has ended
 * the stream, `abort` discards it.
 */
class S3Upload implements BlobUpload {
  private committing: Promise<void> | null = null;
  private committed = false;
  /** `abort` was called: no commit may start. */
  private abandoned = false;
  /** The multipart upload is gone from the server. */
  private discarded = false;

  constructor(
    readonly uploadId: string,
    private readonly writer: PartWriter,
    private readonly server: { complete(parts: CompletedPart[]): Promise<void>; discard(): Promise<void> },
  ) {}

  get stream(): Writable {
    return this.writer;
  }

  commit(): Promise<void> {
    this.committing ??= this.complete();
    return this.committing;
  }

  async abort(): Promise<void> {
    if (this.committed || this.discarded) return;
    this.abandoned = true;
    // Stops the writer, and a commit still waiting for the stream to end; a commit already completing goes on.
    this.writer.destroy();
    if (this.committing) await this.committing.catch(() => undefined);
    if (this.committed) return;
    await this.writer.idle();
    await this.server.discard();
    this.discarded = true;
  }

  private async complete(): Promise<void> {
    if (this.abandoned) throw new Error(`upload ${this.uploadId} was aborted`);
    if (!this.writer.writableFinished) await finished(this.writer);
    await this.server.complete(this.writer.completedParts());
    this.committed = true;
  }
}

/**
 * The upload's stream: copies written bytes into a buffer of one part, sends the part when it is
 * full, and completes a write only when the parts it filled are stored, so the writer waits while a
 * part is in flight. Written chunks are copied, never kept: the writer may reuse them once a write
 * completes. Ending the stream sends the last part; a failed part destroys the stream with the error.
 */
class PartWriter extends Writable {
  /** The part being filled (allocated when the first byte comes), and how much of it is. */
  private part: Buffer | null = null;
  private filled = 0;
  private readonly parts: CompletedPart[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private readonly cancel = new AbortController();

  constructor(private readonly partSize: number, private readonly sendPart: PartSender) {
    super();
    // Failures also reach `commit()`: a writer that listens to neither must not bring the process down.
    this.on('error', () => undefined);
  }

  /** Resolves once no part is being sent (an aborted upload waits for it before it is discarded). */
  async idle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }

  /** The stored parts, for CompleteMultipartUpload: all of them once the stream has finished. */
  completedParts(): CompletedPart[] {
    return [...this.parts];
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const offset = this.fill(chunk, 0);
    if (this.filled < this.partSize) {
      callback();
      return;
    }
    this.track(this.sendFilledParts(chunk, offset)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    // A multipart upload needs at least one part: an empty blob is one empty part.
    if (this.filled === 0 && this.parts.length > 0) {
      callback();
      return;
    }
    this.track(this.sendPartFilled()).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.cancel.abort();
    this.part = null;
    this.filled = 0;
    callback(error);
  }

  private track(sending: Promise<void>): Promise<void> {
    this.inFlight = sending;
    return sending;
  }

  /** Copies what fits of `chunk` from `offset` into the part; returns where it stopped. */
  private fill(chunk: Buffer, offset: number): number {
    if (offset >= chunk.length) return offset;
    this.part ??= Buffer.allocUnsafe(this.partSize);
    const copied = chunk.copy(this.part, this.filled, offset);
    this.filled += copied;
    return offset + copied;
  }

  /** Sends the full part, then each further part the rest of `chunk` fills; what is left waits for more. */
  private async sendFilledParts(chunk: Buffer, offset: number): Promise<void> {
    while (this.filled === this.partSize) {
      await this.sendPartFilled();
      offset = this.fill(chunk, offset);
    }
  }

  private async sendPartFilled(): Promise<void> {
    const body = this.part?.subarray(0, this.filled) ?? Buffer.alloc(0);
    this.part = null;
    this.filled = 0;
    const partNumber = this.parts.length + 1;
    if (partNumber > S3_MAX_PARTS) throw new Error(`blob too large: more than ${S3_MAX_PARTS} parts of ${this.partSize} bytes`);
    const etag = await this.sendPart(partNumber, body, this.cancel.signal);
    this.parts.push({ PartNumber: partNumber, ETag: etag });
  }
}

function checkedPartSize(bytes: number, allowBelowMinimum: boolean): number {
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > S3_MAX_PART_SIZE) throw new Error(`S3 part size out of range: ${bytes}`);
  if (bytes < S3_MIN_PART_SIZE && !allowBelowMinimum) throw new Error(`S3 part size must be at least ${S3_MIN_PART_SIZE} bytes: ${bytes}`);
  return bytes;
}

function checkRange({ start, end }: ByteRange): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) throw new Error(`invalid byte range ${start}-${end}`);
}

function sizeOfWhole(object: GetObjectCommandOutput): number {
  if (object.ContentLength === undefined) throw new Error('no Content-Length');
  return object.ContentLength;
}

/**
 * The whole blob's size from `Content-Range: bytes 0-9/1234`, once it is checked to be the range asked
 * for (its end cut to the blob's last byte): a server that sends other bytes must not pass them off.
 */
function sizeOfRangeServed(object: GetObjectCommandOutput, asked: ByteRange): number {
  const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(object.ContentRange?.trim() ?? '');
  if (!served) throw new Error(`Content-Range ${JSON.stringify(object.ContentRange ?? null)} for bytes=${asked.start}-${asked.end}`);
  const [start, end, size] = served.slice(1).map(Number) as [number, number, number];
  if (start !== asked.start || end !== Math.min(asked.end, size - 1)) throw new Error(`bytes ${start}-${end}/${size} served for bytes=${asked.start}-${asked.end}`);
  return size;
}

/** `s3://bucket/prefix`, and the endpoint without any user info. */
function describeLocation(config: S3BlobStoreConfig): string {
  const where = `s3://${config.bucket}/${config.prefix}`;
  return config.endpoint === null ? where : `${where} (endpoint ${withoutUserInfo(config.endpoint)})`;
}

function withoutUserInfo(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.pathname === '/' && !endpoint.endsWith('/') ? url.origin : url.href;
  } catch {
    return endpoint.replace(/\/\/[^/@]*@/, '//');
  }
}

/** An error S3 answered with one of these codes (or, for a HEAD with no body, a 404 named `NotFound`). */
function isS3Error(error: unknown, ...names: string[]): boolean {
  return error instanceof S3ServiceException && names.includes(error.name);
}
