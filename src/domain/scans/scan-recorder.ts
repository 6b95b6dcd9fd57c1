import type { ScanRow } from '../../db/tables/scans.table.js';
import type { Logger } from '../../shared/logger.js';
import type { ScanWriter } from './scan-writer.js';

export interface ScanRecorderDeps {
  /** Writes each batch (see scan-writer.ts). */
  writer: ScanWriter;
  logger: Logger;
  /** Longest a scan waits in memory before it is written, ms (a `kill -9` loses at most this much). */
  flushIntervalMs?: number;
  /** Scans per transaction; a full batch is written at once, without waiting for the interval. */
  batchSize?: number;
  /** Scans kept while the database cannot take them; beyond it the oldest are dropped (and logged). */
  maxBuffered?: number;
}

interface BufferedScan {
  row: ScanRow;
  /** This scan took the code past its limit and its owner blacklists such codes (reason 10). */
  blacklist: boolean;
}

export const SCAN_FLUSH_INTERVAL_MS = 200;
export const SCAN_BATCH_SIZE = 2000;
const MAX_BUFFERED = 200_000;

/**
 * Resolver scans are the platform's hottest writes: they are kept in memory and written in batches,
 * one transaction per batch (scan rows, the codes' counters and any reason-10 blacklisting together),
 * every {@link SCAN_FLUSH_INTERVAL_MS} ms or as soon as a batch is full. A failed write keeps its
 * scans for the next attempt. `close` (SIGTERM, SIGINT) writes everything left; a `kill -9` loses the
 * scans of the last interval. Counts shown to a scanner add the scans still buffered here, so a
 * consumer who scans twice in a row sees 2 — in this process; other processes see them once written.
 */
export class ScanRecorder {
  private buffer: BufferedScan[] = [];
  /** Scans per code buffered or being written by this process. */
  private readonly pending = new Map<number, number>();
  private writing: Promise<void> | null = null;
  private inFlight = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private failing = false;
  private closed = false;
  private dropped = 0;
  /** Bumped as a batch's commit begins and again once its scans have left `pending`: see readCounters. */
  private epoch = 0;
  /** Set from a batch's commit until its scans have left `pending`: counters read then may count them twice. */
  private committing: Promise<void> | null = null;
  private committed: (() => void) | null = null;

  constructor(private readonly deps: ScanRecorderDeps) {
    this.batchSize = deps.batchSize ?? SCAN_BATCH_SIZE;
    this.maxBuffered = deps.maxBuffered ?? MAX_BUFFERED;
    this.timer = setInterval(() => void this.flush(), deps.flushIntervalMs ?? SCAN_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  record(row: BufferedScan['row'], options: { blacklist: boolean }): void {
    if (this.closed) throw new Error('the scan recorder is closed');
    this.buffer.push({ row, blacklist: options.blacklist });
    this.pending.set(row.code_id, (this.pending.get(row.code_id) ?? 0) + 1);
    const excess = this.buffered - this.maxBuffered;
    if (excess > 0) this.dropOldest(Math.min(excess, this.buffer.length));
    // A full batch is written at once — unless writes are failing: then the timer paces the retries.
    if (this.buffer.length >= this.batchSize && !this.writing && !this.failing) void this.flush();
  }

  /** Scans of a code this process has taken but not yet written. */
  pendingFor(codeId: number): number {
    return this.pending.get(codeId) ?? 0;
  }

  /**
   * Reads codes' scan counters so that adding {@link pendingFor} counts each scan once. Between a
   * batch's commit and its scans leaving `pending`, a read may already see them in the database (on
   * PostgreSQL the commit is a round trip of its own, during which other requests read on other
   * connections): a read that overlapped that moment is made again once it has passed.
   */
  async readCounters<T>(read: () => Promise<T>): Promise<T> {
    for (;;) {
      if (this.committing) await this.committing;
      const epoch = this.epoch;
      const value = await read();
      if (epoch === this.epoch && !this.committing) return value;
    }
  }

  /** A scan this process has taken and not begun to write (one being written is neither here nor committed: `flush` waits for it). */
  bufferedScan(scanId: string): Readonly<BufferedScan['row']> | undefined {
    return this.buffer.find((scan) => scan.row.id === scanId)?.row;
  }

  /** Scans taken and not yet written (those being written included). */
  get buffered(): number {
    return this.buffer.length + this.inFlight;
  }

  /** Writes everything buffered now (in batches); resolves once written or once a write failed. */
  flush(): Promise<void> {
    if (this.writing) return this.writing.then(() => (this.buffer.length > 0 && !this.failing ? this.flush() : undefined));
    if (this.buffer.length === 0) return Promise.resolve();
    this.writing = this.writeAll().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  /** Stops the timer and writes what is left (called on SIGTERM/SIGINT before the database closes). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    this.reportDropped();
    if (this.buffer.length > 0) {
      this.deps.logger.error({ lost: this.buffer.length }, 'scans could not be written before shutdown');
    }
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize);
      this.inFlight = batch.length;
      try {
        await this.write(batch);
      } catch (error) {
        this.inFlight = 0;
        this.buffer.unshift(...batch); // kept, in order, for the next attempt
        this.endCommit();
        if (!this.failing) this.deps.logger.error({ err: error, buffered: this.buffer.length }, 'writing scans failed; keeping them to retry');
        this.failing = true;
        this.reportDropped();
        return;
      }
      this.inFlight = 0;
      if (this.failing) this.deps.logger.info({ buffered: this.buffer.length }, 'writing scans works again');
      this.failing = false;
      for (const { row } of batch) this.forget(row.code_id, 1);
      this.endCommit();
    }
  }

  private beginCommit(): void {
    this.epoch++;
    this.committing = new Promise<void>((resolve) => (this.committed = resolve));
  }

  private endCommit(): void {
    if (!this.committing) return;
    this.epoch++;
    this.committed!();
    this.committing = null;
    this.committed = null;
  }

  private write(batch: readonly BufferedScan[]): Promise<void> {
    const blacklist: number[] = [];
    for (const { row, blacklist: blacklisted } of batch) if (blacklisted) blacklist.push(row.code_id);
    return this.deps.writer.write(batch.map((b) => b.row), blacklist, () => this.beginCommit());
  }

  private dropOldest(n: number): void {
    for (const { row } of this.buffer.splice(0, n)) this.forget(row.code_id, 1);
    this.dropped += n;
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    this.deps.logger.error({ dropped: this.dropped }, 'scan buffer full while the database is failing: oldest scans dropped');
    this.dropped = 0;
  }

  private forget(codeId: number, n: number): void {
    const left = (this.pending.get(codeId) ?? 0) - n;
    if (left > 0) this.pending.set(codeId, left);
    else this.pending.delete(codeId);
  }
}
