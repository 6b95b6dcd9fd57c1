/** The validated, frozen runtime configuration. Built once by `loadConfig`; passed down explicitly. */
export interface Config {
  /** TCP port of the HTTP API. Env `PORT`, default 8000. */
  readonly port: number;
  /** Interface to bind. Env `HOST`, default 127.0.0.1. */
  readonly host: string;
  /** Directory for the SQLite file, the secret key file and archives. Env `SIGIL_DATA_DIR`, default `./data`. */
  readonly dataDir: string;
  /** Absolute base URL clients use to reach the API (no trailing slash). Env `SIGIL_PUBLIC_URL`, default `http://<host>:<port>`. */
  readonly publicUrl: string;
  /** Default prefix of code URLs. Env `SIGIL_CODE_URL_PREFIX`, default `<publicUrl>/q/`. */
  readonly codeUrlPrefix: string;
  /** Master secret (token signing and secure-graphic keys are derived from it). Env `SIGIL_SECRET_KEY`, else generated into `<dataDir>/secret.key`. */
  readonly secretKey: string;
  /** Where the secret came from, for the start-up log (never the value). */
  readonly secretKeySource: 'env' | 'file' | 'generated';
  /** Log level for pino. Env `SIGIL_LOG_LEVEL`, default `info`. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `SIGIL_LOG_FORMAT`: JSON lines, human-readable lines, or `auto` (readable when stdout is a terminal). */
  readonly logFormat: LogFormat;
  /** Lifetime of JWTs from `/api/v2/auth/login/`, seconds. Env `SIGIL_JWT_TTL_SECONDS`, default 3600. */
  readonly jwtTtlSeconds: number;
  /** Job lease: a job whose worker stops renewing it for this long is taken over. Env `SIGIL_JOB_LEASE_SECONDS`, default 30. */
  readonly jobLeaseSeconds: number;
  /** How often an idle job runner polls, ms. Env `SIGIL_JOB_POLL_MS`, default 500. */
  readonly jobPollMs: number;
  /** Jobs run at once by the in-process runner. Env `SIGIL_JOB_CONCURRENCY`, default 1. */
  readonly jobConcurrency: number;
  /** Worker threads that render code images (QR, secure graphic, PNG/SVG). Env `SIGIL_RENDER_THREADS`, default: the number of cores. */
  readonly renderThreads: number;
  /** `SIGIL_ARCHIVE_RETENTION_DAYS`: days an order's archive is kept after its codes are generated; null keeps it for ever. */
  readonly archiveRetentionDays: number | null;
  /** Whether `serve` also runs the in-process job runner. Env `SIGIL_RUN_WORKER`, default true. */
  readonly runWorker: boolean;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (kept only as its /24 or /48 network).
   * Env `SIGIL_TRUST_PROXY`: `false` (default), `true`, a hop count, or comma-separated addresses/CIDRs.
   */
  readonly trustProxy: boolean | number | readonly string[];
  /** Which database: the embedded SQLite file, or PostgreSQL at `DATABASE_URL`. */
  readonly database: DatabaseConfig;
  /** Where archives live: a local directory, or S3-compatible object storage (`SIGIL_BLOB_URL`). */
  readonly blobStore: BlobStoreConfig;
}

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  /** `url` may carry a password: log `describeDatabase(config)` instead. */
  | { readonly kind: 'postgres'; readonly url: string };

export type BlobStoreConfig =
  | { readonly kind: 'fs'; readonly dir: string }
  | {
    readonly kind: 's3';
    readonly bucket: string;
    /** Key prefix inside the bucket, '' or ending in '/'. */
    readonly prefix: string;
    /** Env `SIGIL_S3_ENDPOINT`: an S3-compatible server instead of AWS. */
    readonly endpoint: string | null;
    /** Env `SIGIL_S3_FORCE_PATH_STYLE`: `http://host/bucket/key` addressing (most S3-compatible servers want it). */
    readonly forcePathStyle: boolean;
    /** Env `AWS_REGION` (or `AWS_DEFAULT_REGION`), default us-east-1. */
    readonly region: string;
    /** Env `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (/ `AWS_SESSION_TOKEN`); null: the SDK's other sources (instance roles…). */
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string } | null;
  };

export const SQLITE_FILE_NAME = 'sigil.db';
export const SECRET_KEY_FILE_NAME = 'secret.key';

export type LogFormat = 'auto' | 'json' | 'pretty';
