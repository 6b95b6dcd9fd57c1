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

/** A brand owner's orders whose reserved serial numbers include `serial` (see domain/codes/serial-range.ts). */
export function findOrdersReservingSerial(db: Executor, companyId: number, serial: number) {
  return db.selectFrom('workorders')
    .select(['id', 'serial_start', 'quantity'])
    .where('company_id', '=', companyId)
    .where('use_serial_number', '=', 1)
    .where('serial_start', '<=', serial)
    .where((eb) => eb(eb('serial_start', '+', eb.ref('quantity')), '>', serial))
    .orderBy('id')
    .limit(2) // ranges never overlap; a second match would be a corrupt reservation, and is looked at too
    .execute();
}

/** An order's code by its sequence number (the order's unique key). */
export function findConsumerCodeBySequence(db: Executor, workorderId: number, sequence: number): Promise<ConsumerCode | undefined> {
  return selectConsumerCode(db).where('c.workorder_id', '=', workorderId).where('c.sequence_number', '=', sequence).executeTakeFirst();
}

/** A written scan by its id (the primary key). */
export function findScanById(db: Executor, scanId: string): Promise<ScanRow | undefined> {
  return db.selectFrom('scans').selectAll().where('id', '=', scanId).executeTakeFirst();
}
