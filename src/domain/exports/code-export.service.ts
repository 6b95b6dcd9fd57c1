import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Db } from '../../db/database.js';
import * as exportsRepo from '../../db/repositories/code-export.repository.js';
import type { CodeExportFilters } from '../../db/repositories/code-export.repository.js';
import * as documents from '../../db/repositories/documents.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { DocumentRow } from '../../db/tables/documents.table.js';
import type { JobQueue } from '../../jobs/queue.js';
import { exportJobKey } from '../../jobs/job-types.js';
import { AppError } from '../../shared/app-error.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { randomAlphanumeric, type Random } from '../../shared/random.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { requirePermission, tenancyScopeOf, type Principal } from '../auth/principal.js';
import { sequenceOfSerial, serialValueOf } from '../codes/serial-range.js';
import { CODE_EXPORT_HEADER, codeExportLine } from './codes-export-csv.js';
import { DownloadLinks, LINK_LIFETIME_SECONDS } from './download-link.js';

/** Codes read per query while exporting. */
export const EXPORT_PAGE = 5_000;
/** Bytes gathered before a write to the blob: few large writes, bounded memory. */
const WRITE_CHUNK = 256 * 1024;

export interface CodeExportDeps {
  db: Db;
  clock: Clock;
  random: Random;
  blobs: BlobStore;
  queue: JobQueue;
  links: DownloadLinks;
  logger: Logger;
  publicUrl: string;
  onJobEnqueued?: () => void;
  pageSize?: number;
}

/**
 * Code data exports (`GET /api/v2/codes/download/`): a document row and its job are created together;
 * the job streams every matching code into a CSV blob, page by page (flat memory for ten million rows),
 * and the document then gives a signed, expiring download link.
 */
export class CodeExportService {
  constructor(private readonly deps: CodeExportDeps) {}

  async request(principal: Principal, filters: CodeExportFilters): Promise<DocumentRow> {
    requirePermission(principal, 'codes_view');
    if (filters.workorderId !== undefined && !(await workorders.findWorkorderById(this.deps.db, filters.workorderId, tenancyScopeOf(principal)))) {
      throw AppError.field('workorder', `Select a valid choice. ${filters.workorderId} is not one of your work orders.`);
    }
    const now = isoMicros(this.deps.clock.now());
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const doc = await documents.insertDocument(trx, {
        key: randomAlphanumeric(this.deps.random, 12).toLowerCase(), company_id: principal.companyId, created_by_user_id: principal.userId,
        kind: 'codes', filters: JSON.stringify({ ...filters, scope: tenancyScopeOf(principal) }), state: 'pending', creation_date: now,
      });
      await this.deps.queue.enqueue(trx, 'export-codes', { documentKey: doc.key }, { jobKey: exportJobKey(doc.key) });
      return doc;
    });
    this.deps.onJobEnqueued?.();
    return row;
  }

  /** A document of the caller's company; another company's is not found. */
  async get(principal: Principal, key: string): Promise<DocumentRow> {
    requirePermission(principal, 'codes_view');
    const doc = await documents.findDocument(this.deps.db, key);
    if (!doc || doc.company_id !== principal.companyId) throw AppError.notFound();
    return doc;
  }

  /** A link that downloads the finished document without credentials, for half an hour. */
  async downloadLink(principal: Principal, key: string): Promise<{ url: string; expires_at: string }> {
    const doc = await this.get(principal, key);
    if (doc.state !== 'complete') throw AppError.state(`The document is ${doc.state}; ask again once it is complete.`);
    const expires = Math.floor(this.deps.clock.now().getTime() / 1000) + LINK_LIFETIME_SECONDS;
    const url = `${this.deps.publicUrl}/api/v2/documents/${doc.key}/file/?expires=${expires}&signature=${this.deps.links.sign(doc.key, expires)}`;
    return { url, expires_at: isoMicros(new Date(expires * 1000)) };
  }

  /** The file behind a signed link; null when the link is wrong, expired, or names nothing finished. */
  async openByLink(key: string, expires: number, signature: string) {
    if (!this.deps.links.verify(key, expires, signature, Math.floor(this.deps.clock.now().getTime() / 1000))) return null;
    const doc = await documents.findDocument(this.deps.db, key);
    if (!doc || doc.state !== 'complete' || doc.blob_key === null) return null;
    const file = await this.deps.blobs.open(doc.blob_key);
    return file ? { ...file, fileName: `codes_${doc.key}.csv` } : null;
  }

  /** The `export-codes` job. A rerun (after a crash) starts the file again: nothing is visible until commit. */
  async build(key: string, signal?: AbortSignal): Promise<void> {
    const doc = await documents.findDocument(this.deps.db, key);
    if (!doc || doc.state === 'complete' || doc.state === 'failed') return;
    await documents.updateDocument(this.deps.db, key, { state: 'in-progress', started_at: isoMicros(this.deps.clock.now()) });
    const { scope, ...filters } = JSON.parse(doc.filters) as CodeExportFilters & { scope: workorders.WorkorderScope };
    const blobKey = `documents/${key}/codes.csv`;
    const upload = await this.deps.blobs.createUpload(blobKey);
    let rows = 0;
    let size = 0;
    try {
      const out = new BufferedWriter(upload.stream);
      size += await out.write(CODE_EXPORT_HEADER);
      const only = filters.extendedId === undefined ? filters.workorderId : await exportsRepo.workorderOfCode(this.deps.db, filters.extendedId);
      const orders = filters.extendedId !== undefined && only === undefined ? [] : await exportsRepo.listExportOrders(this.deps.db, scope, only);
      for (const order of orders) {
        if (filters.workorderId !== undefined && order.id !== filters.workorderId) continue;
        let after = 0;
        let limit = this.deps.pageSize ?? EXPORT_PAGE;
        if (filters.serialNumber !== undefined) {
          // The one code that can match is found by its sequence number (serial-range.ts).
          const serial = serialValueOf(filters.serialNumber);
          const sequence = serial === null || order.use_serial_number !== 1 ? null : sequenceOfSerial(order, serial);
          if (sequence === null) continue;
          after = sequence - 1;
          limit = 1;
        }
        for (;;) {
          signal?.throwIfAborted();
          const page = await exportsRepo.exportPage(this.deps.db, order.id, after, limit, filters);
          for (const code of page) size += await out.write(codeExportLine(code, order));
          rows += page.length;
          if (page.length < limit || limit === 1) break;
          after = page[page.length - 1]!.sequence_number;
        }
      }
      size += await out.end();
      await upload.commit();
    } catch (error) {
      await upload.abort();
      throw error;
    }
    await documents.updateDocument(this.deps.db, key, {
      state: 'complete', row_count: rows, size, blob_key: blobKey, completed_at: isoMicros(this.deps.clock.now()),
    });
    this.deps.logger.info({ document: key, rows, size }, 'code export complete');
  }

  async markFailed(key: string, error: Error): Promise<void> {
    this.deps.logger.error({ document: key, err: error }, 'code export failed');
    await documents.updateDocument(this.deps.db, key, {
      state: 'failed', error: 'The export failed after repeated attempts; please request it again.', completed_at: isoMicros(this.deps.clock.now()),
    });
  }
}

/** Gathers small writes into large ones and honours the stream's backpressure. Returns bytes written. */
class BufferedWriter {
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(private readonly stream: Writable) {}

  async write(text: string): Promise<number> {
    const bytes = Buffer.byteLength(text);
    this.pending.push(text);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= WRITE_CHUNK) await this.drain();
    return bytes;
  }

  async end(): Promise<number> {
    await this.drain();
    this.stream.end();
    return 0;
  }

  private async drain(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}
