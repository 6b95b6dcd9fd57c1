/**
 * Entry of the scan writer's thread (see thread-scan-writer.ts): its own connection to the SQLite file,
 * one batch at a time. Once a batch is written and only its commit is left, the thread says `ready` and
 * commits when the main thread answers `commit` (so the main thread knows when readers may start to see
 * it); then it answers with the batch's id and, if it failed, the error's message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '../../db/dialects/sqlite.js';
import type { ScanRow } from '../../db/tables/scans.table.js';
import { DatabaseScanWriter } from './scan-writer.js';

export interface WriteRequest {
  id: number;
  rows: ScanRow[];
  blacklist: number[];
}

export type WriteReply = { id: number; ready: true } | { id: number; error?: undefined } | { id: number; error: string };

/** The main thread's go-ahead for batch `id`'s commit. */
export interface CommitRequest {
  commit: number;
}

const database = openSqlite((workerData as { file: string }).file);
const writer = new DatabaseScanWriter({ db: database.db, addScanCounts: database.capabilities.addScanCounts });
const port = parentPort!;

const goAheads = new Map<number, () => void>();

// Batches come one after another (the recorder awaits each); the chain keeps them in order regardless.
let previous: Promise<void> = Promise.resolve();
port.on('message', (message: WriteRequest | CommitRequest | 'close') => {
  if (typeof message === 'object' && 'commit' in message) {
    goAheads.get(message.commit)?.();
    goAheads.delete(message.commit);
    return;
  }
  previous = previous.then(async () => {
    if (message === 'close') {
      await database.close();
      port.close();
      return;
    }
    try {
      await writer.write(message.rows, message.blacklist, () => new Promise<void>((resolve) => {
        goAheads.set(message.id, resolve);
        port.postMessage({ id: message.id, ready: true } satisfies WriteReply);
      }));
      port.postMessage({ id: message.id } satisfies WriteReply);
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies WriteReply);
    }
  });
});
