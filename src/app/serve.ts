import type { Config } from '../config/config.types.js';
import { describeDatabase } from '../config/load-config.js';
import { createLogger } from '../shared/logger.js';
import { fileErrorReason, StartupError } from '../shared/startup-error.js';
import { buildApi } from './build-api.js';
import { buildContainer } from './container.js';

/** `sigil serve`: the API and, unless disabled, the in-process job runner; stops gracefully on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, { format: config.logFormat });
  const container = await buildContainer(config, logger);
  const app = await buildApi(container);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await container.close();
    throw new StartupError([`cannot listen on ${config.host}:${config.port} (HOST, PORT): ${fileErrorReason(error)}`]);
  }
  if (config.runWorker) await container.startWorker();
  logger.info({
    url: config.publicUrl, database: describeDatabase(config.database), blobs: container.blobs.location,
    workerId: config.runWorker ? container.worker.workerId : null, secretKey: config.secretKeySource,
  }, 'Sigil is serving');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await container.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `sigil worker`: only the job runner, for running generation beside `SIGIL_RUN_WORKER=false sigil serve`. */
export async function work(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, { format: config.logFormat });
  const container = await buildContainer(config, logger);
  await container.startWorker();
  logger.info({
    database: describeDatabase(config.database), blobs: container.blobs.location, workerId: container.worker.workerId,
    concurrency: config.jobConcurrency, renderThreads: config.renderThreads,
  }, 'Sigil worker is running');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await container.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
