import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as codes from '../../db/repositories/codes.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { NewCodeRow, WorkorderRow } from '../../db/tables/workorders.table.js';
import { batchNumberOf, MAX_BATCH_SIZE, planBatches } from '../../codegen/batches.js';
import { CODES_CSV_HEADER, codesCsvRow } from '../../codegen/csv/codes-csv.js';
import { derivePattern } from '../../codegen/graphic/pattern.js';
import { generateExtendedId, type ExtendedIdStyle } from '../../codegen/ids/extended-id.js';
import { renderCodePng, type RenderPlan } from '../../codegen/render/index.js';
import { GENERATION_JOB_KEY_PREFIX, PermanentJobError } from '../../jobs/job-types.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { pooledRandomBytes, randomAlphanumeric, type Random } from '../../shared/random.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { archiveBlobKey } from '../workorders/workorder-archive.js';
import { ACTIVATION, CODEGEN_STATUS } from '../workorders/workorder.types.js';
import { removeStale } from '../../shared/remove-stale.js';
import { ARCHIVE_WORKDIR_PREFIX, ArchiveBuilder } from './archive-builder.js';
import { loadRenderPlan } from './render-settings.js';

export interface CodeGenerationDeps {
  db: Db;
  clock: Clock;
  random: Random;
  blobs: BlobStore;
  tmpDir: string;
  graphicKey: Uint8Array;
  logger: Logger;
}

/** Rows per INSERT statement (8 columns each, well under every engine's parameter limit). */
const INSERT_CHUNK = 1000;
/**
 * Codes committed per transaction, with the progress counter. Small enough that the write lock (and,
 * on the embedded database, the single connection) is held for tens of milliseconds, not seconds.
 */
const COMMIT_CHUNK = 2000;
/** Codes read from the database per page while building the archive. */
const READ_PAGE = 2000;
const PROGRESS_INTERVAL_MS = 1000;
/** Synchronous rendering yields to the event loop this often, so the API and lease renewals keep going. */
const YIELD_EVERY_MS = 20;

type Outcome = 'generated' | 'canceled' | 'skipped';

/**
 * Generates one order's codes and archive. Resumable: codes are committed in chunks together with the
 * progress counter, so a restart continues after the last committed chunk; the archive is rebuilt
 * from the committed codes (it is a pure function of them and the secret key).
 */
export class CodeGenerationService {
  constructor(private readonly deps: CodeGenerationDeps) {}

  async generate(workorderId: number, signal: AbortSignal): Promise<Outcome> {
    const order = await workorders.findWorkorderById(this.deps.db, workorderId);
    if (!order || order.state === 'canceled' || order.codegen_status !== CODEGEN_STATUS.generating) return 'skipped';
    const log = this.deps.logger.child({ workorder: workorderId });

    let plan: RenderPlan;
    try {
      plan = await loadRenderPlan(this.deps.db, order);
    } catch (error) {
      throw new PermanentJobError(`cannot plan images: ${(error as Error).message}`, { cause: error });
    }
    const serialStart = await this.reserveSerials(order);
    log.info({ quantity: order.quantity, resumeAfter: order.codes_generated }, 'generating codes');
    if ((await this.writeCodes(order, serialStart, signal)) === 'canceled') return 'canceled';
    log.info('codes written; building archive');
    const archiveKey = randomAlphanumeric(this.deps.random, 12);
    const archive = await this.writeArchive(order, plan, archiveKey, signal);
    if (archive === 'canceled') return 'canceled';
    return this.finish(order, archiveKey, archive);
  }

  /**
   * Clears what crashed runs left: partial archives in storage and archive working directories, once
   * untouched for `olderThanMs` (a live run touches its files continuously). Called when a worker starts.
   */
  async sweepAbandoned(olderThanMs: number): Promise<{ uploads: number; workDirs: number }> {
    const uploads = await this.deps.blobs.sweepAbandonedUploads(olderThanMs);
    const workDirs = await removeStale(this.deps.tmpDir, olderThanMs, (e) => e.isDirectory() && e.name.startsWith(ARCHIVE_WORKDIR_PREFIX));
    if (uploads + workDirs > 0) this.deps.logger.info({ uploads, workDirs }, 'removed files left by interrupted generations');
    return { uploads, workDirs };
  }

  /** Orders left at "generating" by a job that failed for good without its failure hook: marked failed. */
  async reconcileFailedJobs(): Promise<number> {
    const fixed = await workorders.failOrdersWhoseJobFailed(this.deps.db, GENERATION_JOB_KEY_PREFIX, 'generation failed');
    if (fixed > 0) this.deps.logger.warn({ fixed }, 'marked orders of failed generation jobs as failed');
    return fixed;
  }

  /** Called when the job has failed for good: the order shows status 5 (failed). */
  async markFailed(workorderId: number, error: Error): Promise<void> {
    await workorders.updateWorkorderGuarded(this.deps.db, workorderId, { codegenStatuses: [CODEGEN_STATUS.generating] }, {
      codegen_status: CODEGEN_STATUS.failed, codegen_error: error.message.slice(0, 500), updated_date: this.now(),
    });
  }

  /** Reserves the order's serial-number range once (idempotent across retries). */
  private async reserveSerials(order: WorkorderRow): Promise<number | null> {
    if (order.use_serial_number !== 1) return null;
    if (order.serial_start !== null) return order.serial_start;
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await workorders.findWorkorderById(trx, order.id);
      if (current?.serial_start != null) return current.serial_start;
      const start = await companies.reserveSerialNumbers(trx, order.company_id, order.quantity);
      await workorders.updateWorkorderGuarded(trx, order.id, {}, { serial_start: start });
      return start;
    });
  }

  private async writeCodes(order: WorkorderRow, serialStart: number | null, signal: AbortSignal): Promise<'done' | 'canceled'> {
    const style = order.extended_id_style as ExtendedIdStyle;
    const randomBytes = pooledRandomBytes(this.deps.random);
    const creationDate = this.now();
    let generated = order.codes_generated;
    while (generated < order.quantity) {
      signal.throwIfAborted();
      // Chunks are aligned on COMMIT_CHUNK, so a resumed run commits the same ranges as a fresh one.
      const last = Math.min(order.quantity, (Math.floor(generated / COMMIT_CHUNK) + 1) * COMMIT_CHUNK);
      const rows: NewCodeRow[] = [];
      for (let sequence = generated + 1; sequence <= last; sequence++) {
        rows.push({
          workorder_id: order.id,
          sequence_number: sequence,
          batch_number: batchNumberOf(sequence),
          extended_id: generateExtendedId(style, randomBytes),
          serial_number: serialStart === null ? null : formatSerial(serialStart + sequence - 1),
          activation_status: ACTIVATION.inactive,
          blacklist_reason: 0,
          creation_date: creationDate,
        });
      }
      const committed = await this.deps.db.transaction().execute(async (trx) => {
        // The progress update doubles as the guard: a canceled order gets no more codes.
        const live = await workorders.updateWorkorderGuarded(trx, order.id, { codegenStatuses: [CODEGEN_STATUS.generating] }, {
          codes_generated: last,
        });
        if (!live) return false;
        let pending = rows;
        // An extended ID that already exists anywhere is skipped by the insert and drawn again.
        for (let round = 0; pending.length > 0; round++) {
          if (round === 10) throw new Error('could not draw unique extended IDs');
          for (let i = 0; i < pending.length; i += INSERT_CHUNK) {
            await codes.insertCodesSkippingConflicts(trx, pending.slice(i, i + INSERT_CHUNK));
          }
          const present = new Set(await codes.findSequencesInRange(trx, order.id, generated + 1, last));
          pending = rows.filter((r) => !present.has(r.sequence_number))
            .map((r) => ({ ...r, extended_id: generateExtendedId(style, randomBytes) }));
        }
        return true;
      });
      if (!committed) return 'canceled';
      generated = last;
      await yieldToEventLoop();
    }
    return 'done';
  }

  private async writeArchive(order: WorkorderRow, plan: RenderPlan, archiveKey: string, signal: AbortSignal) {
    const batches = planBatches(order.quantity);
    const digits = Math.max(7, String(order.quantity).length);
    const builder = await ArchiveBuilder.create({
      blobs: this.deps.blobs,
      blobKey: archiveBlobKey(order.id, archiveKey),
      tmpDir: this.deps.tmpDir,
      mtime: this.deps.clock.now(),
      manifestHead: await this.manifestHead(order, plan, batches),
    });
    try {
      await builder.appendCsv(CODES_CSV_HEADER);
      let after = 0;
      let rendered = 0;
      let lastProgress = Date.now();
      let lastYield = Date.now();
      for (;;) {
        const page = await codes.listCodesAfter(this.deps.db, order.id, after, READ_PAGE);
        if (page.length === 0) break;
        for (const code of page) {
          const url = order.url_prefix + code.extended_id;
          const pattern = plan.graphic === null ? null : derivePattern(
            this.deps.graphicKey,
            order.is_fp_serialized === 1 ? code.extended_id : `workorder:${order.id}`,
            plan.graphic.cells,
            plan.graphic.density,
          );
          const folder = `images/batch_${String(code.batch_number).padStart(4, '0')}`;
          const name = `${folder}/${String(code.sequence_number).padStart(digits, '0')}_${code.extended_id}.png`;
          await builder.addStoredFile(name, renderCodePng(plan, url, pattern));
          await builder.appendCsv(codesCsvRow({
            extendedId: code.extended_id, serialNumber: code.serial_number, sequenceNumber: code.sequence_number,
            batchNumber: code.batch_number, url,
          }));
          rendered += 1;
          if (Date.now() - lastYield >= YIELD_EVERY_MS) {
            await yieldToEventLoop();
            lastYield = Date.now();
            signal.throwIfAborted();
          }
          if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = Date.now();
            const live = await workorders.updateWorkorderGuarded(this.deps.db, order.id,
              { codegenStatuses: [CODEGEN_STATUS.generating] }, { images_rendered: rendered });
            if (!live) {
              await builder.abort();
              return 'canceled' as const;
            }
          }
        }
        after = page[page.length - 1]!.sequence_number;
      }
      if (rendered !== order.quantity) throw new Error(`archive has ${rendered} codes, expected ${order.quantity}`);
      return await builder.finish();
    } catch (error) {
      await builder.abort();
      throw error;
    }
  }

  private async manifestHead(order: WorkorderRow, plan: RenderPlan, batches: ReturnType<typeof planBatches>) {
    const db = this.deps.db;
    const [company, partner, template, product, equipment, substrate] = await Promise.all([
      companies.findCompanyById(db, order.company_id),
      order.printing_partner_id === null ? undefined : companies.findCompanyById(db, order.printing_partner_id),
      order.template_id === null ? undefined : catalog.findTemplateById(db, order.template_id),
      order.product_id === null ? undefined : catalog.findProductById(db, order.product_id),
      order.equipment_id === null ? undefined : catalog.findEquipmentById(db, order.equipment_id),
      order.substrate_id === null ? undefined : catalog.findSubstrateById(db, order.substrate_id),
    ]);
    return {
      format: 'sigil-workorder-archive/1',
      generated_at: this.now(),
      workorder: {
        id: order.id,
        type: order.kind === 'sid' ? 'SID' : 'SSC',
        reference: order.reference,
        external_id: order.external_id,
        quantity: order.quantity,
        code_layout: order.code_layout,
        extended_id_style: order.extended_id_style,
        url_prefix: order.url_prefix,
        use_serial_number: order.use_serial_number === 1,
        is_fp_serialized: order.is_fp_serialized === 1,
        company: company ? { id: company.id, name: company.name } : null,
        printing_partner: partner ? { id: partner.id, name: partner.name } : null,
        product: product ? { id: product.id, sku: product.sku, name: product.name } : null,
      },
      template: template ? { id: template.id, name: template.name } : null,
      printing: {
        equipment: equipment ? { id: equipment.id, name: equipment.name, dpi: equipment.dpi } : null,
        substrate: substrate ? { id: substrate.id, name: substrate.name } : null,
        dpi: plan.dpi,
      },
      layout: plan,
      counts: { codes: order.quantity, images: order.quantity, batches: batches.length, max_batch_size: MAX_BATCH_SIZE },
      batches: batches.map((b) => ({
        batch_number: b.batchNumber,
        first_sequence: b.firstSequence,
        last_sequence: b.lastSequence,
        count: b.lastSequence - b.firstSequence + 1,
        folder: `images/batch_${String(b.batchNumber).padStart(4, '0')}/`,
      })),
      checksums: 'SHA-256 of every other file in this archive, listed under "files"',
    };
  }

  private async finish(order: WorkorderRow, archiveKey: string, archive: { size: number; sha256: string }): Promise<Outcome> {
    const now = this.now();
    const goesStraightToCompleted = order.has_secure_workflow !== 1;
    const done = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await workorders.updateWorkorderGuarded(trx, order.id,
        { states: ['new'], codegenStatuses: [CODEGEN_STATUS.generating] }, {
          codegen_status: CODEGEN_STATUS.generated,
          images_rendered: order.quantity,
          archive_key: archiveKey,
          archive_size: archive.size,
          archive_sha256: archive.sha256,
          date_codes_completed: now,
          state: goesStraightToCompleted ? 'completed' : 'ready to print',
          completed_date: goesStraightToCompleted ? now : null,
          updated_date: now,
        });
      if (updated && goesStraightToCompleted) {
        await codes.setActivationForWorkorder(trx, order.id, order.activate_on_complete === 1 ? ACTIVATION.active : ACTIVATION.inactive, 0);
      }
      return updated;
    });
    if (!done) {
      await this.deps.blobs.delete(archiveBlobKey(order.id, archiveKey));
      return 'canceled';
    }
    return 'generated';
  }

  private now(): string {
    return isoMicros(this.deps.clock.now());
  }
}

/** Serial numbers are sequential per brand owner, zero-padded to 10 digits (e.g. 0000000042). */
export function formatSerial(value: number): string {
  return String(value).padStart(10, '0');
}
