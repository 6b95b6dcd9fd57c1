/**
 * Entry of the scan writer's thread (see thread-scan-writer.ts): its own connection to the SQLite file,
 * one batch at a time, each answered with its id and, if it failed, the error's message.
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

export type WriteReply = { id: number; error?: undefined } | { id: number; error: string };

const database = openSqlite((workerData as { file: string }).file);
const writer = new DatabaseScanWriter({ db: database.db, addScanCounts: database.capabilities.addScanCounts });
const port = parentPort!;

// Batches come one after another (the recorder awaits each); the chain keeps them in order regardless.
let previous: Promise<void> = Promise.resolve();
port.on('message', (message: WriteRequest | 'close') => {
  previous = previous.then(async () => {
    if (message === 'close') {
      await database.close();
      port.close();
      return;
    }
    try {
      await writer.write(message.rows, message.blacklist);
      port.postMessage({ id: message.id } satisfies WriteReply);
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies WriteReply);
    }
  });
});
