import { Logger as GraphileLogger, type LogLevel } from 'graphile-worker';
import type { Logger } from '../../shared/logger.js';

/** graphile-worker's log lines, through the process's pino logger. */
export function graphileLogger(logger: Logger): GraphileLogger {
  const base = logger.child({ component: 'graphile-worker' });
  return new GraphileLogger((scope) => (level: LogLevel, message: string, meta?: unknown) => {
    const fields = { ...scope, ...(typeof meta === 'object' && meta !== null ? meta : {}) };
    if (level === 'error') base.error(fields, message);
    else if (level === 'warning') base.warn(fields, message);
    else if (level === 'info') base.info(fields, message);
    else base.debug(fields, message);
  });
}
