import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * A brand owner's key for the Consumer API (its landing pages send it as `X-ScanTrust-Consumer-Api-Key`).
 * Only the key's SHA-256 is kept; the key itself is shown once, when it is created.
 */
export interface ConsumerKeysTable {
  id: Generated<number>;
  /** The brand owner whose codes and scans the key may read. */
  company_id: number;
  /** SHA-256 (hex) of the key. */
  key_hash: string;
  /** First characters of the key, to tell keys apart in listings. */
  key_prefix: string;
  creation_date: string;
  /** Set once: a revoked key is refused from then on. */
  revoked_at: string | null;
}

export type ConsumerKeyRow = Selectable<ConsumerKeysTable>;
export type NewConsumerKeyRow = Insertable<ConsumerKeysTable>;
