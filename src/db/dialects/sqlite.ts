import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from '../database.js';
import type { DatabaseHandle, DialectCapabilities } from './dialect.types.js';

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  autoIncrementId: (column) => column.primaryKey().autoIncrement(),
  maxBindParameters: 32_766,
};

/** Opens (creating if needed) the SQLite file in WAL mode; API and worker processes may share it. */
export function openSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    capabilities: sqliteCapabilities,
    close: () => db.destroy(),
  };
}
