import type { Db } from '../../db/database.js';
import * as scans from '../../db/repositories/scans.repository.js';
import type { CodeForScan } from '../../db/repositories/scans.repository.js';
import type { MaxScanAction } from '../../db/tables/companies.table.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import { ACTIVATION, BLACKLIST_REASON_MAX_SCAN_COUNT, BLACKLIST_REASON_WO_CANCELED } from '../workorders/workorder.types.js';
import { clientNetwork } from '../../shared/client-network.js';
import type { ScanRecorder } from './scan-recorder.js';

/** What a scanning client told us (kept truncated: never the full address). */
export interface ScanClient {
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
  address: string | undefined;
}

export const FLAG_MAX_SCAN_COUNT = 'max-scan-count-exceeded';
/** Every flag a scan may carry. */
export const FLAGS = [FLAG_MAX_SCAN_COUNT] as const;

/** The code as the verdict page shows it. */
export interface CodeVerdict {
  extendedId: string;
  serialNumber: string | null;
  productName: string | null;
  brandName: string | null;
  companyName: string;
  /** 0 inactive, 1 active, 2 blacklisted — as this scan sees it. */
  activationStatus: number;
  blacklistReason: number;
  /** Scans of the code so far, this one included (none for a HEAD request). */
  scanCount: number;
  /** When the code was first scanned (this scan, for a first scan). */
  firstScanDate: string | null;
  flags: string[];
}

export type ScanOutcome =
  | { kind: 'unknown' }
  | { kind: 'redirect'; location: string }
  | { kind: 'verdict'; verdict: CodeVerdict };

/** Characters an extended ID may have (both styles): anything else is not a code, without asking the database. */
const EXTENDED_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ResolverDeps {
  db: Db;
  clock: Clock;
  recorder: ScanRecorder;
  newScanId: () => string;
}

/**
 * The resolver behind every printed code's URL: finds the code, records the scan (buffered), and says
 * where the consumer goes — the brand's landing page with the scan id, or Sigil's verdict page.
 */
export class ResolverService {
  constructor(private readonly deps: ResolverDeps) {}

  /** A consumer's scan (GET): recorded. */
  async scan(extendedId: string, client: ScanClient): Promise<ScanOutcome> {
    const code = await this.find(extendedId);
    if (!code) return { kind: 'unknown' };
    const now = isoMicros(this.deps.clock.now());
    const scanNumber = code.scan_count + this.deps.recorder.pendingFor(code.code_id) + 1;
    const status = statusOf(code);
    const flags: string[] = [];
    let blacklist = false;
    const limit = scanLimitOf(code);
    if (limit && scanNumber > limit.maxScanCount) {
      flags.push(FLAG_MAX_SCAN_COUNT);
      if (limit.action === 'blacklist' && status.activationStatus !== ACTIVATION.blacklisted) {
        blacklist = true;
        status.activationStatus = ACTIVATION.blacklisted;
        status.blacklistReason = BLACKLIST_REASON_MAX_SCAN_COUNT;
      }
    }
    const scanId = this.deps.newScanId();
    this.deps.recorder.record({
      id: scanId, code_id: code.code_id, workorder_id: code.workorder_id, company_id: code.company_id, product_id: code.product_id,
      scan_date: now, scan_number: scanNumber, activation_status: status.activationStatus, blacklist_reason: status.blacklistReason,
      flags: flags.join(','), user_agent: clip(client.userAgent, 512), accept_language: clip(client.acceptLanguage, 128),
      client_network: clientNetwork(client.address),
    }, { blacklist });
    const landing = code.client_url ?? code.landing_url;
    if (landing) return { kind: 'redirect', location: withScanId(landing, scanId) };
    return { kind: 'verdict', verdict: verdictOf(code, status, scanNumber, code.first_scan_date ?? now, flags) };
  }

  /** A HEAD request: the same answer, nothing recorded (link checkers and previews are not scans). */
  async peek(extendedId: string): Promise<ScanOutcome> {
    const code = await this.find(extendedId);
    if (!code) return { kind: 'unknown' };
    const landing = code.client_url ?? code.landing_url;
    if (landing) return { kind: 'redirect', location: landing };
    const scanCount = code.scan_count + this.deps.recorder.pendingFor(code.code_id);
    return { kind: 'verdict', verdict: verdictOf(code, statusOf(code), scanCount, code.first_scan_date, []) };
  }

  /** The code with its counters as the recorder needs them to add its pending scans (see readCounters). */
  private find(extendedId: string): Promise<CodeForScan | undefined> {
    if (!EXTENDED_ID.test(extendedId)) return Promise.resolve(undefined);
    return this.deps.recorder.readCounters(() => scans.findCodeForScan(this.deps.db, extendedId));
  }
}

/** A canceled order's codes read as blacklisted (reason 9) even before the status job has reached them. */
export function statusOf(code: CodeForScan): { activationStatus: number; blacklistReason: number } {
  if (code.workorder_state === 'canceled') return { activationStatus: ACTIVATION.blacklisted, blacklistReason: BLACKLIST_REASON_WO_CANCELED };
  return { activationStatus: code.activation_status, blacklistReason: code.activation_status === ACTIVATION.blacklisted ? code.blacklist_reason : 0 };
}

/** The product's limit, else the brand owner's; the action likewise, 'flag' when neither says. */
function scanLimitOf(code: CodeForScan): { maxScanCount: number; action: MaxScanAction } | null {
  const maxScanCount = code.product_max_scan_count ?? code.company_max_scan_count;
  if (maxScanCount === null) return null;
  return { maxScanCount, action: code.product_max_scan_action ?? code.company_max_scan_action ?? 'flag' };
}

function verdictOf(
  code: CodeForScan, status: { activationStatus: number; blacklistReason: number }, scanCount: number, firstScanDate: string | null, flags: string[],
): CodeVerdict {
  return {
    extendedId: code.extended_id, serialNumber: code.serial_number, productName: code.product_name, brandName: code.brand_name,
    companyName: code.company_name, activationStatus: status.activationStatus, blacklistReason: status.blacklistReason,
    scanCount, firstScanDate, flags,
  };
}

function withScanId(landing: string, scanId: string): string {
  const url = new URL(landing);
  url.searchParams.append('scan_id', scanId);
  return url.href;
}

function clip(value: string | undefined, max: number): string {
  if (!value) return '';
  return value.length > max ? value.slice(0, max) : value;
}
