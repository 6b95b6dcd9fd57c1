import { Type } from 'typebox';
import { ACTIVATION_STATUS_NAMES, BLACKLIST_REASON_NAMES } from '../presenters/consumer.presenter.js';
import { Nullable } from './common.schemas.js';

export const CONSUMER_KEY_HEADER = 'x-scantrust-consumer-api-key';

/** The key header, for the OpenAPI document (checked before validation: a missing or bad key is a 401). */
export const ConsumerKeyHeaders = Type.Object({
  [CONSUMER_KEY_HEADER]: Type.Optional(Type.String({
    description: 'The brand owner\'s consumer API key (`sigil consumer-key create --company ID`). Missing, unknown or revoked: 401.',
  })),
});

export const ExtendedIdParams = Type.Object({
  extended_id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The code\'s extended ID (the end of its URL).' }),
});

export const ScanIdParams = Type.Object({
  scan_id: Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'The `scan_id` the resolver added to the landing page\'s URL.' }),
});

const ActivationStatus = Type.Unsafe<string>({ type: 'string', enum: [...ACTIVATION_STATUS_NAMES] });
const BlacklistReason = Type.Unsafe<string>({
  type: 'string', enum: [...BLACKLIST_REASON_NAMES], description: 'Reasons 0…10; "none" unless blacklisted.',
});

export const QrCodeSchema = Type.Object({
  message: Type.String({ description: 'The extended ID.' }),
  creation_date: Type.String(),
  serial_number: Nullable(Type.String()),
  is_blacklisted: Type.Boolean(),
  activation_status: ActivationStatus,
  blacklist_reason: BlacklistReason,
  is_consumed: Type.Boolean({ description: 'Always false: Sigil does not consume codes.' }),
  scm_data: Type.Array(Type.Object({
    name: Type.String(), key: Type.String(), position: Type.Integer(), type: Type.String(), value: Type.Unknown(),
  }), { description: 'Always empty: Sigil keeps no SCM fields.' }),
  scan_count: Type.Integer({ description: 'Resolver scans of the code so far.' }),
}, { description: 'A code as a landing page sees it. A code of a canceled order reads as blacklisted, "wo_canceled".' });

export const CombinedInfoResponse = Type.Object({
  scan: Type.Object({
    id: Type.String(),
    scan_date: Type.String(),
    scan_number: Type.Integer({ description: '1 for the code\'s first scan, 2 for its second…' }),
    activation_status: ActivationStatus,
    blacklist_reason: BlacklistReason,
    flags: Type.Array(Type.String(), { description: 'e.g. "max-scan-count-exceeded".' }),
  }, { description: 'The scan as it was taken (the code\'s status then). Nothing about the scanning client.' }),
  qrcode: QrCodeSchema,
  product: Nullable(Type.Object({ id: Type.Integer(), sku: Type.String(), name: Type.String(), client_url: Nullable(Type.String()) })),
  brand: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
});

export const FindBody = Type.Object({
  serial_number: Type.String({ minLength: 1, maxLength: 64, description: 'The serial number as printed.' }),
});

export const FindResponse = Type.Object({
  qr: QrCodeSchema,
  scan_id: Type.Null({ description: 'Always null: a lookup is not a scan.' }),
  region: Type.Null(),
  url: Type.String({ description: 'The code\'s URL.' }),
});
