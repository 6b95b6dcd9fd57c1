import type { Config } from '../config/config.types.js';
import type { Db } from '../db/database.js';
import type { DatabaseHandle } from '../db/dialects/dialect.types.js';
import { AdminService } from '../domain/admin/admin.service.js';
import { AuthService } from '../domain/auth/auth.service.js';
import { CatalogService } from '../domain/catalog/catalog.service.js';
import { CodeGenerationService } from '../domain/codes/code-generation.service.js';
import { CodeStatusService } from '../domain/codes/code-status.service.js';
import { ThreadRenderPool, type ImageRenderer } from '../domain/codes/render-pool.js';
import { ConsumerKeyService } from '../domain/consumer/consumer-key.service.js';
import { ConsumerService } from '../domain/consumer/consumer.service.js';
import { CodeExportService } from '../domain/exports/code-export.service.js';
import { DownloadLinks } from '../domain/exports/download-link.js';
import { ResolverService } from '../domain/scans/resolver.service.js';
import { ScanDataService } from '../domain/scans/scan-data.service.js';
import { scanIdFactory } from '../domain/scans/scan-id.js';
import { ArchiveRetention, RETENTION_SWEEP_INTERVAL_MS } from '../domain/codes/archive-retention.js';
import { ScanRecorder } from '../domain/scans/scan-recorder.js';
import type { ScanWriter } from '../domain/scans/scan-writer.js';
import { ScanSettingsService } from '../domain/scans/scan-settings.service.js';
import { ScmTaskRunner } from '../domain/scm/scm-task-runner.js';
import { ScmService } from '../domain/scm/scm.service.js';
import { TemplateService } from '../domain/templates/template.service.js';
import { WorkorderCodesService } from '../domain/workorders/workorder-codes.service.js';
import { WorkorderService } from '../domain/workorders/workorder.service.js';
import { generationJobs } from '../jobs/handlers/generation.jobs.js';
import { exportCodesJob } from '../jobs/handlers/export-codes.job.js';
import { scmUpdateJob } from '../jobs/handlers/scm-update.job.js';
import { syncCodeStatusJob } from '../jobs/handlers/sync-code-status.job.js';
import type { JobWorker } from '../jobs/job-worker.js';
import type { JobQueue } from '../jobs/queue.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { secureRandom, type Random } from '../shared/random.js';
import { deriveKeys } from '../shared/secrets.js';
import type { BlobStore } from '../storage/blob-store.js';
import { openInfrastructure } from './infrastructure.js';

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
  /** An order's codes, page by page. */
  workorderCodes: WorkorderCodesService;
  /** Products, brands, presses, substrates and printing partners to pick from. */
  catalog: CatalogService;
  /** Render threads for code images (started on first use). */
  renderer: ImageRenderer;
  generation: CodeGenerationService;
  /** Applies an order's state to its codes' status (the sync-code-status job). */
  codeStatus: CodeStatusService;
  /** Resolver scans waiting to be written (flushed in batches; `close` writes the rest). */
  scans: ScanRecorder;
  /** Removes archives past `SIGIL_ARCHIVE_RETENTION_DAYS` (swept hourly by the process that runs the worker). */
  retention: ArchiveRetention;
  /** Where the recorder's batches go (shared with nothing else). */
  scanWriter: ScanWriter;
  /** Answers `/q/{extended_id}`. */
  resolver: ResolverService;
  /** Landing pages and scan limits of products and brand owners. */
  scanSettings: ScanSettingsService;
  /** Scan data for dashboards and exports. */
  scanData: ScanDataService;
  /** Activation and blacklisting uploads (SCM) and their tasks. */
  scm: ScmService;
  /** Code data exports (CSV documents built by a job). */
  exports: CodeExportService;
  /** Brand owners' Consumer API keys (issued by the CLI, checked on every Consumer API request). */
  consumerKeys: ConsumerKeyService;
  /** The Consumer API behind brands' landing pages. */
  consumer: ConsumerService;
  /** Runs jobs in this process once started: the embedded runner or graphile-worker. */
  worker: JobWorker;
  /** Marks the orders of generation jobs that failed for good, then starts the job worker. */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  clock?: Clock;
  random?: Random;
  /** Wraps the render pool (tests use it to hold a generation at a known point). */
  wrapRenderer?: (pool: ImageRenderer) => ImageRenderer;
}

/** Opens the configured database (migrating it), blob store and job engine, and builds the services around them. */
export async function buildContainer(config: Config, logger: Logger, overrides: ContainerOverrides = {}): Promise<Container> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? secureRandom;
  const { database, migrations, queue, blobs, scanWriter, createWorker } = await openInfrastructure(config, logger, clock);
  if (migrations.length > 0) logger.info({ migrations }, 'database migrated');
  const db = database.db;
  const keys = deriveKeys(config.secretKey);
  const pool = new ThreadRenderPool(config.renderThreads, keys.graphicKey);
  const renderer = overrides.wrapRenderer ? overrides.wrapRenderer(pool) : pool;
  const generation = new CodeGenerationService({
    db, clock, random, blobs, queue, renderer, logger, insertCodes: database.capabilities.insertCodes,
  });
  const codeStatus = new CodeStatusService({ db, logger });
  const scans = new ScanRecorder({ writer: scanWriter, logger });
  const resolver = new ResolverService({ db, clock, recorder: scans, newScanId: scanIdFactory(clock, random) });
  const scmTasks = new ScmTaskRunner({ db, clock, logger });
  const exports = new CodeExportService({
    db, clock, random, blobs, queue, logger, links: new DownloadLinks(keys.linkSigningKey), publicUrl: config.publicUrl,
    onJobEnqueued: () => worker.nudge(), // called only once the worker below exists
  });
  const retention = new ArchiveRetention({ db, clock, blobs, logger, retentionDays: config.archiveRetentionDays });
  let retentionTimer: NodeJS.Timeout | undefined;
  const worker = createWorker([...generationJobs(generation), syncCodeStatusJob(codeStatus), scmUpdateJob(scmTasks), exportCodesJob(exports)]);
  const workorders = new WorkorderService({
    db, clock, queue, blobs, defaultUrlPrefix: config.codeUrlPrefix, onJobEnqueued: () => worker.nudge(),
    wideRows: database.capabilities.wideRows,
  });
  return {
    config, logger, database, db, clock, random, blobs, queue, renderer, generation, codeStatus, scans, scanWriter, resolver, worker, workorders,
    auth: new AuthService({ db, clock, jwtSigningKey: keys.jwtSigningKey, jwtTtlSeconds: config.jwtTtlSeconds }),
    admin: new AdminService({ db, clock, random }),
    templates: new TemplateService({ db }),
    workorderCodes: new WorkorderCodesService({ db }),
    catalog: new CatalogService({ db }),
    scanSettings: new ScanSettingsService({ db }),
    scanData: new ScanDataService({ db }),
    scm: new ScmService({ db, clock, queue, onJobEnqueued: () => worker.nudge() }),
    exports,
    consumerKeys: new ConsumerKeyService({ db, clock, random }),
    consumer: new ConsumerService({ db, clock, recorder: scans }),
    retention,
    startWorker: async () => {
      await generation.reconcileFailedJobs();
      await worker.start();
      if (config.archiveRetentionDays !== null) {
        const sweep = () => void retention.sweep().catch((error: unknown) => logger.error({ err: error }, 'archive retention failed'));
        sweep();
        retentionTimer = setInterval(sweep, RETENTION_SWEEP_INTERVAL_MS);
        retentionTimer.unref();
      }
    },
    close: async () => {
      if (retentionTimer) clearInterval(retentionTimer);
      await worker.stop();
      await scans.close();
      await pool.close();
      await database.close();
      blobs.close();
    },
  };
}
