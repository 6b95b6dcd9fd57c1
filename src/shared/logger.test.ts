import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('request log lines', () => {
  it('keep the client\'s network, never its address, and never a download link\'s signature', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { destination: { write: (line: string) => void lines.push(line) } });
    logger.info({ req: { method: 'GET', url: '/api/v2/documents/abc/file/?expires=1&signature=SECRETSIG', host: 'h', ip: '203.0.113.77' } }, 'request');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line.req).toEqual({ method: 'GET', url: '/api/v2/documents/abc/file/?expires=1&signature=[redacted]', host: 'h', remoteNetwork: '203.0.113.0/24' });
    expect(lines[0]).not.toMatch(/SECRETSIG|203\.0\.113\.77/);
  });
});

describe('log formats', () => {
  const capture = (format: 'json' | 'pretty' | 'auto') => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => { lines.push(String(chunk)); done(); } });
    const logger = createLogger('info', { format, destination });
    logger.info({ workorder: 7, headers: { authorization: 'UAT SECRET-KEY' } }, 'order generated');
    return lines.join('');
  };

  it('JSON lines by default (auto, writing anywhere but a terminal) and when asked', () => {
    for (const format of ['json', 'auto'] as const) {
      const line = JSON.parse(capture(format));
      expect(line).toMatchObject({ msg: 'order generated', workorder: 7, level: 30, headers: { authorization: '[redacted]' } });
    }
  });

  it('readable lines when asked: level, message and fields, secrets still redacted', () => {
    const text = capture('pretty');
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/INFO/);
    expect(text).toMatch(/order generated/);
    expect(text).toMatch(/workorder: 7/);
    expect(text).not.toMatch(/SECRET-KEY/);
  });
});

