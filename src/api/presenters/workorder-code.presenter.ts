import type { ListedCode } from '../../db/repositories/workorder-codes.repository.js';

/** A code of an order's code list. */
export const presentWorkorderCode = (code: ListedCode) => ({
  extended_id: code.extended_id,
  serial_number: code.serial_number,
  sequence: code.sequence_number,
  activation_status: code.activation_status,
  blacklist_reason: code.blacklist_reason,
  activated_at: code.activated_at,
  scan_count: code.scan_count,
  first_scan_date: code.first_scan_date,
  last_scan_date: code.last_scan_date,
});
