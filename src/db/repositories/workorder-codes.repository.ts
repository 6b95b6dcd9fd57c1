import type { Executor } from '../database.js';
import type { CodeRow } from '../tables/workorders.table.js';

/** What the order's code list shows of a code. */
export const LISTED_CODE_COLUMNS = [
  'extended_id', 'serial_number', 'sequence_number', 'activation_status', 'blacklist_reason', 'activated_at', 'scan_count',
  'first_scan_date', 'last_scan_date',
] as const satisfies ReadonlyArray<keyof CodeRow>;

export type ListedCode = Pick<CodeRow, (typeof LISTED_CODE_COLUMNS)[number]>;

/**
 * An order's codes with sequence numbers in (`afterSequence`, `lastSequence`], in sequence order: one
 * range of the (workorder_id, sequence_number) index, so a page costs the same at the end of a
 * ten-million-code order as at its start (an OFFSET would step over every skipped row).
 */
export function listCodesInSequenceRange(db: Executor, workorderId: number, afterSequence: number, lastSequence: number): Promise<ListedCode[]> {
  return db.selectFrom('codes').select(LISTED_CODE_COLUMNS)
    .where('workorder_id', '=', workorderId)
    .where('sequence_number', '>', afterSequence).where('sequence_number', '<=', lastSequence)
    .orderBy('sequence_number').execute();
}

/**
 * A page of an order's codes with one activation status, in sequence order, and how many there are.
 * Both statements read every code of the order (no index covers the status): a filter's price.
 */
export async function listCodesWithStatus(
  db: Executor, workorderId: number, activationStatus: number, page: { limit: number; offset: number },
): Promise<{ count: number; rows: ListedCode[] }> {
  const base = db.selectFrom('codes').where('workorder_id', '=', workorderId).where('activation_status', '=', activationStatus);
  const [{ count }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base.select(LISTED_CODE_COLUMNS).orderBy('sequence_number').limit(page.limit).offset(page.offset).execute(),
  ]);
  return { count: Number(count), rows };
}
