import type { ColumnDefinitionBuilder } from 'kysely';
import type { Db } from '../database.js';

/** What differs between database engines, as data — repositories never branch on the engine. */
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /** Column modifier for an auto-incrementing integer primary key. */
  readonly autoIncrementId: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxBindParameters: number;
  /** The database was momentarily locked by another writer: worth retrying, not a server fault. */
  readonly isBusyError: (error: unknown) => boolean;
}

export interface DatabaseHandle {
  readonly db: Db;
  readonly capabilities: DialectCapabilities;
  close(): Promise<void>;
}
