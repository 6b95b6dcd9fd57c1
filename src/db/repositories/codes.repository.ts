import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CompiledQuery } from 'kysely';
import { compiledSql } from '../compiled-sql.js';
import type { Executor } from '../database.js';
import type { CodeRow, NewCodeRow } from '../tables/workorders.table.js';

/** Columns of a bulk code insert, in parameter order. */
const CODE_COLUMNS = [
  'workorder_id', 'sequence_number', 'batch_number', 'extended_id', 'serial_number', 'activation_status', 'blacklist_reason', 'creation_date',
] as const satisfies ReadonlyArray<keyof NewCodeRow>;

/** SQL text of a conflict-skipping insert of `n` codes (compiled once per dialect and n). */
function insertSql(db: Executor, n: number): string {
  return compiledSql(db, `insert-codes:${n}`, () => {
    const template = Array.from({ length: n }, () => Object.fromEntries(CODE_COLUMNS.map((c) => [c, 0])) as unknown as NewCodeRow);
    // Only an extended-ID clash is skipped (and drawn again by the caller). A sequence clash means
    // another run wrote this part of the order: it must fail the transaction, never pass for an ID clash.
    return db.insertInto('codes').values(template).onConflict((oc) => oc.column('extended_id').doNothing());
  });
}

/** Rows per multi-row INSERT (8 parameters each, well under every engine's parameter limit). */
const INSERT_CHUNK = 1000;

/**
 * Inserts codes as multi-row INSERTs of 1 000 rows, yielding to the event loop between statements (so
 * a process that inserts 20 000 codes on its main thread keeps serving and feeding its render threads).
 * Conflicts as {@link insertCodesSkippingConflicts}.
 */
export async function insertCodesInChunks(db: Executor, rows: readonly NewCodeRow[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    inserted += await insertCodesSkippingConflicts(db, rows.slice(i, i + INSERT_CHUNK));
    if (i + INSERT_CHUNK < rows.length) await yieldToEventLoop();
  }
  return inserted;
}

/**
 * Inserts codes, skipping any whose extended ID already exists anywhere on the platform; a sequence
 * number the order already has is an error (unique violation). Returns how many rows were inserted.
 */
export async function insertCodesSkippingConflicts(db: Executor, rows: readonly NewCodeRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const parameters: unknown[] = new Array(rows.length * CODE_COLUMNS.length);
  let p = 0;
  for (const row of rows) {
    parameters[p++] = row.workorder_id;
    parameters[p++] = row.sequence_number;
    parameters[p++] = row.batch_number;
    parameters[p++] = row.extended_id;
    parameters[p++] = row.serial_number ?? null;
    parameters[p++] = row.activation_status ?? 0;
    parameters[p++] = row.blacklist_reason ?? 0;
    parameters[p++] = row.creation_date;
  }
  const result = await db.executeQuery(CompiledQuery.raw(insertSql(db, rows.length), parameters));
  return Number(result.numAffectedRows ?? 0n);
}

export async function findSequencesInRange(db: Executor, workorderId: number, first: number, last: number): Promise<number[]> {
  const rows = await db.selectFrom('codes').select('sequence_number')
    .where('workorder_id', '=', workorderId)
    .where('sequence_number', '>=', first).where('sequence_number', '<=', last)
    .execute();
  return rows.map((r) => r.sequence_number);
}

export async function countCodes(db: Executor, workorderId: number): Promise<number> {
  const row = await db.selectFrom('codes').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workorder_id', '=', workorderId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Codes of an order in sequence order, one page (keyset pagination on sequence_number). */
export function listCodesAfter(db: Executor, workorderId: number, afterSequence: number, limit: number): Promise<CodeRow[]> {
  return db.selectFrom('codes').selectAll()
    .where('workorder_id', '=', workorderId).where('sequence_number', '>', afterSequence)
    .orderBy('sequence_number').limit(limit).execute();
}

/**
 * Sets the activation status and blacklist reason of an order's codes whose sequence numbers lie in
 * (`afterSequence`, `lastSequence`]: one range of the (workorder_id, sequence_number) index, so a chunk
 * costs the same at the end of a ten-million-code order as at its start. Returns the rows changed.
 */
export async function setStatusInSequenceRange(
  db: Executor, workorderId: number, afterSequence: number, lastSequence: number,
  status: { activationStatus: number; blacklistReason: number },
  options: { skipActivationStatus?: number; skipChangedSince?: string } = {},
): Promise<number> {
  let query = db.updateTable('codes')
    .set({ activation_status: status.activationStatus, blacklist_reason: status.blacklistReason })
    .where('workorder_id', '=', workorderId)
    .where('sequence_number', '>', afterSequence).where('sequence_number', '<=', lastSequence);
  if (options.skipActivationStatus !== undefined) query = query.where('activation_status', '<>', options.skipActivationStatus);
  const since = options.skipChangedSince;
  if (since !== undefined) query = query.where((eb) => eb.or([eb('scm_updated_at', 'is', null), eb('scm_updated_at', '<', since)]));
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What an archive shows of a code (its image's name, its line of codes.csv). */
export type ArchivedCode = Pick<CodeRow, 'sequence_number' | 'batch_number' | 'extended_id' | 'serial_number'>;

/** An order's codes with sequence numbers in [first, last], in sequence order. */
export function listCodesInRange(db: Executor, workorderId: number, first: number, last: number): Promise<ArchivedCode[]> {
  return db.selectFrom('codes').select(['sequence_number', 'batch_number', 'extended_id', 'serial_number'])
    .where('workorder_id', '=', workorderId)
    .where('sequence_number', '>=', first).where('sequence_number', '<=', last)
    .orderBy('sequence_number').execute();
}
