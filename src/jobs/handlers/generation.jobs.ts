import type { CodeGenerationService } from '../../domain/codes/code-generation.service.js';
import type { JobHandler } from '../job-worker.js';

/** The jobs of an order's generation: plan → batches → assemble; any of them failing for good fails the order. */
export function generationJobs(generation: CodeGenerationService): JobHandler[] {
  const markFailed = async ({ workorderId }: { workorderId: number }, error: Error) => generation.markFailed(workorderId, error);
  const plan: JobHandler<'generate-workorder'> = {
    name: 'generate-workorder',
    async run({ workorderId }, ctx) {
      const outcome = await generation.plan(workorderId);
      ctx.logger.info({ workorder: workorderId, outcome }, 'generation plan');
    },
    onFailed: markFailed,
  };
  const batch: JobHandler<'generate-batch'> = {
    name: 'generate-batch',
    async run({ workorderId, batchNumber }, ctx) {
      const outcome = await generation.runBatch(workorderId, batchNumber, ctx.signal);
      ctx.logger.info({ workorder: workorderId, batch: batchNumber, outcome }, 'batch finished');
    },
    onFailed: markFailed,
  };
  const assemble: JobHandler<'assemble-archive'> = {
    name: 'assemble-archive',
    async run({ workorderId }, ctx) {
      ctx.logger.info({ workorder: workorderId }, 'assembling the archive');
      const outcome = await generation.assemble(workorderId, ctx.signal);
      ctx.logger.info({ workorder: workorderId, outcome }, 'archive assembled');
    },
    onFailed: markFailed,
  };
  const discard: JobHandler<'discard-archive'> = {
    name: 'discard-archive',
    async run({ workorderId }, ctx) {
      const { blobs } = await generation.discard(workorderId);
      ctx.logger.info({ workorder: workorderId, blobs }, 'archive of a canceled order discarded');
    },
  };
  return [plan, batch, assemble, discard] as JobHandler[];
}
