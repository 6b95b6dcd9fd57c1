import type { Executor } from '../database.js';
import type { CodeRow, NewCodeRow } from '../tables/workorders.table.js';

/**
 * Inserts codes, skipping any whose extended ID already exists anywhere on the platform (or whose
 * sequence number the order already has). Returns how many rows were actually inserted.
 */
export async function insertCodesSkippingConflicts(db: Executor, rows: readonly NewCodeRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db.insertInto('codes').values(rows as NewCodeRow[]).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
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

export async function setActivationForWorkorder(
  db: Executor, workorderId: number, activationStatus: number, blacklistReason: number,
): Promise<void> {
  await db.updateTable('codes').set({ activation_status: activationStatus, blacklist_reason: blacklistReason })
    .where('workorder_id', '=', workorderId).execute();
}

export async function deleteCodesOfWorkorder(db: Executor, workorderId: number): Promise<void> {
  await db.deleteFrom('codes').where('workorder_id', '=', workorderId).execute();
}
