import { join } from 'node:path';
import type { Config } from '../config/config.types.js';
import { SQLITE_FILE_NAME } from '../config/config.types.js';
import type { Db } from '../db/database.js';
import type { DatabaseHandle } from '../db/dialects/dialect.types.js';
import { openSqlite } from '../db/dialects/sqlite.js';
import { migrateOrThrow } from '../db/migrate.js';
import { AdminService } from '../domain/admin/admin.service.js';
import { AuthService } from '../domain/auth/auth.service.js';
import { CodeGenerationService } from '../domain/codes/code-generation.service.js';
import { ThreadRenderPool, type ImageRenderer } from '../domain/codes/render-pool.js';
import { TemplateService } from '../domain/templates/template.service.js';
import { WorkorderService } from '../domain/workorders/workorder.service.js';
import { generateWorkorderJob } from '../jobs/handlers/generate-workorder.job.js';
import type { JobQueue } from '../jobs/queue.js';
import { SqliteJobQueue } from '../jobs/queue-sqlite.js';
import { JobRunner } from '../jobs/runner.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { secureRandom, type Random } from '../shared/random.js';
import { deriveKeys } from '../shared/secrets.js';
import type { BlobStore } from '../storage/blob-store.js';
import { FsBlobStore } from '../storage/fs-blob-store.js';

/** Every long-lived object of one process, wired once from the config. */
export interface Container {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  db: Db;
  clock: Clock;
  random: Random;
  blobs: BlobStore;
  queue: JobQueue;
  auth: AuthService;
  admin: AdminService;
  templates: TemplateService;
  workorders: WorkorderService;
  /** Render threads for code images (started on first use). */
  renderer: ImageRenderer;
  generation: CodeGenerationService;
  runner: JobRunner;
  /** Cleans up after crashed runs, then starts the in-process job runner. */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  clock?: Clock;
  random?: Random;
  /** Wraps the render pool (tests use it to hold a generation at a known point). */
  wrapRenderer?: (pool: ImageRenderer) => ImageRenderer;
}

/** Opens the embedded database (migrating it) and builds the services around it. */
export async function buildContainer(config: Config, logger: Logger, overrides: ContainerOverrides = {}): Promise<Container> {
  const database = openSqlite(join(config.dataDir, SQLITE_FILE_NAME));
  const applied = await migrateOrThrow(database.db, database.capabilities);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const db = database.db;
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? secureRandom;
  const keys = deriveKeys(config.secretKey);
  const blobs = new FsBlobStore(join(config.dataDir, 'blobs'));
  const queue = new SqliteJobQueue(db, clock);
  const pool = new ThreadRenderPool(config.renderThreads, keys.graphicKey);
  const renderer = overrides.wrapRenderer ? overrides.wrapRenderer(pool) : pool;
  const generation = new CodeGenerationService({
    db, clock, random, blobs, tmpDir: join(config.dataDir, 'tmp'), renderer, logger,
  });
  const runner = new JobRunner(queue, [generateWorkorderJob(generation)], {
    leaseMs: config.jobLeaseSeconds * 1000,
    pollMs: config.jobPollMs,
    concurrency: config.jobConcurrency,
    logger,
    clock,
  });
  const workorders = new WorkorderService({
    db, clock, queue, blobs, defaultUrlPrefix: config.codeUrlPrefix, onJobEnqueued: () => runner.nudge(),
  });
  return {
    config, logger, database, db, clock, random, blobs, queue, renderer, generation, runner, workorders,
    auth: new AuthService({ db, clock, jwtSigningKey: keys.jwtSigningKey, jwtTtlSeconds: config.jwtTtlSeconds }),
    admin: new AdminService({ db, clock, random }),
    templates: new TemplateService({ db }),
    startWorker: async () => {
      // Anything untouched for two leases belongs to a dead process (live writers keep touching theirs).
      await generation.sweepAbandoned(config.jobLeaseSeconds * 2000);
      await generation.reconcileFailedJobs();
      runner.start();
    },
    close: async () => {
      await runner.stop();
      await pool.close();
      await database.close();
    },
  };
}
