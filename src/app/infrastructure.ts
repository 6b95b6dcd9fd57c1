import type { Config } from '../config/config.types.js';
import type { DatabaseHandle } from '../db/dialects/dialect.types.js';
import { openSqlite } from '../db/dialects/sqlite.js';
import { migrateOrThrow } from '../db/migrate.js';
import type { JobHandler, JobWorker } from '../jobs/job-worker.js';
import type { JobQueue } from '../jobs/queue.js';
import { SqliteJobQueue } from '../jobs/queue-sqlite.js';
import { JobRunner } from '../jobs/runner.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { DatabaseScanWriter, type ScanWriter } from '../domain/scans/scan-writer.js';
import type { BlobStore } from '../storage/blob-store.js';
import { FsBlobStore } from '../storage/fs-blob-store.js';

/** The engine-specific parts of a process, chosen from the config here and nowhere else. */
export interface Infrastructure {
  database: DatabaseHandle;
  /** Migrations this process applied (empty when another process had already done it). */
  migrations: string[];
  queue: JobQueue;
  blobs: BlobStore;
  /** Where resolver scans are written (see scan-writer.ts). */
  scanWriter: ScanWriter;
  createWorker(handlers: readonly JobHandler[]): JobWorker;
}

/**
 * Opens the database (migrating it under the engine's lock) and picks the job queue and blob store:
 * SQLite + the embedded job runner, or PostgreSQL + graphile-worker in the same database. The
 * scale-out modules (pg, graphile-worker, the AWS SDK) are loaded only when configured: the embedded
 * default neither starts slower nor holds ≈ 10 MB more for them.
 */
export async function openInfrastructure(config: Config, logger: Logger, clock: Clock): Promise<Infrastructure> {
  if (config.database.kind === 'postgres') {
    const { openPostgres } = await import('../db/dialects/postgres.js');
    const { GraphileJobQueue, migrateGraphileWorker } = await import('../jobs/graphile/graphile-queue.js');
    const { GraphileJobWorker } = await import('../jobs/graphile/graphile-job-worker.js');
    const database = openPostgres(config.database.url, { poolSize: 10 + 2 * config.jobConcurrency });
    const migrations = await migrateUnderLock(database, () => migrateGraphileWorker(database.pool, logger));
    return {
      database,
      migrations,
      queue: new GraphileJobQueue(database.db),
      blobs: await openBlobStore(config),
      scanWriter: new DatabaseScanWriter({ db: database.db, addScanCounts: database.capabilities.addScanCounts }),
      createWorker: (handlers) => new GraphileJobWorker(database.db, database.pool, handlers, {
        leaseMs: config.jobLeaseSeconds * 1000, concurrency: config.jobConcurrency, pollMs: config.jobPollMs, logger,
      }),
    };
  }
  const database = openSqlite(config.database.file);
  const migrations = await migrateUnderLock(database);
  const queue = new SqliteJobQueue(database.db, clock);
  return {
    database,
    migrations,
    queue,
    blobs: await openBlobStore(config),
    scanWriter: new DatabaseScanWriter({ db: database.db, addScanCounts: database.capabilities.addScanCounts }),
    createWorker: (handlers) => new JobRunner(queue, handlers, {
      leaseMs: config.jobLeaseSeconds * 1000, pollMs: config.jobPollMs, concurrency: config.jobConcurrency, logger, clock,
    }),
  };
}

async function migrateUnderLock(database: DatabaseHandle, alsoMigrate?: () => Promise<void>): Promise<string[]> {
  try {
    return await database.withMigrationLock(async () => {
      const applied = await migrateOrThrow(database.db, database.capabilities);
      await alsoMigrate?.();
      return applied;
    });
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function openBlobStore(config: Config): Promise<BlobStore> {
  if (config.blobStore.kind === 'fs') return new FsBlobStore(config.blobStore.dir);
  const { S3BlobStore } = await import('../storage/s3-blob-store.js');
  return new S3BlobStore(config.blobStore);
}
