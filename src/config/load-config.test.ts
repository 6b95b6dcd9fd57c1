import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, loadConfig } from './load-config.js';

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

  describe('scale-out settings', () => {
    const secret = 'x'.repeat(40);

    it('keeps the embedded default without DATABASE_URL and SIGIL_BLOB_URL', () => {
      const dir = dataDir();
      const config = loadConfig({ SIGIL_DATA_DIR: dir });
      expect(config.database).toEqual({ kind: 'sqlite', file: join(dir, 'sigil.db') });
      expect(config.blobStore).toEqual({ kind: 'fs', dir: join(dir, 'blobs') });
    });

    it('selects PostgreSQL, and refuses to start without SIGIL_SECRET_KEY, saying why', () => {
      const url = 'postgres://sigil:pa55word@db.internal:6543/sigil';
      expect(loadConfig({ SIGIL_DATA_DIR: dataDir(), DATABASE_URL: url, SIGIL_SECRET_KEY: secret }).database).toEqual({ kind: 'postgres', url });
      try {
        loadConfig({ SIGIL_DATA_DIR: dataDir(), DATABASE_URL: url });
        expect.unreachable();
      } catch (error) {
        expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^SIGIL_SECRET_KEY is required with DATABASE_URL: every API and worker machine must derive the same/)]);
        expect((error as Error).message).not.toContain('pa55word');
      }
    });

    it('refuses a DATABASE_URL that is not postgres, without echoing it (it may hold a password)', () => {
      try {
        loadConfig({ SIGIL_DATA_DIR: dataDir(), DATABASE_URL: 'mysql://root:hunter2@x/db', SIGIL_SECRET_KEY: secret });
        expect.unreachable();
      } catch (error) {
        expect((error as ConfigError).problems).toHaveLength(1);
        expect((error as Error).message).toMatch(/DATABASE_URL must be a postgres:\/\//);
        expect((error as Error).message).not.toContain('hunter2');
      }
    });

    it('describes the database for logs without the password', () => {
      expect(describeDatabase({ kind: 'postgres', url: 'postgresql://sigil:pa55word@db.internal:6543/sigil?sslmode=require' }))
        .toBe('postgres://db.internal:6543/sigil');
    });

    it('reads the S3 store from SIGIL_BLOB_URL, the S3_* and AWS_* variables', () => {
      const config = loadConfig({
        SIGIL_DATA_DIR: dataDir(), SIGIL_BLOB_URL: 's3://archives/sigil/prod/', SIGIL_S3_ENDPOINT: 'http://127.0.0.1:9000/',
        SIGIL_S3_FORCE_PATH_STYLE: 'true', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI', AWS_REGION: 'eu-central-2',
      });
      expect(config.blobStore).toEqual({
        kind: 's3', bucket: 'archives', prefix: 'sigil/prod/', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, region: 'eu-central-2',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
      });
      expect(loadConfig({ SIGIL_DATA_DIR: dataDir(), SIGIL_BLOB_URL: 's3://archives' }).blobStore)
        .toMatchObject({ bucket: 'archives', prefix: '', endpoint: null, forcePathStyle: false, region: 'us-east-1', credentials: null });
      expect(loadConfig({ SIGIL_DATA_DIR: dataDir(), SIGIL_BLOB_URL: 'file:///srv/sigil/blobs' }).blobStore)
        .toEqual({ kind: 'fs', dir: '/srv/sigil/blobs' });
    });

    it('lists every bad storage variable at once, never a secret', () => {
      try {
        loadConfig({
          SIGIL_DATA_DIR: dataDir(), SIGIL_BLOB_URL: 's3://key:secretvalue@bucket/x', SIGIL_S3_ENDPOINT: 'minio:9000',
          SIGIL_S3_FORCE_PATH_STYLE: 'perhaps',
        });
        expect.unreachable();
      } catch (error) {
        expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^SIGIL_BLOB_URL must not carry credentials/)]);
        expect((error as Error).message).not.toContain('secretvalue');
      }
      try {
        loadConfig({
          SIGIL_DATA_DIR: dataDir(), SIGIL_BLOB_URL: 's3://bucket', SIGIL_S3_ENDPOINT: 'minio:9000', SIGIL_S3_FORCE_PATH_STYLE: 'perhaps',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        });
        expect.unreachable();
      } catch (error) {
        const problems = (error as ConfigError).problems;
        expect(problems).toHaveLength(3);
        expect(problems.join('\n')).not.toContain('AKIDEXAMPLE');
      }
      expect(() => loadConfig({ SIGIL_DATA_DIR: dataDir(), SIGIL_BLOB_URL: 'ftp://bucket' })).toThrow(/SIGIL_BLOB_URL must be s3:\/\/bucket/);
    });
  });
});
