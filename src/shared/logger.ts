import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Secrets are redacted by path as a second line of defence; nothing should log them in the first place. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.secretKey', '*.key'],
      censor: '[redacted]',
    },
  });
}
