import { Type } from 'typebox';
import { Nullable, PageQuery } from './common.schemas.js';

export const WorkorderCodesQuery = Type.Object({
  ...PageQuery,
  activation_status: Type.Optional(Type.Integer({
    enum: [0, 1, 2], description: 'Only codes with this status: 0 inactive, 1 active, 2 blacklisted (reads every code of the order).',
  })),
});

export const WorkorderCodeSchema = Type.Object({
  extended_id: Type.String(),
  serial_number: Nullable(Type.String()),
  sequence: Type.Integer({ description: 'Position of the code in the order, 1 … quantity (the sequence_number of codes.csv).' }),
  activation_status: Type.Integer({ description: '0 inactive, 1 active, 2 blacklisted.' }),
  blacklist_reason: Type.Integer({ description: '0 none; with activation_status 2 the reason (9: work order canceled, 10: maximum scan count exceeded, …).' }),
  activated_at: Nullable(Type.String({ description: 'When an SCM upload last activated the code.' })),
  scan_count: Type.Integer({ description: 'Resolver scans recorded so far.' }),
  first_scan_date: Nullable(Type.String()),
  last_scan_date: Nullable(Type.String()),
});
