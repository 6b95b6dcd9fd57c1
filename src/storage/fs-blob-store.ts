import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { finished } from 'node:stream/promises';
import { removeStale } from '../shared/remove-stale.js';
import type { BlobStore, BlobUpload } from './blob-store.js';

/** Blobs as files under one directory; uploads go to a temporary file renamed into place on commit. */
export class FsBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async createUpload(key: string): Promise<BlobUpload> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.partial`;
    const stream = createWriteStream(temporary, { mode: 0o600 });
    let done = false;
    return {
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

  async open(key: string): Promise<{ stream: ReturnType<typeof createReadStream>; size: number } | null> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return { stream: createReadStream(path), size: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async sweepAbandonedUploads(olderThanMs: number): Promise<number> {
    return removeStale(this.root, olderThanMs, (entry) => entry.isFile() && entry.name.endsWith('.partial'));
  }

  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return path;
  }
}
