import type { Db, Executor } from '../../db/database.js';
import * as scans from '../../db/repositories/scans.repository.js';
import type { ScanCount } from '../../db/repositories/scans.repository.js';
import type { ScanRow } from '../../db/tables/scans.table.js';
import { ACTIVATION, BLACKLIST_REASON_MAX_SCAN_COUNT } from '../workorders/workorder.types.js';

/**
 * Where a batch of buffered scans goes: one transaction that inserts the rows, adds them to their codes'
 * counters, and blacklists (reason 10) the codes past a limit whose owner chose that.
 *
 * Both engines write in process. A writer thread with its own SQLite connection was tried (it spares the
 * answering thread ≈ 20 µs a scan) and withdrawn: to keep counts exact the thread had to hold its write
 * transaction until the main thread acknowledged the commit, while the main thread, blocked
 * synchronously in SQLite's busy handler on that very lock (a job claim), could not acknowledge it —
 * a deadlock until busy_timeout, seen as scans unwritten for seconds.
 */
export interface ScanWriter {
  /**
   * Writes the batch, all or nothing; rejects when it could not (the caller keeps the scans). Calls
   * `beforeCommit` on the caller's thread once everything is written and only the commit is left: from
   * then until the promise settles, readers may see the batch in the database or not.
   */
  write(rows: readonly ScanRow[], blacklist: readonly number[], beforeCommit: () => void): Promise<void>;
}

/** A batch's scans per code: how many, and the first and last scan date among them. */
export function scanCountsOf(rows: readonly ScanRow[]): ScanCount[] {
  const counts = new Map<number, ScanCount>();
  for (const row of rows) {
    const count = counts.get(row.code_id);
    if (count) {
      count.scans += 1;
      if (row.scan_date < count.firstDate) count.firstDate = row.scan_date;
      if (row.scan_date > count.lastDate) count.lastDate = row.scan_date;
    } else {
      counts.set(row.code_id, { codeId: row.code_id, scans: 1, firstDate: row.scan_date, lastDate: row.scan_date });
    }
  }
  return [...counts.values()];
}

/** Writes scans through the process's database (its connection is closed with the process's database handle). */
export class DatabaseScanWriter implements ScanWriter {
  constructor(private readonly deps: {
    db: Db;
    /** The engine's way of adding a batch's scans to the codes' counters. */
    addScanCounts: (db: Executor, counts: readonly ScanCount[]) => Promise<void>;
  }) {}

  async write(rows: readonly ScanRow[], blacklist: readonly number[], beforeCommit: () => void | Promise<void>): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await scans.insertScans(trx, rows);
      await this.deps.addScanCounts(trx, scanCountsOf(rows));
      await scans.blacklistOverScanLimit(trx, blacklist, BLACKLIST_REASON_MAX_SCAN_COUNT, ACTIVATION.blacklisted);
      await beforeCommit(); // the transaction commits as this callback returns
    });
  }
}
