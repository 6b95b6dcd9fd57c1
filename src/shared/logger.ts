import { pino, type Logger as PinoLogger } from 'pino';
import { clientNetwork } from './client-network.js';

export type Logger = PinoLogger;

/** What a request log line says of its request: never the client's full address, only its network. */
function requestSummary(req: { method?: string; url?: string; host?: string; ip?: string }) {
  return { method: req.method, url: req.url, host: req.host, remoteNetwork: clientNetwork(req.ip) };
}

/** Secrets are redacted by path as a second line of defence; nothing should log them in the first place. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    // Fastify's request lines use this instead of its own serializer (which logs the address and port).
    serializers: { req: requestSummary },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.secretKey', '*.key'],
      censor: '[redacted]',
    },
  });
}
