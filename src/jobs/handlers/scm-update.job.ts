import type { ScmTaskRunner } from '../../domain/scm/scm-task-runner.js';
import type { JobHandler } from '../job-worker.js';

export function scmUpdateJob(runner: ScmTaskRunner): JobHandler<'scm-update'> {
  return {
    name: 'scm-update',
    run: ({ taskId }, ctx) => runner.run(taskId, ctx.signal),
    onFailed: ({ taskId }, error) => runner.markFailed(taskId, error),
  };
}
