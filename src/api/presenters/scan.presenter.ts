import type { ScanRecord } from '../../db/repositories/scan-data.repository.js';

/** A scan in the reference's sections: scan, code, product, device, location (as far as Sigil knows them). */
export function presentScan(row: ScanRecord) {
  return {
    scan: {
      id: row.id,
      date: row.scan_date,
      reason: 'query',
      result: 'ok',
      flags: row.flags === '' ? [] : row.flags.split(','),
      scan_number: row.scan_number,
    },
    code: {
      extended_id: row.extended_id,
      serial_number: row.serial_number,
      activation_status: row.activation_status,
      blacklist_reason: row.blacklist_reason,
      workorder: row.workorder_id,
    },
    product: row.product_id === null ? null : { id: row.product_id, sku: row.sku, name: row.product_name },
    device: { user_agent: row.user_agent, accept_language: row.accept_language },
    location: { network: row.client_network === '' ? null : row.client_network },
  };
}
