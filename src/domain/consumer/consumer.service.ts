import type { Db } from '../../db/database.js';
import * as consumer from '../../db/repositories/consumer.repository.js';
import type { ConsumerCode } from '../../db/repositories/consumer.repository.js';
import type { NewScanRow } from '../../db/tables/scans.table.js';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import { sequenceOfSerial, serialValueOf } from '../codes/serial-range.js';
import { statusOf } from '../scans/resolver.service.js';
import { SCAN_FLUSH_INTERVAL_MS, type ScanRecorder } from '../scans/scan-recorder.js';
import type { ConsumerPrincipal } from './consumer-key.service.js';
import { scanTimeOf } from './scan-time.js';

export interface ConsumerServiceDeps {
  db: Db;
  clock: Clock;
  /** This process's resolver scans not written yet. */
  recorder: ScanRecorder;
  /** The recorders' flush interval: any process writes a scan within it (plus the write's own time). */
  flushIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A code as a landing page sees it: its status as the resolver reads it, and its scans so far. */
export interface ConsumerCodeView {
  code: ConsumerCode;
  /** 0 inactive, 1 active, 2 blacklisted (a canceled order's code: 2, reason 9). */
  activationStatus: number;
  /** 0 unless blacklisted. */
  blacklistReason: number;
  /** Scans written, plus those this process holds in memory. */
  scanCount: number;
  /** The code's URL (the order's prefix + extended ID). */
  url: string;
}

/** A resolver scan without anything about the client (no network, user agent or language). */
export interface ConsumerScan {
  id: string;
  scanDate: string;
  scanNumber: number;
  /** The code's status as the scan saw it. */
  activationStatus: number;
  blacklistReason: number;
  flags: string[];
}

export interface CombinedInfo {
  scan: ConsumerScan;
  code: ConsumerCodeView;
}

/** Characters an extended ID may have (both styles), as the resolver checks them. */
const EXTENDED_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A scan id this young that is nowhere yet may still be on its way to the database. */
const RECENT_SCAN_MS = 10_000;
/** How far ahead of this machine's clock another machine's may draw scan ids. */
const CLOCK_SKEW_MS = 2_000;
/** Time allowed for another process's write, after its flush interval. */
const WRITE_GRACE_MS = 100;

type ScanSource = Pick<NewScanRow, 'id' | 'code_id' | 'company_id' | 'scan_date' | 'scan_number' | 'activation_status' | 'blacklist_reason' | 'flags'>;

/**
 * The Consumer API behind a brand's own landing page: a code by extended ID or serial number, and a
 * scan with its code, product and brand — only the key's brand owner's (another's is "not found").
 * Scans are written in batches (see ScanRecorder), and a landing page asks about a scan right after the
 * resolver redirected the phone to it: a scan not in the database yet is looked for in this process's
 * buffer, and a recent one is waited for (this process's flush, or one flush interval of another's).
 */
export class ConsumerService {
  private readonly flushIntervalMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: ConsumerServiceDeps) {
    this.flushIntervalMs = deps.flushIntervalMs ?? SCAN_FLUSH_INTERVAL_MS;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async details(principal: ConsumerPrincipal, extendedId: string): Promise<ConsumerCodeView> {
    const code = EXTENDED_ID.test(extendedId) ? await this.counted(() => consumer.findConsumerCodeByExtendedId(this.deps.db, extendedId)) : undefined;
    return this.view(this.owned(principal, code));
  }

  async findBySerialNumber(principal: ConsumerPrincipal, serialNumber: string): Promise<ConsumerCodeView> {
    const serial = serialNumber.trim();
    if (serial === '') throw AppError.field('serial_number', 'This field may not be blank.');
    const code = await this.counted(() => this.findBySerialValue(principal.companyId, serial));
    // The exact text: "5" is not the code printed as "0000000005".
    return this.view(this.owned(principal, code?.serial_number === serial ? code : undefined));
  }

  async combinedInfo(principal: ConsumerPrincipal, scanId: string): Promise<CombinedInfo> {
    const scan = await this.findScan(scanId);
    if (!scan || scan.company_id !== principal.companyId) throw AppError.notFound();
    const code = await this.counted(() => consumer.findConsumerCodeById(this.deps.db, scan.code_id));
    return {
      scan: {
        id: scan.id, scanDate: scan.scan_date, scanNumber: scan.scan_number, activationStatus: scan.activation_status,
        blacklistReason: scan.blacklist_reason, flags: scan.flags ? scan.flags.split(',') : [],
      },
      code: this.view(this.owned(principal, code)),
    };
  }

  /** A read of a code whose scan count gets this process's pending scans added (see ScanRecorder.readCounters). */
  private counted<T>(read: () => Promise<T>): Promise<T> {
    return this.deps.recorder.readCounters(read);
  }

  /** The owner's code numbered `text`, found through its order's reserved range (serial-range.ts). */
  private async findBySerialValue(companyId: number, text: string): Promise<ConsumerCode | undefined> {
    const serial = serialValueOf(text);
    if (serial === null) return undefined;
    for (const order of await consumer.findOrdersReservingSerial(this.deps.db, companyId, serial)) {
      const sequence = sequenceOfSerial(order, serial);
      const code = sequence === null ? undefined : await consumer.findConsumerCodeBySequence(this.deps.db, order.id, sequence);
      if (code) return code;
    }
    return undefined;
  }

  private owned(principal: ConsumerPrincipal, code: ConsumerCode | undefined): ConsumerCode {
    if (!code || code.company_id !== principal.companyId) throw AppError.notFound();
    return code;
  }

  private view(code: ConsumerCode): ConsumerCodeView {
    const status = statusOf(code);
    return {
      code,
      activationStatus: status.activationStatus,
      blacklistReason: status.blacklistReason,
      scanCount: code.scan_count + this.deps.recorder.pendingFor(code.code_id),
      url: code.url_prefix + code.extended_id,
    };
  }

  /** The scan from the database, else this process's buffer; a recent one missing from both is waited for once. */
  private async findScan(scanId: string): Promise<ScanSource | undefined> {
    const takenAt = scanTimeOf(scanId);
    if (takenAt === null) return undefined;
    const found = await this.lookUpScan(scanId);
    if (found) return found;
    const now = this.deps.clock.now().getTime();
    if (takenAt > now + CLOCK_SKEW_MS || now - takenAt > RECENT_SCAN_MS) return undefined;
    // Being written by this process right now (neither buffered nor committed): the flush waits for it.
    await this.deps.recorder.flush();
    const flushed = await this.lookUpScan(scanId);
    if (flushed) return flushed;
    // Taken by another process: its recorder writes it within one flush interval of the scan.
    const wait = Math.min(takenAt + this.flushIntervalMs + WRITE_GRACE_MS - this.deps.clock.now().getTime(), this.flushIntervalMs + WRITE_GRACE_MS);
    if (wait <= 0) return undefined;
    await this.sleep(wait);
    return this.lookUpScan(scanId);
  }

  private async lookUpScan(scanId: string): Promise<ScanSource | undefined> {
    return (await consumer.findScanById(this.deps.db, scanId)) ?? this.deps.recorder.bufferedScan(scanId);
  }
}
