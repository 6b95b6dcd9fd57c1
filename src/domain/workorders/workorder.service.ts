import type { Readable } from 'node:stream';
import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolation, WORKORDER_REFERENCE_UNIQUE } from '../../db/db-errors.js';
import * as codes from '../../db/repositories/codes.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import * as generation from '../../db/repositories/generation.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import * as views from '../../db/repositories/workorder-views.repository.js';
import type { WideRows } from '../../db/wide-rows.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import { assembleJobKey, batchJobKey, codeStatusJobKey, discardJobKey, generationJobKey } from '../../jobs/job-types.js';
import type { JobQueue } from '../../jobs/queue.js';
import { AppError } from '../../shared/app-error.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import { MissingBlobError, openParts } from '../../storage/blob-parts.js';
import type { BlobStore, ByteRange } from '../../storage/blob-store.js';
import { requirePermission, tenancyScopeOf, type Principal } from '../auth/principal.js';
import { checkConfirmation } from './workorder-confirmation.js';
import { resolveAttributes } from './workorder-attributes.js';
import { archiveFileName, loadArchiveParts } from './workorder-archive.js';
import { viewFor } from './workorder-views.js';
import {
  CODEGEN_STATUS, type ConfirmInput, type WorkorderInput, type WorkorderView,
} from './workorder.types.js';

export interface WorkorderServiceDeps {
  db: Db;
  clock: Clock;
  queue: JobQueue;
  blobs: BlobStore;
  defaultUrlPrefix: string;
  /** Told after a generation job commits, so an in-process runner starts it at once. */
  onJobEnqueued?: () => void;
  /** The engine's way of reading the list's wide rows (default: the columns as they are). */
  wideRows?: WideRows;
}

/** A generated archive, ready to be sent: whole or one byte range. */
export interface ArchiveDownload {
  fileName: string;
  size: number;
  etag: string;
  /** SHA-256 of the whole archive, hex (null for an archive written before Sigil recorded it). */
  sha256: string | null;
  open(range?: ByteRange): Promise<Readable>;
}

export interface ListFilters {
  isArchived?: boolean;
  search?: string;
  state?: string;
  codegenStatus?: number;
  printingPartner?: number;
}


/** The work-order lifecycle: create → (confirm) → generate → ready/printed/completed, or canceled. */
export class WorkorderService {
  constructor(private readonly deps: WorkorderServiceDeps) {}

  async list(principal: Principal, filters: ListFilters, page: { limit: number; offset: number }) {
    requirePermission(principal, 'workorder_view');
    const { count, records } = await views.listWorkorderViews(this.deps.db, tenancyScopeOf(principal), {
      isArchived: filters.isArchived,
      archiveScope: archiveScopeOf(principal),
      search: filters.search,
      state: filters.state,
      codegenStatus: filters.codegenStatus,
      printingPartnerId: filters.printingPartner,
    }, page, this.deps.wideRows);
    const archiveScope = archiveScopeOf(principal);
    return { count, views: records.map((record) => viewFor(record, archiveScope)) };
  }

  async get(principal: Principal, id: number): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_view');
    // Only the columns the API shows (the other actions read whole rows through `visible`).
    const record = await views.findWorkorderView(this.deps.db, id, tenancyScopeOf(principal), this.deps.wideRows);
    if (!record) throw AppError.notFound();
    return viewFor(record, archiveScopeOf(principal));
  }

  async createSg(principal: Principal, input: WorkorderInput): Promise<WorkorderView> {
    return this.create(principal, input, 'ssc');
  }

  /** SID orders have no printing partner: generation is enqueued in the same transaction as the insert. */
  async createSid(principal: Principal, input: WorkorderInput): Promise<WorkorderView> {
    return this.create(principal, input, 'sid');
  }

  async update(principal: Principal, id: number, input: WorkorderInput): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_edit');
    const existing = await this.visible(principal, id);
    this.requireOwner(principal, existing, 'edit');
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const attributes = await resolveAttributes(
        { db: trx, companyId: existing.company_id, kind: existing.kind, defaultUrlPrefix: this.deps.defaultUrlPrefix, existing },
        input,
      );
      // Attributes were merged onto the row as read above: it must be unchanged since (no lost update).
      const updated = await workorders.updateWorkorderGuarded(trx, id, { ...editableGuard, updatedDate: existing.updated_date }, {
        ...attributes, updated_date: this.now(),
      }).catch(rethrowReferenceClash);
      if (!updated) {
        const current = await workorders.findWorkorderById(trx, id);
        throw AppError.state(current?.state === 'new' && current.codegen_status === CODEGEN_STATUS.notStarted
          ? 'The work order changed while it was being edited; reload it and try again.'
          : 'Only new work orders that are not confirmed yet can be edited.');
      }
      return updated;
    });
    return this.view(principal, row);
  }

  /** The printing partner picks the press and a calibrated material; the job commits with the state change. */
  async confirm(principal: Principal, id: number, input: ConfirmInput): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_edit');
    const order = await this.visible(principal, id);
    if (order.kind !== 'ssc' || principal.companyId !== order.printing_partner_id) {
      throw AppError.forbidden('Only the printing partner assigned to this work order can confirm it.');
    }
    if (order.state !== 'new' || order.codegen_status !== CODEGEN_STATUS.notStarted) {
      throw AppError.state(order.state === 'new' ? 'This work order has already been confirmed.' : `A work order in state "${order.state}" cannot be confirmed.`);
    }
    const { equipmentId, substrateId, externalId } = await checkConfirmation(this.deps.db, principal, order, input);

    const now = this.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      // The checks above read the order outside this transaction: it must be unchanged since.
      const updated = await workorders.updateWorkorderGuarded(trx, id, {
        ...editableGuard, printingPartnerId: principal.companyId, updatedDate: order.updated_date,
      }, {
        equipment_id: equipmentId,
        substrate_id: substrateId,
        external_id: externalId,
        codegen_status: CODEGEN_STATUS.generating,
        confirmed_date: now,
        updated_date: now,
      });
      if (!updated) {
        const current = await workorders.findWorkorderById(trx, id);
        throw AppError.state(current?.codegen_status !== CODEGEN_STATUS.notStarted
          ? 'This work order has already been confirmed.'
          : 'The work order changed while it was being confirmed; check it and confirm again.');
      }
      await this.deps.queue.enqueue(trx, 'generate-workorder', { workorderId: id }, { jobKey: generationJobKey(id) });
      return updated;
    });
    this.deps.onJobEnqueued?.();
    return this.view(principal, row);
  }

  /** Cancels an order that is not printed yet; its codes (if any) are blacklisted with reason 9. */
  async cancel(principal: Principal, id: number): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_cancel');
    const order = await this.visible(principal, id);
    const now = this.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      // Decided on the row as it is now: generation may finish between the read above and this update.
      const updated = await workorders.updateWorkorderGuarded(trx, id, { states: ['new', 'ready to print'] }, {
        state: 'canceled',
        codegen_status: (eb) => eb.case().when('codegen_status', '=', CODEGEN_STATUS.generating)
          .then(CODEGEN_STATUS.canceled).else(eb.ref('codegen_status')).end(),
        canceled_date: now,
        updated_date: now,
      });
      if (!updated) throw AppError.state(`A work order in state "${order.state}" cannot be canceled.`);
      await this.enqueueCodeStatus(trx, id);
      // Its codes are blacklisted: the archive (or what generation has stored of it) is withdrawn for good.
      if (updated.archive_key !== null) await this.deps.queue.enqueue(trx, 'discard-archive', { workorderId: id }, { jobKey: discardJobKey(id) });
      return updated;
    });
    this.deps.onJobEnqueued?.();
    return this.view(principal, row);
  }

  async setArchived(principal: Principal, id: number, archived: boolean): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_archive');
    await this.visible(principal, id);
    const row = await workorders.updateWorkorderGuarded(this.deps.db, id, {}, {
      [workorders.archiveColumn(archiveScopeOf(principal))]: archived ? 1 : 0,
      updated_date: this.now(),
    });
    if (!row) throw AppError.notFound();
    return this.view(principal, row);
  }

  async delete(principal: Principal, id: number): Promise<void> {
    requirePermission(principal, 'workorder_delete');
    const order = await this.visible(principal, id);
    this.requireOwner(principal, order, 'delete');
    const deleted = await workorders.deleteWorkorder(this.deps.db, id, {
      states: editableGuard.states, codegenStatuses: editableGuard.codegenStatuses,
    });
    if (!deleted) throw AppError.state('Only new work orders that are not confirmed yet can be deleted.');
  }

  /** The assigned partner reports the run printed (after its QA). */
  async markPrinted(principal: Principal, id: number): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_edit');
    const order = await this.visible(principal, id);
    if (principal.companyId !== order.printing_partner_id) {
      throw AppError.forbidden('Only the printing partner assigned to this work order can mark it printed.');
    }
    const now = this.now();
    const row = await workorders.updateWorkorderGuarded(this.deps.db, id, { states: ['ready to print'] }, {
      state: 'printed', printed_date: now, updated_date: now,
    });
    if (!row) throw AppError.state(`A work order in state "${order.state}" cannot be marked printed; it must be "ready to print".`);
    return this.view(principal, row);
  }

  /** Platform staff complete a printed order (after training); `activate_on_complete` activates its codes. */
  async complete(principal: Principal, id: number): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_edit');
    const order = await this.visible(principal, id);
    if (principal.companyType !== 'platform') throw AppError.forbidden('Only platform staff can complete a work order.');
    const now = this.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await workorders.updateWorkorderGuarded(trx, id, { states: ['printed'] }, {
        state: 'completed', completed_date: now, is_fingerprint_trained: 1, updated_date: now,
      });
      if (!updated) throw AppError.state(`A work order in state "${order.state}" cannot be completed; it must be "printed".`);
      await this.enqueueCodeStatus(trx, id);
      return updated;
    });
    this.deps.onJobEnqueued?.();
    return this.view(principal, row);
  }

  /**
   * Platform staff run a failed generation again (once its cause is fixed): the order is generating
   * again, and the jobs that had not finished run again with fresh attempts — the plan if it never
   * succeeded, else the batches not done, else the assembly. Stored codes and pieces are kept.
   */
  async retryGeneration(principal: Principal, id: number): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_edit');
    const order = await this.visible(principal, id);
    if (principal.companyType !== 'platform') throw AppError.forbidden('Only platform staff can retry a failed generation.');
    const now = this.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await workorders.updateWorkorderGuarded(trx, id, { states: ['new'], codegenStatuses: [CODEGEN_STATUS.failed] }, {
        codegen_status: CODEGEN_STATUS.generating, codegen_error: null, updated_date: now,
      });
      if (!updated) {
        throw AppError.state(order.state !== 'new'
          ? `The generation of a work order in state "${order.state}" cannot be retried.`
          : `Only a failed generation can be retried; this work order's codegen_status is ${order.codegen_status}.`);
      }
      const retry = { rerunIfEnded: true } as const;
      if (updated.generation_plan === null) {
        await this.deps.queue.enqueue(trx, 'generate-workorder', { workorderId: id }, { jobKey: generationJobKey(id), ...retry });
        return updated;
      }
      const pending = (await generation.listBatches(trx, id)).filter((batch) => batch.done_date === null);
      for (const batch of pending) {
        await this.deps.queue.enqueue(trx, 'generate-batch', { workorderId: id, batchNumber: batch.batch_number }, {
          jobKey: batchJobKey(id, batch.batch_number), ...retry,
        });
      }
      if (pending.length === 0) await this.deps.queue.enqueue(trx, 'assemble-archive', { workorderId: id }, { jobKey: assembleJobKey(id), ...retry });
      return updated;
    });
    this.deps.onJobEnqueued?.();
    return this.view(principal, row);
  }

  /**
   * The generated zip of an order the caller may download (SSC files need `workorder_download`, SID
   * files `workorder_sid_download`): its name, size and entity tag from the database, and `open` to
   * stream all of it or one byte range. A HEAD needs no storage access.
   */
  async archiveDownload(principal: Principal, id: number): Promise<ArchiveDownload> {
    const order = await this.archiveOf(principal, id);
    const parts = await loadArchiveParts(this.deps.db, order);
    if (!parts) throw new AppError('ARCHIVE_NOT_READY', 'The codes of this work order have not been generated yet.');
    const blobs = this.deps.blobs;
    return {
      fileName: archiveFileName(id, order.archive_key!),
      size: parts.reduce((sum, part) => sum + part.size, 0),
      // The archive under a key never changes (a new generation would get a new key): a strong validator.
      etag: `"${order.archive_key}"`,
      sha256: order.archive_sha256,
      open: async (range) => {
        try {
          return await openParts(blobs, parts, range);
        } catch (error) {
          if (error instanceof MissingBlobError) throw new AppError('ARCHIVE_NOT_READY', 'The file of this work order is missing from storage.');
          throw error;
        }
      },
    };
  }

  /** Serial-number export: checks access, then yields codes page by page (constant memory). */
  async serialNumbers(principal: Principal, id: number): Promise<AsyncIterable<{ extendedId: string; serialNumber: string | null }>> {
    await this.downloadable(principal, id);
    const db = this.deps.db;
    return (async function* () {
      let after = 0;
      for (;;) {
        const page = await codes.listCodesAfter(db, id, after, 5000);
        if (page.length === 0) return;
        for (const code of page) yield { extendedId: code.extended_id, serialNumber: code.serial_number };
        after = page[page.length - 1]!.sequence_number;
      }
    })();
  }

  private async create(principal: Principal, input: WorkorderInput, kind: 'ssc' | 'sid'): Promise<WorkorderView> {
    requirePermission(principal, 'workorder_create');
    if (principal.companyType !== 'brand_owner') throw AppError.forbidden('Only brand owners can create work orders.');
    const company = await companies.findCompanyById(this.deps.db, principal.companyId);
    const now = this.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const attributes = await resolveAttributes(
        { db: trx, companyId: principal.companyId, kind, defaultUrlPrefix: this.deps.defaultUrlPrefix },
        input,
      );
      const inserted = await workorders.insertWorkorder(trx, {
        ...attributes,
        company_id: principal.companyId,
        kind,
        state: 'new',
        codegen_status: kind === 'sid' ? CODEGEN_STATUS.generating : CODEGEN_STATUS.notStarted,
        has_secure_workflow: kind === 'ssc' && company?.has_secure_workflow === 1 ? 1 : 0,
        created_by_user_id: principal.userId,
        external_id: '',
        static_impositions: 0,
        is_archived: 0,
        is_fingerprint_trained: 0,
        creation_date: now,
        updated_date: now,
      }).catch(rethrowReferenceClash);
      if (kind === 'sid') {
        await this.deps.queue.enqueue(trx, 'generate-workorder', { workorderId: inserted.id }, { jobKey: generationJobKey(inserted.id) });
      }
      return inserted;
    });
    if (kind === 'sid') this.deps.onJobEnqueued?.();
    return this.view(principal, row);
  }

  /**
   * An order whose codes the caller may download: visible, with the download permission of its kind,
   * generated, and not canceled (canceling withdraws the download: its codes are blacklisted).
   */
  private async downloadable(principal: Principal, id: number): Promise<WorkorderRow> {
    requirePermission(principal, 'workorder_view');
    const order = await this.visible(principal, id);
    requirePermission(principal, order.kind === 'sid' ? 'workorder_sid_download' : 'workorder_download');
    if (order.state === 'canceled') throw new AppError('ARCHIVE_NOT_READY', 'This work order has been canceled; its codes cannot be downloaded.');
    if (order.codegen_status !== CODEGEN_STATUS.generated) {
      throw new AppError('ARCHIVE_NOT_READY', 'The codes of this work order have not been generated yet.');
    }
    return order;
  }

  /** The order if its archive can still be downloaded: archive retention may have removed it (410). */
  private async archiveOf(principal: Principal, id: number): Promise<WorkorderRow> {
    const order = await this.downloadable(principal, id);
    if (order.archive_removed_date !== null) {
      throw new AppError('ARCHIVE_REMOVED', `The archive of this work order was removed on ${order.archive_removed_date.slice(0, 10)} `
        + '(archive retention); its codes remain: GET …/serial-numbers/ lists them.');
    }
    return order;
  }

  /** The order if the caller's company may see it; otherwise 404 (never reveal another tenant's order). */
  private async visible(principal: Principal, id: number): Promise<WorkorderRow> {
    const row = await workorders.findWorkorderById(this.deps.db, id, tenancyScopeOf(principal));
    if (!row) throw AppError.notFound();
    return row;
  }

  /** Its codes take the status of the order's new state in a chunked job, committed with the state change. */
  private async enqueueCodeStatus(trx: Executor, id: number): Promise<void> {
    await this.deps.queue.enqueue(trx, 'sync-code-status', { workorderId: id }, { jobKey: codeStatusJobKey(id) });
  }

  private requireOwner(principal: Principal, order: WorkorderRow, action: string): void {
    if (principal.companyType === 'platform') return;
    if (order.company_id !== principal.companyId) throw AppError.forbidden(`Only the brand owner can ${action} this work order.`);
  }

  /** The order as the API shows it after an action (read again with its nested objects, in one statement). */
  private async view(principal: Principal, row: WorkorderRow): Promise<WorkorderView> {
    const record = await views.findWorkorderView(this.deps.db, row.id, {}, this.deps.wideRows);
    if (!record) throw AppError.notFound();
    return viewFor(record, archiveScopeOf(principal));
  }

  private now(): string {
    return isoMicros(this.deps.clock.now());
  }
}

/** Edits, deletion and confirmation are only possible while the order is new and unconfirmed. */
const editableGuard = { states: ['new'], codegenStatuses: [CODEGEN_STATUS.notStarted] } as const;

/** A printing partner archives for itself; brand owners and platform staff share the owner's flag. */
export function archiveScopeOf(principal: Principal): workorders.ArchiveScope {
  return principal.companyType === 'printing_partner' ? 'partner' : 'owner';
}

/** Two requests racing for the same reference: the unique index decides, the loser gets a 400. */
function rethrowReferenceClash(error: unknown): never {
  if (isUniqueViolation(error, WORKORDER_REFERENCE_UNIQUE)) {
    throw AppError.field('reference', 'A work order with this reference already exists.');
  }
  throw error;
}
