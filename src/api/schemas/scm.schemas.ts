import { Type } from 'typebox';
import { MAX_ASYNC_IDS, MAX_SYNC_ITEMS, type DataKey } from '../../domain/scm/scm.types.js';
import { Nullable } from './common.schemas.js';

const ActivationStatus = Type.Integer({ enum: [0, 1, 2], description: '0 inactive, 1 active, 2 blacklisted.' });
const BlacklistReason = Type.Integer({
  minimum: 0, maximum: 10,
  description: 'With activation_status 2: 1 counterfeits detected, 2 low quality, 3 overprint, 4 stolen, 5 damage, 6 lost, 7 misprint, 8 not sold, 9 WO canceled, 10 maximum scan count exceeded.',
});
const Code = Type.String({ minLength: 1, maxLength: 64 });
const Reference = Type.Optional(Nullable(Type.String({ maxLength: 255, description: 'Your own label for this upload.' })));

export const SyncUploadBody = Type.Object({
  data_key: Type.Unsafe<DataKey>({ type: 'string', enum: ['extended_id', 'serial_number'], description: 'Which field of each item names its code.' }),
  items: Type.Array(Type.Object({
    extended_id: Type.Optional(Code),
    serial_number: Type.Optional(Code),
    activation_status: Type.Optional(ActivationStatus),
    blacklist_reason: Type.Optional(BlacklistReason),
  }), { maxItems: MAX_SYNC_ITEMS }),
  reference: Reference,
});

export const SyncUploadReply = Type.Object({
  task_id: Type.Integer({ description: 'The code transaction recording this upload (GET /api/v2/scm/tasks/{id}/).' }),
  total_updates: Type.Integer({ description: 'Items applied.' }),
  codes_affected: Type.Integer({ description: 'Codes whose status changed (a code already in the status is not).' }),
  items: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});

export const AsyncUploadBody = Type.Object({
  constraints: Type.Object({
    extended_id: Type.Optional(Type.Array(Code, { maxItems: MAX_ASYNC_IDS })),
    serial_number: Type.Optional(Type.Array(Code, { maxItems: MAX_ASYNC_IDS })),
    workorder: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'Every code of this work order…' })),
    sequence_from: Type.Optional(Type.Integer({ minimum: 1, description: '…from this sequence number (default 1)…' })),
    sequence_to: Type.Optional(Type.Integer({ minimum: 1, description: '…to this one (default: the quantity).' })),
  }, { description: 'Which codes: one list of extended IDs or serial numbers, or one work order (optionally a sequence range).' }),
  scm_data: Type.Object({ activation_status: Type.Optional(ActivationStatus), blacklist_reason: Type.Optional(BlacklistReason) }),
  reference: Reference,
});

export const AsyncUploadReply = Type.Object({ task_id: Type.Integer() });

export const TaskSchema = Type.Object({
  id: Type.Integer(),
  task_id: Type.Integer(),
  kind: Type.String({ enum: ['sync', 'async'] }),
  state: Type.String({ enum: ['pending', 'in-progress', 'complete', 'failed'] }),
  reference: Nullable(Type.String()),
  company: Type.Integer({ description: 'The brand owner whose codes it changes.' }),
  constraints: Type.Record(Type.String(), Type.Unknown()),
  scm_data: Type.Record(Type.String(), Type.Unknown()),
  codes_total: Nullable(Type.Integer()),
  codes_processed: Type.Integer(),
  codes_affected: Type.Integer(),
  codes_skipped: Type.Integer({ description: 'Codes named that do not exist for the caller or belong to a canceled order.' }),
  created_by: Type.Object({ id: Type.Integer(), username: Type.String() }),
  creation_date: Type.String(),
  started_at: Nullable(Type.String()),
  completed_at: Nullable(Type.String()),
  error: Nullable(Type.String()),
});
