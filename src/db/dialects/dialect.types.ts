import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';
import type { Db, Executor } from '../database.js';
import type { ScanCount } from '../repositories/scans.repository.js';
import type { NewCodeRow } from '../tables/workorders.table.js';
import type { WideRows } from '../wide-rows.js';

/** What differs between database engines, as data — repositories never branch on the engine. */
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /** Column types the schema uses, per engine. */
  readonly types: {
    /** Primary keys and the columns that reference them. */
    readonly id: ColumnDataType;
    /** Counters that may pass 2³¹ (serial numbers, byte sizes). */
    readonly bigint: ColumnDataType;
    /** Sizes and densities (never single precision). */
    readonly float: ColumnDataType;
    /** Points in time. Rows carry them as ISO-8601 strings with microseconds on every engine. */
    readonly timestamp: ColumnDataType;
  };
  /** Column modifier for an auto-incrementing primary key (of type `types.id`). */
  readonly autoIncrementId: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** Column modifier for text compared byte by byte (extended IDs): sorts as JavaScript does, and indexes fast. */
  readonly bytewiseText: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** Whether jobs live in Sigil's own `jobs` table (embedded) rather than in a job engine's schema. */
  readonly embeddedJobQueue: boolean;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxBindParameters: number;
  /** The database was momentarily locked by another writer: worth retrying, not a server fault. */
  readonly isBusyError: (error: unknown) => boolean;
  /** How a batch's codes go in: the engine's fastest bulk insert. */
  readonly insertCodes: CodeInserter;
  /** Adds a flush's scans to each code's counters (scan_count, first and last scan date). */
  readonly addScanCounts: (db: Executor, counts: readonly ScanCount[]) => Promise<void>;
  /** How hot queries read wide rows (the work-order list): the engine's cheapest way to hand them over. */
  readonly wideRows: WideRows;
}

/**
 * Inserts codes, skipping those whose extended ID exists anywhere (the ID index is the named conflict
 * target); a sequence number the order already has fails the statement. Returns how many went in.
 */
export type CodeInserter = (db: Executor, rows: readonly NewCodeRow[]) => Promise<number>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly capabilities: DialectCapabilities;
  /**
   * Runs `action` while holding the engine's migration lock, so processes starting at once on an empty
   * database migrate one after the other (the later ones then find nothing to do).
   */
  withMigrationLock<T>(action: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
