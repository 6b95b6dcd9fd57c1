import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { SECRET_KEY_FILE_NAME, type Config } from './config.types.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
const MIN_SECRET_LENGTH = 32;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates every variable, reporting all problems at once. */
export function loadConfig(env: Env = process.env, options: { ensureSecret?: boolean } = {}): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };
  const url = (name: string): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${name} must be an absolute http(s) URL (got "${raw}")`);
      return undefined;
    }
  };

  const port = int('PORT', 8000, 0, 65535);
  const host = env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1';
  const dataDir = resolve(env.SIGIL_DATA_DIR && env.SIGIL_DATA_DIR !== '' ? env.SIGIL_DATA_DIR : './data');
  const linkHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const publicUrl = (url('SIGIL_PUBLIC_URL') ?? `http://${linkHost}:${port}`).replace(/\/+$/, '');
  const codeUrlPrefix = url('SIGIL_CODE_URL_PREFIX') ?? `${publicUrl}/q/`;
  const logLevelRaw = env.SIGIL_LOG_LEVEL ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelRaw) ? (logLevelRaw as Config['logLevel']) : 'info';
  if (logLevel !== logLevelRaw) problems.push(`SIGIL_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);
  const jwtTtlSeconds = int('SIGIL_JWT_TTL_SECONDS', 3600, 60, 30 * 24 * 3600);
  const jobLeaseSeconds = int('SIGIL_JOB_LEASE_SECONDS', 30, 2, 3600);
  const jobPollMs = int('SIGIL_JOB_POLL_MS', 500, 10, 60_000);
  const jobConcurrency = int('SIGIL_JOB_CONCURRENCY', 1, 1, 64);
  const renderThreads = int('SIGIL_RENDER_THREADS', availableParallelism(), 1, 256);
  const runWorker = bool('SIGIL_RUN_WORKER', true);

  const secretEnv = env.SIGIL_SECRET_KEY;
  if (secretEnv !== undefined && secretEnv !== '' && secretEnv.length < MIN_SECRET_LENGTH) {
    problems.push(`SIGIL_SECRET_KEY must be at least ${MIN_SECRET_LENGTH} characters (its value is not shown)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  let secretKey: string;
  let secretKeySource: Config['secretKeySource'];
  if (secretEnv !== undefined && secretEnv !== '') {
    secretKey = secretEnv;
    secretKeySource = 'env';
  } else {
    const loaded = readOrCreateSecret(dataDir, options.ensureSecret ?? true);
    secretKey = loaded.secret;
    secretKeySource = loaded.created ? 'generated' : 'file';
  }

  return Object.freeze({
    port, host, dataDir, publicUrl, codeUrlPrefix, secretKey, secretKeySource, logLevel,
    jwtTtlSeconds, jobLeaseSeconds, jobPollMs, jobConcurrency, renderThreads, runWorker,
  });
}

/**
 * The key file is created once with mode 0600 and published atomically (written to a temporary file,
 * then hard-linked into place, which fails if another process got there first), so no reader ever sees
 * an empty or half-written key. A key file that is too short stops start-up instead of weakening keys.
 */
function readOrCreateSecret(dataDir: string, create: boolean): { secret: string; created: boolean } {
  const file = join(dataDir, SECRET_KEY_FILE_NAME);
  const read = () => {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError([`${file} holds no usable key (fewer than ${MIN_SECRET_LENGTH} characters); restore it or remove it to generate a new one (tokens and JWTs signed with the old key stop working)`]);
    }
    return secret;
  };
  try {
    return { secret: read(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
    return { secret, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { secret: read(), created: false };
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}
