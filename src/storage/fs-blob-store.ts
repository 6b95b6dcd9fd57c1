import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { finished } from 'node:stream/promises';
import { readThroughBuffer } from '../shared/read-through-buffer.js';
import type { BlobStore, BlobUpload, ByteRange } from './blob-store.js';

const PARTIAL_SUFFIX = '.partial';
/** Reads go in 256 KiB chunks: a gigabyte archive is four thousand reads, not sixteen thousand. */
const READ_CHUNK_BYTES = 256 * 1024;
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
    const uploadId = randomUUID();
    const temporary = partialPath(target, uploadId);
    const stream = createWriteStream(temporary, { fd: await createInFolder(temporary) });
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
        await this.removeEmptyFolders(temporary);
      },
    };
  }

  async open(key: string, range?: ByteRange): Promise<{ stream: ReturnType<typeof createReadStream>; size: number } | null> {
    const info = await this.stat(key);
    if (!info) return null;
    // Opened before the size is trusted: a blob replaced in between is read whole, as it is now.
    const stream = createReadStream(this.pathOf(key), { highWaterMark: READ_CHUNK_BYTES, ...(range ? { start: range.start, end: range.end } : {}) });
    return { stream, size: info.size };
  }

  async readThrough(key: string, consume: (chunk: Uint8Array) => void): Promise<boolean> {
    let file;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    try {
      for await (const chunk of readThroughBuffer(file, READ_CHUNK_BYTES)) consume(chunk);
      return true;
    } finally {
      await file.close();
    }
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
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await this.removeEmptyFolders(path);
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    if (!UPLOAD_ID.test(uploadId)) throw new Error(`not an upload id of this store: ${uploadId}`);
    await rm(partialPath(this.pathOf(key), uploadId), { force: true });
  }

  close(): void {
    // nothing held open between calls
  }

  /** Removes the folders above a removed file that it left empty (rmdir refuses one that is not). */
  private async removeEmptyFolders(removed: string): Promise<void> {
    for (let folder = dirname(removed); folder.startsWith(this.root + sep); folder = dirname(folder)) {
      try {
        await rmdir(folder);
      } catch {
        return;
      }
    }
  }

  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return path;
  }
}

/** Creates a new file (mode 0600) and its folders; again if a delete removed the folder as it emptied it. */
async function createInFolder(path: string): Promise<FileHandle> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(dirname(path), { recursive: true });
    try {
      return await open(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
    }
  }
}

const partialPath = (target: string, uploadId: string) => `${target}.${uploadId}${PARTIAL_SUFFIX}`;
