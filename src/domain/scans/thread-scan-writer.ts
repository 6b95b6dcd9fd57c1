import { Worker } from 'node:worker_threads';
import type { ScanRow } from '../../db/tables/scans.table.js';
import { compiledFileBeside } from '../../shared/compiled-file.js';
import type { Logger } from '../../shared/logger.js';
import type { CommitRequest, WriteReply, WriteRequest } from './scan-writer-thread.js';
import type { ScanWriter } from './scan-writer.js';

/**
 * The embedded default's scan writer: a thread with its own connection to the SQLite file writes the
 * batches, so the thread that answers scans spends ≈ 2 µs per scan handing a batch over instead of ≈ 20
 * writing it, and never pauses 30–40 ms for a batch's transaction. SQLite's WAL lets the two connections
 * read beside each other; writes take turns (busy_timeout), as with a `sigil worker` process beside
 * `serve`. A thread that dies fails the batches it held (the recorder keeps and retries them) and is
 * started again for the next one.
 */
export class ThreadScanWriter implements ScanWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void; beforeCommit: () => void }>();

  constructor(private readonly file: string, private readonly logger: Logger) {}

  write(rows: readonly ScanRow[], blacklist: readonly number[], beforeCommit: () => void): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, beforeCommit });
      worker.postMessage({ id, rows: rows as ScanRow[], blacklist: blacklist as number[] } satisfies WriteRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(compiledFileBeside(import.meta.url, 'scan-writer-thread.js'), { workerData: { file: this.file } });
    worker.on('message', (reply: WriteReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      if ('ready' in reply) {
        waiter.beforeCommit();
        worker.postMessage({ commit: reply.id } satisfies CommitRequest);
        return;
      }
      this.waiting.delete(reply.id);
      if (reply.error === undefined) waiter.resolve();
      else waiter.reject(new Error(reply.error));
    });
    worker.on('error', (error) => this.logger.error({ err: error }, 'the scan writer thread failed'));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`the scan writer thread exited (code ${code})`));
      this.waiting.clear();
    });
    this.worker = worker;
    return worker;
  }
}
