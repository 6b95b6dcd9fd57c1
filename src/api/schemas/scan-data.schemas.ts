import { Type } from 'typebox';
import { Nullable } from './common.schemas.js';

export const ScanDataQuery = Type.Object({
  date_from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO date or date-time: scans from then on.' })),
  date_to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO date (that whole day) or date-time: scans until then.' })),
  timeframe: Type.Optional(Type.String({ pattern: '^-?[1-9][0-9]{0,2}[ymwd]$', description: 'The last N years, months, weeks or days: 1y, 2m, 3w, 1d.' })),
  product: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 })),
  workorder: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 })),
  activation_status: Type.Optional(Type.Integer({ enum: [0, 1, 2], description: 'The code\'s status as the scan saw it.' })),
  flags: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated: scans with every one of these flags (max-scan-count-exceeded).' })),
  page_mode: Type.Optional(Type.String({ enum: ['offset', 'cursor'], description: 'cursor: follow `next` until null (for exports).' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1 })),
});

export const ScanRecordSchema = Type.Object({
  scan: Type.Object({ id: Type.String(), date: Type.String(), reason: Type.String(), result: Type.String(), flags: Type.Array(Type.String()), scan_number: Type.Integer() }),
  code: Type.Object({
    extended_id: Type.String(), serial_number: Nullable(Type.String()), activation_status: Type.Integer(), blacklist_reason: Type.Integer(), workorder: Type.Integer(),
  }),
  product: Nullable(Type.Object({ id: Type.Integer(), sku: Nullable(Type.String()), name: Nullable(Type.String()) })),
  device: Type.Object({ user_agent: Type.String(), accept_language: Type.String() }),
  location: Type.Object({ network: Nullable(Type.String({ description: 'The client\'s /24 (IPv4) or /48 (IPv6) network; never its address.' })) }),
});

export const ScanDataPage = Type.Object({
  count: Type.Optional(Type.Integer({ description: 'Offset mode only.' })),
  next: Nullable(Type.String({ format: 'uri' })),
  previous: Nullable(Type.String({ format: 'uri' })),
  results: Type.Array(ScanRecordSchema),
});
