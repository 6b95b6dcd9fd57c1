import type { CombinedInfo, ConsumerCodeView } from '../../domain/consumer/consumer.service.js';

/** `activation_status` 0, 1, 2 as the Consumer API writes it. */
export const ACTIVATION_STATUS_NAMES = ['inactive', 'active', 'blacklisted'] as const;

/** `blacklist_reason` 0…10 as the Consumer API writes it. */
export const BLACKLIST_REASON_NAMES = [
  'none', 'counterfeits_detected', 'low_quality', 'overprint', 'stolen', 'damage', 'lost', 'misprint', 'not_sold',
  'wo_canceled', 'max_scan_count_exceeded',
] as const;

const activationName = (status: number): string => ACTIVATION_STATUS_NAMES[status] ?? String(status);
const reasonName = (reason: number): string => BLACKLIST_REASON_NAMES[reason] ?? String(reason);

/** The `qrcode` object: a code's status with names, not numbers. Sigil keeps no SCM data and never consumes codes. */
export function presentQrCode(view: ConsumerCodeView) {
  return {
    message: view.code.extended_id,
    creation_date: view.code.creation_date,
    serial_number: view.code.serial_number,
    is_blacklisted: view.activationStatus === 2,
    activation_status: activationName(view.activationStatus),
    blacklist_reason: reasonName(view.blacklistReason),
    is_consumed: false,
    scm_data: [],
    scan_count: view.scanCount,
  };
}

/** A scan with its code, the code's product and brand; nothing about the scanning client. */
export function presentCombinedInfo(info: CombinedInfo) {
  const { code } = info.code;
  return {
    scan: {
      id: info.scan.id,
      scan_date: info.scan.scanDate,
      scan_number: info.scan.scanNumber,
      activation_status: activationName(info.scan.activationStatus),
      blacklist_reason: reasonName(info.scan.blacklistReason),
      flags: info.scan.flags,
    },
    qrcode: presentQrCode(info.code),
    product: code.product_id === null ? null : {
      id: code.product_id, sku: code.product_sku ?? '', name: code.product_name ?? '', client_url: code.client_url,
    },
    brand: code.brand_id === null ? null : { id: code.brand_id, name: code.brand_name ?? '' },
  };
}

/** A serial-number lookup's answer: no scan is made by looking a code up. */
export function presentFound(view: ConsumerCodeView) {
  return { qr: presentQrCode(view), scan_id: null, region: null, url: view.url };
}
