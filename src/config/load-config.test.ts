import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigil-config-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('applies the documented defaults', () => {
    const dir = dataDir();
    const config = loadConfig({ SIGIL_DATA_DIR: dir });
    expect(config).toMatchObject({
      port: 8000, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:8000', codeUrlPrefix: 'http://127.0.0.1:8000/q/',
      jobLeaseSeconds: 30, runWorker: true, secretKeySource: 'generated',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('generates the secret once, mode 0600, and reuses it', () => {
    const dir = dataDir();
    const first = loadConfig({ SIGIL_DATA_DIR: dir });
    const file = join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secretKey);
    const second = loadConfig({ SIGIL_DATA_DIR: dir });
    expect(second.secretKey).toBe(first.secretKey);
    expect(second.secretKeySource).toBe('file');
  });

  it('refuses an empty or short key file instead of deriving keys from it', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'secret.key'), '\n');
    expect(() => loadConfig({ SIGIL_DATA_DIR: dir })).toThrow(ConfigError);
  });

  it('lists every bad variable in one error, never echoing the secret', () => {
    try {
      loadConfig({ SIGIL_DATA_DIR: dataDir(), PORT: 'eighty', SIGIL_PUBLIC_URL: 'ftp://x', SIGIL_SECRET_KEY: 'short-secret', SIGIL_RUN_WORKER: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(4);
      expect((error as Error).message).not.toContain('short-secret');
    }
  });
});
