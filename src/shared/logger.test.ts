import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('request log lines', () => {
  it('keep the client\'s network, never its address, and never a download link\'s signature', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.info({ req: { method: 'GET', url: '/api/v2/documents/abc/file/?expires=1&signature=SECRETSIG', host: 'h', ip: '203.0.113.77' } }, 'request');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line.req).toEqual({ method: 'GET', url: '/api/v2/documents/abc/file/?expires=1&signature=[redacted]', host: 'h', remoteNetwork: '203.0.113.0/24' });
    expect(lines[0]).not.toMatch(/SECRETSIG|203\.0\.113\.77/);
  });
});
