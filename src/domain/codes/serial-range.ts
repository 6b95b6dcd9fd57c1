/**
 * Serial numbers are derived, never indexed: an order that numbers its codes reserves its owner's serials
 * `serial_start … serial_start + quantity − 1`, and the code of sequence number s carries
 * `serial_start + s − 1`. A serial finds its order by range and its code by (order, sequence), the
 * order's unique key — no index on serials for the generation insert to maintain.
 */
export interface SerialRange {
  serial_start: number | null;
  quantity: number;
}

/** Serial numbers as clients type them: digits only (the printed form may be zero-padded). */
const SERIAL_TEXT = /^\d{1,15}$/;

/** The value of a serial number's text, or null when it is not one. */
export function serialValueOf(text: string): number | null {
  return SERIAL_TEXT.test(text) ? Number(text) : null;
}

/** The sequence number of the order's code that carries `serial`, or null when the order did not reserve it. */
export function sequenceOfSerial(order: SerialRange, serial: number): number | null {
  if (order.serial_start === null || serial < order.serial_start || serial >= order.serial_start + order.quantity) return null;
  return serial - order.serial_start + 1;
}
