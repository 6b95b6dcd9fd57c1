import type { Db } from '../../db/database.js';
import * as generation from '../../db/repositories/generation.repository.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { BlobStore, BlobUpload } from '../../storage/blob-store.js';

/**
 * Uploads of an order's archive pieces, recorded in the database before a byte is written, so that
 * whatever a crashed or canceled run leaves in the blob store can be found and removed by any process
 * (not guessed from file ages).
 */
export class TrackedUploads {
  constructor(private readonly deps: { db: Db; blobs: BlobStore; clock: Clock; logger: Logger }) {}

  /** Starts an upload under `key` and records it; the caller forgets it when it commits (in its own transaction). */
  async start(workorderId: number, key: string): Promise<BlobUpload> {
    const upload = await this.deps.blobs.createUpload(key);
    try {
      await generation.recordUpload(this.deps.db, {
        upload_id: upload.uploadId, blob_key: key, workorder_id: workorderId, started_date: isoMicros(this.deps.clock.now()),
      });
    } catch (error) {
      await upload.abort();
      throw error;
    }
    return upload;
  }

  /** Aborts an upload of this process and removes its record; never throws. */
  async abandon(upload: BlobUpload): Promise<void> {
    await upload.abort().catch(() => undefined);
    await generation.forgetUpload(this.deps.db, upload.uploadId).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'could not forget an abandoned upload (it is removed with its order)');
    });
  }

  /**
   * Discards the recorded uploads of an order (those whose key starts with `keyPrefix`, or all) except
   * `keep`: unfinished ones are aborted, and a blob one of them may have published is deleted. Returns
   * how many were discarded.
   */
  async discard(workorderId: number, options: { keyPrefix?: string; keep?: string } = {}): Promise<number> {
    const uploads = await generation.listUploads(this.deps.db, workorderId, options.keyPrefix);
    let discarded = 0;
    for (const upload of uploads) {
      if (upload.upload_id === options.keep) continue;
      try {
        await this.deps.blobs.abortUpload(upload.blob_key, upload.upload_id);
      } catch (error) {
        // Some S3-compatible servers cannot abort an upload (s3rver answers 405): the order must not
        // fail for it. The parts stay in the store until its lifecycle rule removes them.
        this.deps.logger.warn({ err: error, key: upload.blob_key }, 'could not abort an unfinished upload; the store keeps its parts');
      }
      await this.deps.blobs.delete(upload.blob_key);
      await generation.forgetUpload(this.deps.db, upload.upload_id);
      discarded += 1;
    }
    return discarded;
  }
}
