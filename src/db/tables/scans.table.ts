import type { Insertable, Selectable } from 'kysely';

/** One resolver scan: a consumer's phone opened a code's URL. */
export interface ScansTable {
  /** Time-ordered id drawn by the answering process (see domain/scans/scan-id.ts). */
  id: string;
  code_id: number;
  workorder_id: number;
  /** The brand owner of the code's order. */
  company_id: number;
  product_id: number | null;
  scan_date: string;
  /** 1 for a code's first scan, 2 for its second… */
  scan_number: number;
  /** The code's status as this scan saw it (a canceled order's code reads as blacklisted, reason 9). */
  activation_status: number;
  blacklist_reason: number;
  /** Comma-separated flags, e.g. `max-scan-count-exceeded`. */
  flags: string;
  user_agent: string;
  accept_language: string;
  /** The client's network, never its address: IPv4 /24 or IPv6 /48 (`203.0.113.0/24`). */
  client_network: string;
}

export type ScanRow = Selectable<ScansTable>;
export type NewScanRow = Insertable<ScansTable>;
