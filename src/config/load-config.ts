import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { fileErrorReason, StartupError } from '../shared/startup-error.js';
import { SECRET_KEY_FILE_NAME, SQLITE_FILE_NAME, type Config } from './config.types.js';

/** The environment does not make a usable configuration (every problem is listed). */
export class ConfigError extends StartupError {
  constructor(problems: string[], heading = 'Invalid configuration') {
    super(problems, heading);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
const MIN_SECRET_LENGTH = 32;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

/**
 * Reads and validates every variable, reporting all problems at once. With `create: false` (commands
 * that only use an existing installation) a missing embedded database is an error that says where it
 * was looked for, instead of a new empty data directory.
 */
export function loadConfig(env: Env = process.env, options: { create?: boolean } = {}): Config {
  const create = options.create ?? true;
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
  const bool = (name: string, fallback: boolean): boolean => parseBool(env, name, fallback, problems);
  const url = (name: string): string | undefined => parseHttpUrl(env, name, problems);

  const port = int('PORT', 8000, 0, 65535);
  const host = env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1';
  const dataDir = resolve(env.SIGIL_DATA_DIR && env.SIGIL_DATA_DIR !== '' ? env.SIGIL_DATA_DIR : './data');
  const linkHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const publicUrl = (url('SIGIL_PUBLIC_URL') ?? `http://${linkHost}:${port}`).replace(/\/+$/, '');
  const codeUrlPrefix = url('SIGIL_CODE_URL_PREFIX') ?? `${publicUrl}/q/`;
  const logLevelRaw = env.SIGIL_LOG_LEVEL ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelRaw) ? (logLevelRaw as Config['logLevel']) : 'info';
  if (logLevel !== logLevelRaw) problems.push(`SIGIL_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);
  const logFormatRaw = env.SIGIL_LOG_FORMAT === undefined || env.SIGIL_LOG_FORMAT === '' ? 'auto' : env.SIGIL_LOG_FORMAT;
  const logFormat = (LOG_FORMATS as readonly string[]).includes(logFormatRaw) ? (logFormatRaw as Config['logFormat']) : 'auto';
  if (logFormat !== logFormatRaw) problems.push(`SIGIL_LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')} (got "${logFormatRaw}")`);
  const jwtTtlSeconds = int('SIGIL_JWT_TTL_SECONDS', 3600, 60, 30 * 24 * 3600);
  const jobLeaseSeconds = int('SIGIL_JOB_LEASE_SECONDS', 30, 2, 3600);
  const jobPollMs = int('SIGIL_JOB_POLL_MS', 500, 10, 60_000);
  const jobConcurrency = int('SIGIL_JOB_CONCURRENCY', 2, 1, 64);
  const renderThreads = int('SIGIL_RENDER_THREADS', availableParallelism(), 1, 256);
  const runWorker = bool('SIGIL_RUN_WORKER', true);
  const retentionDays = int('SIGIL_ARCHIVE_RETENTION_DAYS', 0, 0, 36_500);
  const archiveRetentionDays = retentionDays === 0 ? null : retentionDays; // 0 or unset: archives are kept
  const trustProxy = trustProxyConfig(env.SIGIL_TRUST_PROXY, problems);

  const database = databaseConfig(env, dataDir, problems);
  const blobStore = blobStoreConfig(env, dataDir, problems);

  const secretEnv = env.SIGIL_SECRET_KEY;
  if (secretEnv !== undefined && secretEnv !== '' && secretEnv.length < MIN_SECRET_LENGTH) {
    problems.push(`SIGIL_SECRET_KEY must be at least ${MIN_SECRET_LENGTH} characters (its value is not shown)`);
  }
  if (database.kind === 'postgres' && (secretEnv === undefined || secretEnv === '')) {
    problems.push('SIGIL_SECRET_KEY is required with DATABASE_URL: every API and worker machine must derive the same token and '
      + 'secure-graphic keys, so the key cannot be generated per machine (generate one with `openssl rand -base64 32`)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (!create && database.kind === 'sqlite' && !existsSync(database.file)) {
    const where = env.SIGIL_DATA_DIR ? `SIGIL_DATA_DIR is ${dataDir}` : `SIGIL_DATA_DIR is not set, so ./data in the current directory: ${dataDir}`;
    throw new ConfigError([`no Sigil database at ${database.file} (${where}); "sigil migrate" or "sigil serve" creates one, or set SIGIL_DATA_DIR to an existing installation's data directory`], 'Nothing to work on');
  }

  let secretKey: string;
  let secretKeySource: Config['secretKeySource'];
  if (secretEnv !== undefined && secretEnv !== '') {
    secretKey = secretEnv;
    secretKeySource = 'env';
  } else {
    const loaded = readOrCreateSecret(dataDir, create);
    secretKey = loaded.secret;
    secretKeySource = loaded.created ? 'generated' : 'file';
  }

  return Object.freeze({
    port, host, dataDir, publicUrl, codeUrlPrefix, secretKey, secretKeySource, logLevel, logFormat,
    jwtTtlSeconds, jobLeaseSeconds, jobPollMs, jobConcurrency, renderThreads, archiveRetentionDays, runWorker, trustProxy, database, blobStore,
  });
}

function trustProxyConfig(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = entries.filter((e) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(e));
  if (bad.length > 0 || entries.length === 0) {
    problems.push(`SIGIL_TRUST_PROXY must be true, false, a hop count or comma-separated proxy addresses/CIDRs (got "${raw}")`);
    return false;
  }
  return Object.freeze(entries);
}

function databaseConfig(env: Env, dataDir: string, problems: string[]): Config['database'] {
  const embedded = { kind: 'sqlite', file: join(dataDir, SQLITE_FILE_NAME) } as const;
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return embedded;
  let parsed: URL | null = null;
  try {
    parsed = new URL(raw);
  } catch {
    // reported below, without echoing a value that may hold a password
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL (its value is not shown: it may hold a password); unset it for the embedded SQLite database');
    return embedded;
  }
  return { kind: 'postgres', url: raw };
}

function blobStoreConfig(env: Env, dataDir: string, problems: string[]): Config['blobStore'] {
  const local = { kind: 'fs', dir: join(dataDir, 'blobs') } as const;
  const raw = env.SIGIL_BLOB_URL;
  if (raw === undefined || raw === '') return local;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    problems.push(`SIGIL_BLOB_URL must be s3://bucket[/prefix] or file:///absolute/dir (got "${raw}")`);
    return local;
  }
  if (parsed.protocol === 'file:') {
    if (parsed.host !== '' || parsed.search !== '' || parsed.hash !== '') {
      problems.push(`SIGIL_BLOB_URL file URLs must be file:///absolute/dir (got "${raw}")`);
      return local;
    }
    return { kind: 'fs', dir: fileURLToPath(parsed) };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    problems.push('SIGIL_BLOB_URL must not carry credentials (its value is not shown): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    return local;
  }
  if (parsed.protocol !== 's3:' || parsed.hostname === '' || parsed.search !== '' || parsed.hash !== '') {
    problems.push(`SIGIL_BLOB_URL must be s3://bucket[/prefix] or file:///absolute/dir (got "${raw}")`);
    return local;
  }
  const prefixPath = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
  const endpoint = parseHttpUrl(env, 'SIGIL_S3_ENDPOINT', problems)?.replace(/\/+$/, '') ?? null;
  const forcePathStyle = parseBool(env, 'SIGIL_S3_FORCE_PATH_STYLE', false, problems);
  const accessKeyId = env.AWS_ACCESS_KEY_ID ?? '';
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? '';
  if ((accessKeyId === '') !== (secretAccessKey === '')) {
    problems.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (their values are not shown)');
  }
  const sessionToken = env.AWS_SESSION_TOKEN;
  return {
    kind: 's3',
    bucket: parsed.hostname,
    prefix: prefixPath === '' ? '' : `${prefixPath}/`,
    endpoint,
    forcePathStyle,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    credentials: accessKeyId === '' || secretAccessKey === ''
      ? null
      : { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
  };
}

/** An absolute http(s) URL as given, or undefined when unset; anything else is a problem. */
function parseHttpUrl(env: Env, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return raw;
  } catch {
    // reported below
  }
  problems.push(`${name} must be an absolute http(s) URL (got "${raw}")`);
  return undefined;
}

function parseBool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false (got "${env[name]}")`);
  return fallback;
}

/** The database for logs: engine, host, port and name, never the user's password. */
export function describeDatabase(database: Config['database']): string {
  if (database.kind === 'sqlite') return `sqlite:${database.file}`;
  const url = new URL(database.url);
  return `postgres://${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
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
  const cannot = (what: string, error: unknown) => new StartupError([
    `cannot ${what} (SIGIL_DATA_DIR is ${dataDir}): ${fileErrorReason(error)}; set SIGIL_DATA_DIR to a directory this user may write, `
    + 'or SIGIL_SECRET_KEY',
  ]);
  try {
    return { secret: read(), created: false };
  } catch (error) {
    if (error instanceof StartupError) throw error;
    const missing = ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');
    if (!missing || !create) throw cannot(`read the secret key file ${file}`, error);
  }
  const secret = randomBytes(32).toString('base64url');
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw cannot(`create the data directory ${dataDir}`, error);
  }
  try {
    writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  } catch (error) {
    throw cannot(`write the secret key file ${file}`, error);
  }
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
