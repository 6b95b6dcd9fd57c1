import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../database.js';
import type { DatabaseHandle, DialectCapabilities } from './dialect.types.js';
import { insertCodesByUnnest } from './postgres-codes.js';
import { addScanCountsByUnnest } from './postgres-scans.js';
import { plainWideRows } from '../wide-rows.js';

/** SQLSTATEs of a transaction that lost a race (serialization failure, deadlock): retry, not a server fault. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  types: { id: 'bigint', bigint: 'bigint', float: 'double precision', timestamp: 'timestamptz' },
  autoIncrementId: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
  bytewiseText: (column) => column.modifyFront(sql`collate "C"`),
  embeddedJobQueue: false,
  maxBindParameters: 65_535,
  isBusyError: (error) => typeof error === 'object' && error !== null && RETRYABLE_SQLSTATES.has(String((error as { code?: unknown }).code)),
  insertCodes: insertCodesByUnnest,
  addScanCounts: addScanCountsByUnnest,
  wideRows: plainWideRows,
};

/**
 * Key of the session advisory lock held while a process migrates (Sigil's tables, then the job
 * engine's schema). Any constant works as long as nothing else uses it: these are the bytes "sigilmig".
 */
const MIGRATION_LOCK_KEY = 0x736967696c6d6967n;

const OID = { int8: 20, timestamptz: 1184, timestamp: 1114 } as const;

/**
 * Rows look the same on every engine: `bigint` arrives as a JavaScript number (ids, serials and sizes
 * stay far below 2⁵³) and `timestamptz` as the ISO-8601 string with microseconds that the API shows
 * (`2021-03-10T08:35:39.507156Z`); the session time zone is UTC, so PostgreSQL writes `+00`.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === OID.int8) return parseSafeInteger;
    if (oid === OID.timestamptz) return parseUtcTimestamp;
    return pg.types.getTypeParser(oid, format as never);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} is beyond 2^53`);
  return value;
}

const UTC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

function parseUtcTimestamp(text: string): string {
  const match = UTC_TIMESTAMP.exec(text);
  if (!match) throw new Error(`unexpected timestamptz text "${text}" (the session time zone must be UTC)`);
  return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0')}Z`;
}

export interface PostgresOptions {
  /** Connections in this process's pool. */
  poolSize?: number;
  /** Names this process in `pg_stat_activity`. */
  applicationName?: string;
}

/** Connects to PostgreSQL at `url` (a pool; nothing is created until the first query). */
export function openPostgres(url: string, options: PostgresOptions = {}): DatabaseHandle & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: typeParsers,
    application_name: options.applicationName ?? 'sigil',
    options: '-c TimeZone=UTC',
  });
  // A connection whose server went away emits 'error' (on the pool while idle, on the client while
  // checked out); without listeners that would crash the process. The query in flight, if any, gets
  // its own error; the next one gets a fresh connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    capabilities: postgresCapabilities,
    withMigrationLock: async (action) => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
        try {
          return await action();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
        }
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}
