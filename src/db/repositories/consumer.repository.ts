import type { Executor } from '../database.js';
import { CODE_FOR_SCAN_COLUMNS, selectCodeContext, type CodeForScan } from './scans.repository.js';
import type { ScanRow } from '../tables/scans.table.js';

/** A code as the Consumer API shows it: the resolver's view of it, plus what a landing page is told besides. */
export interface ConsumerCode extends CodeForScan {
  creation_date: string;
  /** The order's URL prefix: the code's URL is this + extended ID. */
  url_prefix: string;
  product_sku: string | null;
  brand_id: number | null;
}

/** One query shape for every lookup: the resolver's view of the code, plus what a landing page is told. */
function selectConsumerCode(db: Executor) {
  return selectCodeContext(db)
    .select([...CODE_FOR_SCAN_COLUMNS, 'c.creation_date', 'w.url_prefix', 'p.sku as product_sku', 'b.id as brand_id']);
}

/** By extended ID (the unique index). */
export function findConsumerCodeByExtendedId(db: Executor, extendedId: string): Promise<ConsumerCode | undefined> {
  return selectConsumerCode(db).where('c.extended_id', '=', extendedId).executeTakeFirst();
}

/** By primary key (a scan's code). */
export function findConsumerCodeById(db: Executor, codeId: number): Promise<ConsumerCode | undefined> {
  return selectConsumerCode(db).where('c.id', '=', codeId).executeTakeFirst();
}

/**
 * A brand owner's code by serial number, without an index on serial numbers: each order reserves a
 * contiguous range of its owner's serial numbers (`serial_start`, `quantity` long), so the order is
 * found among the owner's orders and the code by its sequence number in it (the order's unique key).
 * The caller still compares the code's serial number with the one asked for.
 */
export async function findConsumerCodeBySerialValue(db: Executor, companyId: number, serial: number): Promise<ConsumerCode | undefined> {
  const orders = await db.selectFrom('workorders')
    .select(['id', 'serial_start'])
    .where('company_id', '=', companyId)
    .where('use_serial_number', '=', 1)
    .where('serial_start', '<=', serial)
    .where((eb) => eb(eb('serial_start', '+', eb.ref('quantity')), '>', serial))
    .orderBy('id')
    .limit(2) // ranges never overlap; a second match would be a corrupt reservation, and is looked at too
    .execute();
  for (const order of orders) {
    if (order.serial_start === null) continue;
    const code = await selectConsumerCode(db)
      .where('c.workorder_id', '=', order.id)
      .where('c.sequence_number', '=', serial - order.serial_start + 1)
      .executeTakeFirst();
    if (code) return code;
  }
  return undefined;
}

/** A written scan by its id (the primary key). */
export function findScanById(db: Executor, scanId: string): Promise<ScanRow | undefined> {
  return db.selectFrom('scans').selectAll().where('id', '=', scanId).executeTakeFirst();
}
