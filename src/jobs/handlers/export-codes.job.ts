import type { CodeExportService } from '../../domain/exports/code-export.service.js';
import type { JobHandler } from '../job-worker.js';

export function exportCodesJob(exports: CodeExportService): JobHandler<'export-codes'> {
  return {
    name: 'export-codes',
    run: ({ documentKey }, ctx) => exports.build(documentKey, ctx.signal),
    onFailed: ({ documentKey }, error) => exports.markFailed(documentKey, error),
  };
}
