import type { Db } from '../../db/database.js';
import type { CodeInserter } from '../../db/dialects/dialect.types.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import * as companies from '../../db/repositories/companies.repository.js';
import * as generation from '../../db/repositories/generation.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import { MAX_BATCH_SIZE, planBatches } from '../../codegen/batches.js';
import { batchJobKey, GENERATION_JOBS, PermanentJobError, workorderOfJobKey } from '../../jobs/job-types.js';
import type { JobQueue } from '../../jobs/queue.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { randomAlphanumeric, type Random } from '../../shared/random.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { deleteArchivePieces } from '../workorders/workorder-archive.js';
import { CODEGEN_STATUS } from '../workorders/workorder.types.js';
import { ArchiveAssembler, type AssemblyOutcome } from './archive-assembler.js';
import { BatchGenerator, type BatchOutcome } from './batch-generator.js';
import type { GenerationPlan } from './generation-plan.js';
import { loadRenderSettings, type RenderSettings } from './render-settings.js';
import type { ImageRenderer } from './render-pool.js';
import { TrackedUploads } from './tracked-uploads.js';

export interface CodeGenerationDeps {
  db: Db;
  clock: Clock;
  random: Random;
  blobs: BlobStore;
  queue: JobQueue;
  renderer: ImageRenderer;
  logger: Logger;
  /** The engine's bulk insert for codes. */
  insertCodes: CodeInserter;
}

export type PlanOutcome = 'planned' | 'already-planned' | 'skipped';

/**
 * An order's generation, in three kinds of job: plan (this class) → one batch job per ≤ 20 000 codes
 * ({@link BatchGenerator}) → assemble ({@link ArchiveAssembler}), enqueued by the last batch to finish.
 * The same jobs run on the embedded runner and on graphile-worker, on one machine or many.
 */
export class CodeGenerationService {
  readonly uploads: TrackedUploads;
  private readonly batches: BatchGenerator;
  private readonly assembler: ArchiveAssembler;

  constructor(private readonly deps: CodeGenerationDeps) {
    this.uploads = new TrackedUploads(deps);
    this.batches = new BatchGenerator({ ...deps, uploads: this.uploads });
    this.assembler = new ArchiveAssembler({ ...deps, uploads: this.uploads });
  }

  /**
   * Fixes, in one transaction, everything the archive depends on — render plan and image format, archive
   * key and file times, manifest, serial range, batch list — and enqueues one job per batch. A run that
   * finds the order planned does nothing: the transaction that planned it enqueued the batches.
   */
  async plan(workorderId: number): Promise<PlanOutcome> {
    const order = await workorders.findWorkorderById(this.deps.db, workorderId);
    if (!order || order.state === 'canceled' || order.codegen_status !== CODEGEN_STATUS.generating) return 'skipped';
    if (order.generation_plan !== null) return 'already-planned';
    let render: RenderSettings;
    try {
      render = await loadRenderSettings(this.deps.db, order);
    } catch (error) {
      throw new PermanentJobError(`cannot plan images: ${(error as Error).message}`, { cause: error });
    }
    const batches = planBatches(order.quantity);
    const now = this.deps.clock.now();
    const plan: GenerationPlan = {
      render,
      mtime: now.toISOString(),
      sequenceDigits: Math.max(7, String(order.quantity).length),
      manifest: await this.manifestHead(order, render, batches, isoMicros(now)),
    };
    const lost = new Error('planned by another run');
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const serialStart = order.use_serial_number === 1 ? await companies.reserveSerialNumbers(trx, order.company_id, order.quantity) : null;
        const planned = await workorders.updateWorkorderGuarded(trx, order.id, { codegenStatuses: [CODEGEN_STATUS.generating], planUnset: true }, {
          generation_plan: JSON.stringify(plan),
          archive_key: randomAlphanumeric(this.deps.random, 12),
          serial_start: serialStart,
          batch_count: batches.length,
        });
        // Lost to a twin run (or the order was canceled): roll back, giving the serial range back.
        if (!planned) throw lost;
        await generation.insertBatches(trx, order.id, batches);
        for (const batch of batches) {
          await this.deps.queue.enqueue(trx, 'generate-batch', { workorderId: order.id, batchNumber: batch.batchNumber }, {
            jobKey: batchJobKey(order.id, batch.batchNumber),
          });
        }
      });
    } catch (error) {
      if (error === lost) return 'skipped';
      throw error;
    }
    this.deps.logger.info({ workorder: order.id, quantity: order.quantity, batches: batches.length, format: render.format }, 'generation planned');
    return 'planned';
  }

  runBatch(workorderId: number, batchNumber: number, signal: AbortSignal): Promise<BatchOutcome> {
    return this.batches.run(workorderId, batchNumber, signal);
  }

  assemble(workorderId: number, signal: AbortSignal): Promise<AssemblyOutcome> {
    return this.assembler.assemble(workorderId, signal);
  }

  /**
   * Removes what a canceled order left in the blob store: every batch's pieces, the archive's end and
   * any upload still recorded (aborted, and its blob deleted if it was published).
   */
  async discard(workorderId: number): Promise<{ blobs: number }> {
    const order = await workorders.findWorkorderById(this.deps.db, workorderId);
    if (!order || order.state !== 'canceled') return { blobs: 0 };
    const removed = await this.uploads.discard(workorderId);
    return { blobs: removed + await deleteArchivePieces(this.deps.db, this.deps.blobs, order) };
  }

  /** Orders left at "generating" by a job that failed for good without its failure hook: marked failed. */
  async reconcileFailedJobs(): Promise<number> {
    const ids = new Set<number>();
    for (const name of GENERATION_JOBS) {
      for (const key of await this.deps.queue.failedJobKeys(`${name}:`)) {
        const id = workorderOfJobKey(key);
        if (id !== null) ids.add(id);
      }
    }
    const fixed = await workorders.failGeneratingOrders(this.deps.db, [...ids], REPEATED_FAILURE_REASON);
    if (fixed > 0) this.deps.logger.warn({ fixed }, 'marked orders of failed generation jobs as failed');
    return fixed;
  }

  /** Called when a generation job has failed for good: the order shows status 5 (failed). */
  async markFailed(workorderId: number, error: Error): Promise<void> {
    await workorders.updateWorkorderGuarded(this.deps.db, workorderId, { codegenStatuses: [CODEGEN_STATUS.generating] }, {
      codegen_status: CODEGEN_STATUS.failed, codegen_error: failureReason(error), updated_date: isoMicros(this.deps.clock.now()),
    });
  }

  private async manifestHead(order: WorkorderRow, render: RenderSettings, batches: ReturnType<typeof planBatches>, generatedAt: string) {
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
      generated_at: generatedAt,
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
        dpi: render.plan === null ? null : render.plan.dpi,
      },
      layout: render.plan,
      images: render.plan === null ? {
        format: 'none',
        note: 'No images: codes.csv lists every code with its URL, from which the printer\'s software draws the QR code.'
          + (order.kind === 'ssc' ? ' No secure graphic either: it exists only in images Sigil renders.' : ''),
      } : {
        format: render.format,
        width_dots: render.plan.width,
        height_dots: render.plan.height,
        naming: `images/batch_NNNN/<sequence, ${Math.max(7, String(order.quantity).length)} digits>_<extended_id>.${render.format}`,
        integrity: 'CRC-32 of every image in the zip central directory; SHA-256 of the whole archive in the work order',
      },
      counts: {
        codes: order.quantity, images: render.plan === null ? 0 : order.quantity, batches: batches.length, max_batch_size: MAX_BATCH_SIZE,
      },
      batches: batches.map((b) => ({
        batch_number: b.batchNumber,
        first_sequence: b.firstSequence,
        last_sequence: b.lastSequence,
        count: b.lastSequence - b.firstSequence + 1,
        ...(render.plan === null ? {} : { folder: `images/batch_${String(b.batchNumber).padStart(4, '0')}/` }),
      })),
      checksums: 'SHA-256 and size of codes.csv, listed under "files"',
    };
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

