import SQLite from 'better-sqlite3';
import {
  CompiledQuery, Kysely, SqliteAdapter, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type SqliteDialectConfig,
} from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileErrorReason, StartupError } from '../../shared/startup-error.js';
import type { Database } from '../database.js';
import { insertCodesInChunks } from '../repositories/codes.repository.js';
import { addScanCountsFromJson } from '../repositories/scans.repository.js';
import { jsonArrayWideRows } from '../wide-rows.js';
import type { DatabaseHandle, DialectCapabilities } from './dialect.types.js';

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  types: { id: 'integer', bigint: 'integer', float: 'real', timestamp: 'text' },
  autoIncrementId: (column) => column.primaryKey().autoIncrement(),
  // SQLite's default collation (BINARY) already compares bytes.
  bytewiseText: (column) => column,
  embeddedJobQueue: true,
  maxBindParameters: 32_766,
  isBusyError: (error) => typeof error === 'object' && error !== null && String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY'),
  // Multi-row VALUES, 1 000 rows a statement, yielding between them: the insert runs on this process's
  // main thread, which also feeds the render threads.
  insertCodes: insertCodesInChunks,
  addScanCounts: addScanCountsFromJson,
  // One JSON string per row instead of a value per column: ≈ half the CPU for the work-order list's page.
  wideRows: jsonArrayWideRows,
};

/**
 * Transactions take the write lock up front (`BEGIN IMMEDIATE`). A deferred transaction that reads and
 * then writes fails at once with SQLITE_BUSY when another process (`sigil worker` beside `serve`)
 * committed in between — busy_timeout cannot help it; an immediate one just waits its turn.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

function sqliteDialect(config: SqliteDialectConfig): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateTransactionSqliteDriver(config),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

/** SQLite page cache per connection, KiB. */
const PAGE_CACHE_KIB = 4096;

/** Opens (creating if needed) the SQLite file in WAL mode; API and worker processes may share it. */
export function openSqlite(file: string): DatabaseHandle {
  let sqlite: SQLite.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    // SQLite's own message ("unable to open database file") names no file.
    throw new StartupError([`cannot open the database ${file} (in SIGIL_DATA_DIR): ${fileErrorReason(error)}`]);
  }
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  // Bulk code inserts touch index pages all over the file (extended IDs are random): checkpointing every
  // 40 MB of WAL instead of every 4 MB copies each page back far less often (≈ 30% less CPU at 1M codes).
  sqlite.pragma('wal_autocheckpoint = 10000');
  sqlite.pragma('journal_size_limit = 67108864');
  // better-sqlite3 builds SQLite with a 16 MB page cache, which fills as the codes table grows: the
  // process then sits ≈ 12 MB higher after a large order than after a small one. Measured at 100 000 and
  // 1 000 000 codes, 4 MB generates as fast (the random-ID index outgrows either cache; misses are
  // served from the OS page cache).
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const db = new Kysely<Database>({ dialect: sqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    capabilities: sqliteCapabilities,
    // Kysely's migrator holds SQLite's write lock (BEGIN IMMEDIATE) while it migrates: nothing to add.
    withMigrationLock: (action) => action(),
    close: () => db.destroy(),
  };
}

/** Statements kept prepared, by SQL text. Queries are built from a bounded set of shapes, so this stays small. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh; preparing costs about as much as running a small query. Reusing
 * prepared statements (LRU by SQL text) roughly halves the per-query cost. Safe because Kysely runs
 * each statement to completion (`all`/`run`) before the next query on the single connection.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement as never;
    },
  };
}
