import type { CodeGenerationService } from '../../domain/codes/code-generation.service.js';
import type { JobHandler } from '../runner.js';

export function generateWorkorderJob(generation: CodeGenerationService): JobHandler<'generate-workorder'> {
  return {
    name: 'generate-workorder',
    async run({ workorderId }, ctx) {
      const outcome = await generation.generate(workorderId, ctx.signal);
      ctx.logger.info({ workorder: workorderId, outcome }, 'generation finished');
    },
    async onFailed({ workorderId }, error) {
      await generation.markFailed(workorderId, error);
    },
  };
}
