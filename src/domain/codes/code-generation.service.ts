import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db, Executor } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as codes from '../../db/repositories/codes.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { CodeRow, NewCodeRow, WorkorderRow } from '../../db/tables/workorders.table.js';
import { batchNumberOf, MAX_BATCH_SIZE, planBatches } from '../../codegen/batches.js';
import { CODES_CSV_HEADER, codesCsvRow } from '../../codegen/csv/codes-csv.js';
import { generateExtendedId, type ExtendedIdStyle } from '../../codegen/ids/extended-id.js';
import { isDeflatedFormat } from '../../codegen/render/render-batch.js';
import { codeStatusJobKey, GENERATION_JOB_KEY_PREFIX, PermanentJobError } from '../../jobs/job-types.js';
import type { JobQueue } from '../../jobs/queue.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { pooledRandomBytes, randomAlphanumeric, type Random } from '../../shared/random.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { archiveBlobKey } from '../workorders/workorder-archive.js';
import { ACTIVATION, CODEGEN_STATUS } from '../workorders/workorder.types.js';
import { removeStale } from '../../shared/remove-stale.js';
import { ARCHIVE_WORKDIR_PREFIX, ArchiveBuilder } from './archive-builder.js';
import { loadRenderSettings, type RenderSettings } from './render-settings.js';
import type { ImageRenderer, RenderedBatch } from './render-pool.js';

export interface CodeGenerationDeps {
  db: Db;
  clock: Clock;
  random: Random;
  blobs: BlobStore;
  queue: JobQueue;
  tmpDir: string;
  renderer: ImageRenderer;
  logger: Logger;
}

/** Rows per INSERT statement (8 columns each, well under every engine's parameter limit). */
const INSERT_CHUNK = 1000;
/**
 * Codes committed per transaction, with the progress counter. Large enough to amortise the index pages
 * each commit rewrites (random extended IDs spread over the whole unique index), small enough that the
 * write lock (and, on the embedded database, the single connection) is held for about a tenth of a second.
 */
export const COMMIT_CHUNK = 8000;
/** Codes read from the database per page while building the archive. */
const READ_PAGE = 4096;
/** Codes per render task sent to the pool: large enough to amortise the hand-off, small enough to spread. */
const RENDER_TASK = 256;
const PROGRESS_INTERVAL_MS = 1000;
/** The archive loop yields to the event loop this often, so the API and lease renewals keep going. */
const YIELD_EVERY_MS = 20;

type Outcome = 'generated' | 'canceled' | 'skipped';

/** Consecutive codes of an order, in sequence order, as committed. */
type CodeChunk = ReadonlyArray<Pick<CodeRow, 'sequence_number' | 'batch_number' | 'extended_id' | 'serial_number'>>;

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

    let render: RenderSettings;
    try {
      render = await loadRenderSettings(this.deps.db, order);
    } catch (error) {
      throw new PermanentJobError(`cannot plan images: ${(error as Error).message}`, { cause: error });
    }
    const serialStart = await this.reserveSerials(order);
    log.info({ quantity: order.quantity, resumeAfter: order.codes_generated, format: render.format }, 'generating codes and archive');
    const archiveKey = randomAlphanumeric(this.deps.random, 12);
    const codeChunks = this.codeChunks(order, serialStart, signal);
    const archive = await this.writeArchive(order, render, archiveKey, codeChunks, signal);
    if (archive === 'canceled') return 'canceled';
    log.info({ bytes: archive.size }, 'archive stored');
    return this.finish(order, archiveKey, archive);
  }

  /**
   * Clears what crashed runs left: partial archives in storage and archive working directories, once
   * untouched for `olderThanMs` (a live run touches its files continuously). Called when a worker starts.
   */
  async sweepAbandoned(olderThanMs: number): Promise<{ uploads: number; workDirs: number }> {
    const uploads = await this.deps.blobs.sweepAbandonedUploads(olderThanMs).catch((error: unknown) => {
      // Some S3-compatible servers cannot list unfinished uploads: start anyway, and say so.
      this.deps.logger.warn({ err: error }, 'could not look for abandoned uploads in the blob store');
      return 0;
    });
    const workDirs = await removeStale(this.deps.tmpDir, olderThanMs, (e) => e.isDirectory() && e.name.startsWith(ARCHIVE_WORKDIR_PREFIX));
    if (uploads + workDirs > 0) this.deps.logger.info({ uploads, workDirs }, 'removed files left by interrupted generations');
    return { uploads, workDirs };
  }

  /** Orders left at "generating" by a job that failed for good without its failure hook: marked failed. */
  async reconcileFailedJobs(): Promise<number> {
    const keys = await this.deps.queue.failedJobKeys(GENERATION_JOB_KEY_PREFIX);
    const ids = keys.map((key) => Number(key.slice(GENERATION_JOB_KEY_PREFIX.length))).filter(Number.isSafeInteger);
    const fixed = await workorders.failGeneratingOrders(this.deps.db, ids, REPEATED_FAILURE_REASON);
    if (fixed > 0) this.deps.logger.warn({ fixed }, 'marked orders of failed generation jobs as failed');
    return fixed;
  }

  /** Called when the job has failed for good: the order shows status 5 (failed). */
  async markFailed(workorderId: number, error: Error): Promise<void> {
    await workorders.updateWorkorderGuarded(this.deps.db, workorderId, { codegenStatuses: [CODEGEN_STATUS.generating] }, {
      codegen_status: CODEGEN_STATUS.failed, codegen_error: failureReason(error), updated_date: this.now(),
    });
  }

  /**
   * Reserves the order's serial-number range once, even when two runs race: each takes a range from
   * the company's counter, but only the first to set the order's `serial_start` (a guarded update)
   * commits; the other rolls back, giving its range back, and uses the winner's.
   */
  private async reserveSerials(order: WorkorderRow): Promise<number | null> {
    if (order.use_serial_number !== 1) return null;
    if (order.serial_start !== null) return order.serial_start;
    const lost = new Error('serial range reserved by another run');
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const start = await companies.reserveSerialNumbers(trx, order.company_id, order.quantity);
        const set = await workorders.updateWorkorderGuarded(trx, order.id, { serialStartUnset: true }, { serial_start: start });
        if (!set) throw lost;
        return start;
      });
    } catch (error) {
      if (error !== lost) throw error;
      const current = await workorders.findWorkorderById(this.deps.db, order.id);
      if (current?.serial_start == null) throw new Error(`order ${order.id} has no serial range after a lost reservation`);
      return current.serial_start;
    }
  }

  /**
   * The order's codes in sequence order, in chunks: first those an earlier attempt committed (read
   * back), then new ones, each chunk yielded once it is committed. 'canceled' ends the stream when the
   * order stopped generating (the commit's guard refused).
   */
  private async *codeChunks(order: WorkorderRow, serialStart: number | null, signal: AbortSignal): AsyncGenerator<CodeChunk | 'canceled'> {
    const committed = order.codes_generated;
    for (let after = 0; after < committed;) {
      const page = await codes.listCodesAfter(this.deps.db, order.id, after, Math.min(READ_PAGE, committed - after));
      if (page.length === 0) throw new Error(`order ${order.id} reports ${committed} codes but has only ${after}`);
      yield page;
      after = page[page.length - 1]!.sequence_number;
    }
    const style = order.extended_id_style as ExtendedIdStyle;
    const randomBytes = pooledRandomBytes(this.deps.random);
    const creationDate = this.now();
    for (let generated = committed; generated < order.quantity;) {
      signal.throwIfAborted();
      // Chunks are aligned on COMMIT_CHUNK, so a resumed run commits the same ranges as a fresh one.
      const last = Math.min(order.quantity, (Math.floor(generated / COMMIT_CHUNK) + 1) * COMMIT_CHUNK);
      const rows: Array<NewCodeRow & { serial_number: string | null }> = [];
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
      const live = await this.deps.db.transaction().execute(async (trx) => {
        // The progress update doubles as the guard: a canceled order gets no more codes.
        const stillGenerating = await workorders.updateWorkorderGuarded(trx, order.id, { codegenStatuses: [CODEGEN_STATUS.generating] }, {
          codes_generated: last,
        });
        if (!stillGenerating) return false;
        await this.insertUnique(trx, rows, style, randomBytes);
        return true;
      });
      if (!live) {
        yield 'canceled';
        return;
      }
      yield rows;
      generated = last;
    }
  }

  /**
   * Inserts a chunk of codes; an extended ID that already exists anywhere is skipped by the insert and
   * drawn again (in `rows`, so the caller sees the final IDs). Rows go in in extended-ID order, which
   * keeps the unique index's page writes local.
   */
  private async insertUnique(trx: Executor, rows: NewCodeRow[], style: ExtendedIdStyle, randomBytes: (n: number) => Uint8Array): Promise<void> {
    let pending = rows;
    for (let round = 0; pending.length > 0; round++) {
      if (round === 10) throw new Error('could not draw unique extended IDs');
      const sorted = [...pending].sort((a, b) => (a.extended_id < b.extended_id ? -1 : 1));
      let inserted = 0;
      for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
        inserted += await codes.insertCodesSkippingConflicts(trx, sorted.slice(i, i + INSERT_CHUNK));
        // Between statements the event loop takes rendered batches and hands the threads their next ones.
        await yieldToEventLoop();
      }
      if (inserted === pending.length) return; // no ID was taken: the usual case
      const first = pending[0]!.sequence_number;
      const last = pending[pending.length - 1]!.sequence_number;
      const present = new Set(await codes.findSequencesInRange(trx, rows[0]!.workorder_id, first, last));
      pending = pending.filter((r) => !present.has(r.sequence_number));
      for (const row of pending) row.extended_id = generateExtendedId(style, randomBytes);
    }
  }

  private async writeArchive(
    order: WorkorderRow, render: RenderSettings, archiveKey: string, codeChunks: AsyncGenerator<CodeChunk | 'canceled'>, signal: AbortSignal,
  ) {
    const batches = planBatches(order.quantity);
    const digits = Math.max(7, String(order.quantity).length);
    const extension = `.${render.format}`;
    const renderer = this.deps.renderer;
    const builder = await ArchiveBuilder.create({
      blobs: this.deps.blobs,
      blobKey: archiveBlobKey(order.id, archiveKey),
      tmpDir: this.deps.tmpDir,
      mtime: this.deps.clock.now(),
      manifestHead: await this.manifestHead(order, render, batches),
    });
    const deflated = isDeflatedFormat(render.format);
    // A serialized graphic is keyed by each code's extended ID; otherwise the order shares one pattern.
    const sharedPatternId = order.is_fp_serialized === 1 ? null : `workorder:${order.id}`;
    // Batches render in the pool while earlier ones are written, in order, to the zip and codes.csv.
    const inFlight: Array<{ codes: CodeChunk; urls: string[]; batch: Promise<RenderedBatch> }> = [];
    // Deep enough that the render threads stay busy while this thread is inside a commit.
    const maxInFlight = Math.max(8, Math.ceil(COMMIT_CHUNK / RENDER_TASK));
    let rendered = 0;
    let lastProgress = Date.now();
    let lastYield = Date.now();

    const writeNext = async (): Promise<'ok' | 'canceled'> => {
      const next = inFlight.shift()!;
      const batch = await next.batch;
      const images = batch.images;
      let csv = '';
      for (let i = 0; i < next.codes.length; i++) {
        const code = next.codes[i]!;
        const name = `images/batch_${String(code.batch_number).padStart(4, '0')}/${String(code.sequence_number).padStart(digits, '0')}_${code.extended_id}${extension}`;
        const written = builder.addImage(name, images[i]!, deflated);
        if (written) await written;
        csv += codesCsvRow({
          extendedId: code.extended_id, serialNumber: code.serial_number, sequenceNumber: code.sequence_number,
          batchNumber: code.batch_number, url: next.urls[i]!,
        });
      }
      // The zip writer has copied every image: the batch's buffer can go back to the render threads.
      batch.release();
      await builder.appendCsv(csv);
      rendered += next.codes.length;
      if (Date.now() - lastYield >= YIELD_EVERY_MS) {
        // Results can arrive faster than the loop gives timers a turn; lease renewals and the API need one.
        await yieldToEventLoop();
        lastYield = Date.now();
        signal.throwIfAborted();
      }
      if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = Date.now();
        const live = await workorders.updateWorkorderGuarded(this.deps.db, order.id,
          { codegenStatuses: [CODEGEN_STATUS.generating] }, { images_rendered: rendered });
        if (!live) return 'canceled';
      }
      return 'ok';
    };

    try {
      await builder.appendCsv(CODES_CSV_HEADER);
      for await (const page of codeChunks) {
        if (page === 'canceled') return await this.abortArchive(builder);
        for (let i = 0; i < page.length; i += RENDER_TASK) {
          while (inFlight.length >= maxInFlight) {
            if ((await writeNext()) === 'canceled') return await this.abortArchive(builder);
          }
          const chunk = page.slice(i, i + RENDER_TASK);
          const urls = chunk.map((c) => order.url_prefix + c.extended_id);
          const batch = renderer.render({
            plan: render.plan,
            format: render.format,
            urls,
            patternIds: render.plan.graphic === null ? null : sharedPatternId ?? chunk.map((c) => c.extended_id),
          });
          // Awaited in order later; until then a failure must not count as unhandled.
          batch.catch(() => undefined);
          inFlight.push({ codes: chunk, urls, batch });
        }
      }
      while (inFlight.length > 0) {
        if ((await writeNext()) === 'canceled') return await this.abortArchive(builder);
      }
      if (rendered !== order.quantity) throw new Error(`archive has ${rendered} codes, expected ${order.quantity}`);
      return await builder.finish();
    } catch (error) {
      await builder.abort();
      throw error;
    } finally {
      await codeChunks.return(undefined);
    }
  }

  private async abortArchive(builder: ArchiveBuilder): Promise<'canceled'> {
    await builder.abort();
    return 'canceled';
  }

  private async manifestHead(order: WorkorderRow, render: RenderSettings, batches: ReturnType<typeof planBatches>) {
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
      format: 'sigil-workorder-archive/2',
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
        dpi: render.plan.dpi,
      },
      layout: render.plan,
      images: {
        format: render.format,
        width_dots: render.plan.width,
        height_dots: render.plan.height,
        naming: `images/batch_NNNN/<sequence, ${Math.max(7, String(order.quantity).length)} digits>_<extended_id>.${render.format}`,
        integrity: 'CRC-32 of every image in the zip central directory; SHA-256 of the whole archive in the work order',
      },
      counts: { codes: order.quantity, images: order.quantity, batches: batches.length, max_batch_size: MAX_BATCH_SIZE },
      batches: batches.map((b) => ({
        batch_number: b.batchNumber,
        first_sequence: b.firstSequence,
        last_sequence: b.lastSequence,
        count: b.lastSequence - b.firstSequence + 1,
        folder: `images/batch_${String(b.batchNumber).padStart(4, '0')}/`,
      })),
      checksums: 'SHA-256 and size of codes.csv, listed under "files"',
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
      // Completed at once: its codes take their status in a job of their own (in chunks), committed with the state.
      if (updated && goesStraightToCompleted) {
        await this.deps.queue.enqueue(trx, 'sync-code-status', { workorderId: order.id }, { jobKey: codeStatusJobKey(order.id) });
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

/**
 * The reason a failed order shows its users (`codegen_error`): a permanent error explains itself (the
 * order cannot be planned); anything else failed repeatedly for reasons of the platform's own, whose
 * details (paths, hosts, SQL) belong in the operators' log, not in the API.
 */
export function failureReason(error: Error): string {
  return error instanceof PermanentJobError ? error.message.slice(0, 500) : REPEATED_FAILURE_REASON;
}

const REPEATED_FAILURE_REASON = 'Generation failed after repeated errors on the platform; the operators have the details in the server log. '
  + 'Cancel the order and order it again.';

/** Serial numbers are sequential per brand owner, zero-padded to 10 digits (e.g. 0000000042). */
export function formatSerial(value: number): string {
  return String(value).padStart(10, '0');
}
