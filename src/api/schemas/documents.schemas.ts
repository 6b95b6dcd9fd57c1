import { Type } from 'typebox';
import { Nullable } from './common.schemas.js';

export const KeyParams = Type.Object({ key: Type.String({ pattern: '^[a-z0-9]{12}$' }) });

export const CodeExportQuery = Type.Object({
  workorder: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'Only this work order\'s codes.' })),
  status: Type.Optional(Type.Integer({ enum: [0, 1, 2], description: 'activation_status: 0 inactive, 1 active, 2 blacklisted.' })),
  blacklisted: Type.Optional(Type.String({ enum: ['true', 'false', 'True', 'False', '1', '0'] })),
  activated_at: Type.Optional(Type.String({ maxLength: 80, description: 'ISO date or date-time, or a range "from,to" (either end may be empty).' })),
  serial_number: Type.Optional(Type.String({ maxLength: 64 })),
  extended_id: Type.Optional(Type.String({ maxLength: 64 })),
});

export const DocumentSchema = Type.Object({
  key: Type.String(),
  kind: Type.String({ enum: ['codes'] }),
  state: Type.String({ enum: ['pending', 'in-progress', 'complete', 'failed'] }),
  task: Type.String(),
  filters: Type.Record(Type.String(), Type.Unknown()),
  row_count: Nullable(Type.Integer()),
  size: Nullable(Type.Integer()),
  creation_date: Type.String(),
  started_at: Nullable(Type.String()),
  completed_at: Nullable(Type.String()),
  error: Nullable(Type.String()),
});

export const DownloadLinkReply = Type.Object({ url: Type.String({ format: 'uri' }), expires_at: Type.String() });
export const LinkQuery = Type.Object({ expires: Type.Integer({ minimum: 0 }), signature: Type.String({ maxLength: 100 }) });
