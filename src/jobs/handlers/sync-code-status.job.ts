import type { CodeStatusService } from '../../domain/codes/code-status.service.js';
import type { JobHandler } from '../job-worker.js';

export function syncCodeStatusJob(codeStatus: CodeStatusService): JobHandler<'sync-code-status'> {
  return {
    name: 'sync-code-status',
    async run({ workorderId }, ctx) {
      await codeStatus.sync(workorderId, ctx.signal);
    },
  };
}
