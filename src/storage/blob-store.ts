import type { Readable, Writable } from 'node:stream';

/** A blob being written: nothing is visible under its key until `commit` succeeds. */
export interface BlobUpload {
  readonly stream: Writable;
  /** Waits for the stream to finish (the writer ends it), then publishes the blob atomically. */
  commit(): Promise<void>;
  /** Discards what was written. */
  abort(): Promise<void>;
}

/** Where archives live: a local directory (embedded default) or object storage (scale-out). */
export interface BlobStore {
  createUpload(key: string): Promise<BlobUpload>;
  /** Null when there is no blob under the key. */
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
  delete(key: string): Promise<void>;
  /** Removes uploads abandoned by a crashed writer (untouched for `olderThanMs`); returns how many. */
  sweepAbandonedUploads(olderThanMs: number): Promise<number>;
}
