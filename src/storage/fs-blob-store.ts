import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { finished } from 'node:stream/promises';
import { removeStale } from '../shared/remove-stale.js';
import type { BlobStore, BlobUpload, ByteRange } from './blob-store.js';

const PARTIAL_SUFFIX = '.partial';
const UPLOAD_ID = /^[0-9a-f-]{36}$/;

/** Blobs as files under one directory; uploads go to a temporary file renamed into place on commit. */
export class FsBlobStore implements BlobStore {
  private readonly root: string;
  readonly location: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.location = pathToFileURL(this.root).href;
  }

  async createUpload(key: string): Promise<BlobUpload> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const uploadId = randomUUID();
    const temporary = partialPath(target, uploadId);
    const stream = createWriteStream(temporary, { mode: 0o600 });
    let done = false;
    return {
      uploadId,
      stream,
      commit: async () => {
        if (!stream.writableFinished) await finished(stream);
        await rename(temporary, target);
        done = true;
      },
      abort: async () => {
        if (done) return;
        if (!stream.destroyed) stream.destroy();
        await rm(temporary, { force: true });
      },
    };
  }

  async open(key: string, range?: ByteRange): Promise<{ stream: ReturnType<typeof createReadStream>; size: number } | null> {
    const info = await this.stat(key);
    if (!info) return null;
    // Opened before the size is trusted: a blob replaced in between is read whole, as it is now.
    const stream = createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
    return { stream, size: info.size };
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(key))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    if (!UPLOAD_ID.test(uploadId)) throw new Error(`not an upload id of this store: ${uploadId}`);
    await rm(partialPath(this.pathOf(key), uploadId), { force: true });
  }

  async sweepAbandonedUploads(olderThanMs: number): Promise<number> {
    return removeStale(this.root, olderThanMs, (entry) => entry.isFile() && entry.name.endsWith(PARTIAL_SUFFIX));
  }

  close(): void {
    // nothing held open between calls
  }

  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return path;
  }
}

const partialPath = (target: string, uploadId: string) => `${target}.${uploadId}${PARTIAL_SUFFIX}`;
