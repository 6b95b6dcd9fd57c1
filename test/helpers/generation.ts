import { CodeGenerationService, type CodeGenerationDeps } from '../../src/domain/codes/code-generation.service.js';
import type { TestApp } from './test-app.js';

/** The app's generation service, with some of its parts replaced (a hooked database, a rigged random source). */
export function generationService(t: TestApp, overrides: Partial<CodeGenerationDeps> = {}): CodeGenerationService {
  const c = t.container;
  return new CodeGenerationService({
    db: c.db, clock: c.clock, random: c.random, blobs: c.blobs, queue: c.queue, logger: c.logger, renderer: c.renderer,
    insertCodes: c.database.capabilities.insertCodes, ...overrides,
  });
}

/**
 * Runs an order's generation jobs in this process, one after the other, as a worker would take them
 * (plan, each batch in order, assemble) — for tests that run without a worker. Stops at the first batch
 * that does not complete; returns the last outcome ('generated' when the archive is ready).
 */
export async function runGeneration(
  t: TestApp, service: CodeGenerationService, workorderId: number, signal = new AbortController().signal,
): Promise<'generated' | 'canceled' | 'skipped'> {
  if ((await service.plan(workorderId)) === 'skipped') return 'skipped';
  const batches = await t.container.db.selectFrom('generation_batches').select('batch_number')
    .where('workorder_id', '=', workorderId).orderBy('batch_number').execute();
  for (const { batch_number } of batches) {
    const outcome = await service.runBatch(workorderId, batch_number, signal);
    if (outcome === 'canceled' || outcome === 'skipped') return outcome;
  }
  return service.assemble(workorderId, signal);
}
