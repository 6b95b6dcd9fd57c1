/** Items per synchronous upload (the reference advises async beyond this). */
export const MAX_SYNC_ITEMS = 1000;
/** IDs or serial numbers per asynchronous upload (a whole order is one constraint, however large). */
export const MAX_ASYNC_IDS = 50_000;

export type DataKey = 'extended_id' | 'serial_number';

/** What an upload sets on a code (reference: activation_status 0/1/2, blacklist_reason 1–10 with 2). */
export interface StatusInput {
  activation_status?: number;
  blacklist_reason?: number;
}

export interface SyncItem extends StatusInput {
  extended_id?: string;
  serial_number?: string;
}

export interface SyncUploadInput {
  data_key: DataKey;
  items: SyncItem[];
  reference?: string | null;
}

export interface AsyncConstraints {
  extended_id?: string[];
  serial_number?: string[];
  workorder?: number;
  sequence_from?: number;
  sequence_to?: number;
}

export interface AsyncUploadInput {
  constraints: AsyncConstraints;
  scm_data: StatusInput;
  reference?: string | null;
}

/** A task's constraints as stored: one of three kinds. */
export type StoredConstraints =
  | { kind: 'ids'; dataKey: DataKey; values: string[] }
  | { kind: 'workorder'; workorder: number; sequenceFrom: number; sequenceTo: number };

export interface ResolvedStatus {
  activationStatus: number;
  blacklistReason: number;
}
