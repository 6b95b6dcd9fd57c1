import type { Readable, Writable } from 'node:stream';

/** A blob being written: nothing is visible under its key until `commit` succeeds. */
export interface BlobUpload {
  /**
   * Names this upload for `BlobStore.abortUpload`, from any process: the caller may record it (in the
   * database) before writing, so an upload its writer never finished can be discarded later.
   */
  readonly uploadId: string;
  readonly stream: Writable;
  /** Waits for the stream to finish (the writer ends it), then publishes the blob atomically. */
  commit(): Promise<void>;
  /** Discards what was written. Never throws once the upload is gone. */
  abort(): Promise<void>;
}

/** Bytes `start` to `end` of a blob, both included (as in an HTTP `Range` header). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Where archives live: a local directory (embedded default) or S3-compatible object storage (scale-out). */
export interface BlobStore {
  /** Where the blobs are, for start-up logs: a URL without credentials. */
  readonly location: string;
  createUpload(key: string): Promise<BlobUpload>;
  /** The blob (or the range of it), and the blob's whole size; null when there is no blob under the key. */
  open(key: string, range?: ByteRange): Promise<{ stream: Readable; size: number } | null>;
  /**
   * Passes the blob's bytes to `consume`, in order, chunk by chunk; false when there is no blob under
   * the key. A chunk may be a view of a buffer reused for the next one: for readers done with each
   * chunk when `consume` returns (hashing), so reading a large blob leaves little for the collector.
   */
  readThrough(key: string, consume: (chunk: Uint8Array) => void): Promise<boolean>;
  /** The blob's size, or null when there is no blob under the key. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Removes the blob; no error when there is none. */
  delete(key: string): Promise<void>;
  /**
   * Discards an unfinished upload by its `uploadId`, whoever started it (a crashed process included).
   * No error when it has finished or is already gone; never touches a committed blob.
   */
  abortUpload(key: string, uploadId: string): Promise<void>;
  /** Releases connections (the process is shutting down). */
  close(): void;
}
