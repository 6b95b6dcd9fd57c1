import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat } from '../config/config.types.js';
import { clientNetwork } from './client-network.js';

export type Logger = PinoLogger;

/**
 * What a request log line says of its request: never the client's full address, only its network, and
 * never a signed download link's signature (the link is a credential while it lasts).
 */
function requestSummary(req: { method?: string; url?: string; host?: string; ip?: string }) {
  const url = req.url?.replace(/([?&]signature=)[^&]*/g, '$1[redacted]');
  return { method: req.method, url, host: req.host, remoteNetwork: clientNetwork(req.ip) };
}

/**
 * Secrets are redacted by path as a second line of defence; nothing should log them in the first place.
 * Lines are JSON (for log collectors) unless `format` asks for readable ones, or is `auto` and standard
 * output is a terminal (an operator watching `npm start`).
 */
export function createLogger(level: string, options: { format?: LogFormat; destination?: DestinationStream } = {}): Logger {
  const readable = options.format === 'pretty' || (options.format === 'auto' && options.destination === undefined && process.stdout.isTTY === true);
  const destination = readable
    ? pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: options.destination ?? 1 })
    : options.destination;
  return pino({
    level,
    // Fastify's request lines use this instead of its own serializer (which logs the address and port).
    serializers: { req: requestSummary },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.secretKey', '*.key'],
      censor: '[redacted]',
    },
  }, destination);
}
