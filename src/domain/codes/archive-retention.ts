import type { Db } from '../../db/database.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { deleteArchivePieces } from '../workorders/workorder-archive.js';

/** Orders looked at per sweep round. */
const SWEEP_BATCH = 100;
/** How often a worker process sweeps. */
export const RETENTION_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface ArchiveRetentionDeps {
  db: Db;
  clock: Clock;
  blobs: BlobStore;
  logger: Logger;
  /** Days an archive is kept after its codes were generated; null keeps archives for ever. */
  retentionDays: number | null;
}

/**
 * Archive retention (`SIGIL_ARCHIVE_RETENTION_DAYS`, off by default): removes the zip of orders generated
 * longer ago than that — the pieces in the blob store; the codes, their statuses and scans stay, and the
 * serial-number CSV still answers. An order is marked first (from then on it says when its archive was
 * removed, and a download is 410 Gone), then its blobs are deleted, then the mark that blobs remain is
 * cleared: a process that dies half-way leaves the order marked, and the next sweep finishes it. Several
 * worker processes may sweep at once: the mark is taken by one, deletions are idempotent.
 */
export class ArchiveRetention {
  constructor(private readonly deps: ArchiveRetentionDeps) {}

  /** Removes every archive past its time; returns how many orders' archives it removed. */
  async sweep(): Promise<number> {
    const { retentionDays } = this.deps;
    if (retentionDays === null) return 0;
    const now = this.deps.clock.now();
    const before = isoMicros(new Date(now.getTime() - retentionDays * 86_400_000));
    let removed = 0;
    for (;;) {
      const orders = await workorders.findArchivesToRemove(this.deps.db, before, SWEEP_BATCH);
      if (orders.length === 0) {
        if (removed > 0) this.deps.logger.info({ removed, retentionDays }, 'archive retention removed archives');
        return removed;
      }
      for (const order of orders) {
        if (order.archive_removed_date === null && !(await workorders.markArchiveRemoved(this.deps.db, order.id, isoMicros(now)))) continue;
        await deleteArchivePieces(this.deps.db, this.deps.blobs, order);
        await workorders.forgetArchiveBlobs(this.deps.db, order.id);
        removed += 1;
      }
    }
  }
}
