import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { promisify } from 'node:util';
import { constants as zlibConstants, crc32, deflateRaw } from 'node:zlib';
import type { Executor } from '../../db/database.js';
import { CODE_SEQUENCE_UNIQUE, isUniqueViolation } from '../../db/db-errors.js';
import type { CodeInserter } from '../../db/dialects/dialect.types.js';
import * as codes from '../../db/repositories/codes.repository.js';
import * as generation from '../../db/repositories/generation.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { CodeRow, NewCodeRow, WorkorderRow } from '../../db/tables/workorders.table.js';
import { batchNumberOf } from '../../codegen/batches.js';
import { CODES_CSV_HEADER } from '../../codegen/csv/codes-csv.js';
import { encodeCodesCsvLines } from '../../codegen/csv/codes-csv-encoder.js';
import { generateExtendedId, type ExtendedIdStyle } from '../../codegen/ids/extended-id.js';
import { sortByExtendedId } from '../../codegen/ids/sort-by-extended-id.js';
import type { ImageFormat, RenderPlan } from '../../codegen/render/index.js';
import { isDeflatedFormat } from '../../codegen/render/render-batch.js';
import { FragmentDirectoryBuilder } from '../../codegen/zip/fragment-directory.js';
import { StreamingZipWriter } from '../../codegen/zip/streaming-zip-writer.js';
import { METHOD_DEFLATE, METHOD_STORE, toDosDateTime } from '../../codegen/zip/zip-records.js';
import { assembleJobKey } from '../../jobs/job-types.js';
import { isoMicros } from '../../shared/clock.js';
import { pooledRandomBytes, randomAlphanumeric } from '../../shared/random.js';
import type { BlobUpload } from '../../storage/blob-store.js';
import { ACTIVATION, CODEGEN_STATUS } from '../workorders/workorder.types.js';
import { fragmentKey, fragmentKeyPrefix, imageEntryName, parseGenerationPlan, type GenerationPlan } from './generation-plan.js';
import type { ImageRenderer, RenderedBatch } from './render-pool.js';
import type { ArchiveAssemblerDeps } from './archive-assembler.js';

export interface BatchGeneratorDeps extends ArchiveAssemblerDeps {
  renderer: ImageRenderer;
  insertCodes: CodeInserter;
}

/** Codes per render task sent to the pool: large enough to amortise the hand-off, small enough to spread. */
const RENDER_TASK = 256;
/**
 * Render tasks in flight per batch: enough to keep the threads busy (each keeps 4 queued) while this
 * thread inserts codes; a process runs two batches at once by default, so twice this in all.
 */
const MAX_IN_FLIGHT = 16;
/** The fragment writer's staging buffer: a fragment is written sequentially, large writes gain nothing more. */
const FRAGMENT_STAGING_BYTES = 512 * 1024;
/** A running batch checks this often that its order still generates (a canceled order's batches stop). */
const LIVENESS_CHECK_MS = 1000;
/** The fragment loop yields to the event loop this often, so the API and lease renewals keep going. */
const YIELD_EVERY_MS = 20;

export type BatchOutcome = 'done' | 'already-done' | 'canceled' | 'skipped';

type BatchCode = Pick<CodeRow, 'sequence_number' | 'batch_number' | 'extended_id' | 'serial_number'>;

/** What the insert of a batch's freshly drawn codes came to. */
type Insertion = 'inserted' | 'redrawn' | 'taken' | 'canceled';

/** A batch's pieces of the archive, written but not yet published. */
interface WrittenPieces {
  /** The images' entries; null for an order without images (its batches store codes.csv lines only). */
  fragment: WrittenFragment | null;
  /** The directory records of the fragment's entries, then the batch's part of codes.csv (deflated). */
  directory: { upload: BlobUpload; key: string; recordsSize: number };
  csv: { size: number; deflatedSize: number; crc32: number };
}

interface WrittenFragment {
  upload: BlobUpload;
  key: string;
  size: number;
}

/** The directory records of a batch without images: none. */
const NO_RECORDS = Buffer.alloc(0);

const deflateRawAsync = promisify(deflateRaw);
/** codes.csv is compressed at level 1: 2–3× faster than the default for text this repetitive, at ≈ 5% more bytes. */
const CSV_DEFLATE_LEVEL = 1;
/**
 * Output chunk of that compression (it runs on libuv's pool): a batch's ≈ 0.5 MB in one or two chunks
 * instead of thirty of the default 16 KiB, each a callback on the main thread, which inserts the codes.
 */
const CSV_DEFLATE_CHUNK = 1024 * 1024;

/**
 * The batch job: draws, stores and renders one batch of an order's codes and stores the batch's pieces
 * of the archive: its fragment (the images' local zip entries), and beside it their central-directory
 * records and the batch's lines of codes.csv, so that the assembly only concatenates.
 *
 * Idempotent and fenced: the codes go in with one transaction per batch, so a batch has all its codes or
 * none; a run that finds them reads them back and never redraws; a twin run that inserts at the same
 * time fails on the (order, sequence) key and reads back the winner's codes. Images are rendered while
 * the codes are being inserted and published only once the insert has committed the very IDs they
 * show. The batch that completes the order's set enqueues the assembly, in the same transaction.
 */
export class BatchGenerator {
  constructor(private readonly deps: BatchGeneratorDeps) {}

  async run(workorderId: number, batchNumber: number, signal: AbortSignal): Promise<BatchOutcome> {
    const order = await workorders.findWorkorderById(this.deps.db, workorderId);
    if (!order || order.state === 'canceled' || order.codegen_status !== CODEGEN_STATUS.generating) return 'skipped';
    const plan = parseGenerationPlan(order);
    const batch = await generation.findBatch(this.deps.db, workorderId, batchNumber);
    if (!batch) throw new Error(`order ${workorderId} has no batch ${batchNumber}`);
    if (batch.done_date !== null) return 'already-done';
    const count = batch.last_sequence - batch.first_sequence + 1;

    let rows: BatchCode[] = await codes.listCodesInRange(this.deps.db, workorderId, batch.first_sequence, batch.last_sequence);
    let insertion: Promise<Insertion> | null = null;
    if (rows.length === 0) {
      const randomBytes = pooledRandomBytes(this.deps.random);
      const drawn = this.draw(order, batch.first_sequence, batch.last_sequence, randomBytes);
      rows = drawn;
      insertion = this.insert(order, drawn, randomBytes);
      insertion.catch(() => undefined); // awaited below, whatever the fragment does
    } else if (rows.length !== count) {
      throw new Error(`batch ${batchNumber} of order ${workorderId} has ${rows.length} of its ${count} codes`);
    }

    for (;;) {
      let pieces: WrittenPieces | 'canceled';
      try {
        pieces = await this.writePieces(order, plan, batchNumber, rows, signal);
      } finally {
        // Never leave the insert running on its own: its outcome decides what the fragment is worth.
        if (insertion) await insertion.catch(() => undefined);
      }
      const inserted = insertion ? await insertion : 'inserted';
      insertion = null;
      if (pieces === 'canceled' || inserted === 'canceled') {
        if (pieces !== 'canceled') await this.abandon(pieces);
        return 'canceled';
      }
      if (inserted === 'inserted') return this.publish(order, batchNumber, count, pieces);
      // The pieces show IDs that are not (all) the stored ones: write them again from what the database holds.
      await this.abandon(pieces);
      rows = await codes.listCodesInRange(this.deps.db, workorderId, batch.first_sequence, batch.last_sequence);
      if (rows.length !== count) throw new Error(`batch ${batchNumber} of order ${workorderId} has ${rows.length} of its ${count} codes`);
    }
  }

  private draw(order: WorkorderRow, first: number, last: number, randomBytes: (n: number) => Uint8Array): Array<NewCodeRow & BatchCode> {
    const style = order.extended_id_style as ExtendedIdStyle;
    const creationDate = isoMicros(this.deps.clock.now());
    const serialStart = order.use_serial_number === 1 ? order.serial_start : null;
    if (order.use_serial_number === 1 && serialStart === null) throw new Error(`order ${order.id} has no serial range`);
    const rows: Array<NewCodeRow & BatchCode> = new Array(last - first + 1);
    for (let sequence = first; sequence <= last; sequence++) {
      rows[sequence - first] = {
        workorder_id: order.id,
        sequence_number: sequence,
        batch_number: batchNumberOf(sequence),
        extended_id: generateExtendedId(style, randomBytes),
        serial_number: serialStart === null ? null : formatSerial(serialStart + sequence - 1),
        activation_status: ACTIVATION.inactive,
        blacklist_reason: 0,
        creation_date: creationDate,
      };
    }
    return rows;
  }

  /**
   * Inserts a batch's codes and counts them in the order's progress, in one transaction: all or none.
   * An extended ID that exists anywhere is skipped and drawn again (in `rows`: 'redrawn'); a sequence
   * number the order already has means a twin run stored this batch first ('taken').
   */
  private async insert(order: WorkorderRow, rows: Array<NewCodeRow & BatchCode>, randomBytes: (n: number) => Uint8Array): Promise<Insertion> {
    const canceled = new Error('order no longer generating');
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const live = await workorders.addGenerationProgress(trx, order.id, { codes: rows.length });
        if (!live) throw canceled;
        return (await this.insertUnique(trx, order, rows, randomBytes)) ? 'redrawn' : 'inserted';
      });
    } catch (error) {
      if (error === canceled) return 'canceled';
      if (isUniqueViolation(error, CODE_SEQUENCE_UNIQUE)) return 'taken';
      throw error;
    }
  }

  /** Inserts in extended-ID order (index writes stay local); true when some IDs had to be drawn again. */
  private async insertUnique(
    trx: Executor, order: WorkorderRow, rows: Array<NewCodeRow & BatchCode>, randomBytes: (n: number) => Uint8Array,
  ): Promise<boolean> {
    const style = order.extended_id_style as ExtendedIdStyle;
    let pending = rows;
    for (let round = 0; pending.length > 0; round++) {
      if (round === 10) throw new Error('could not draw unique extended IDs');
      const inserted = await this.deps.insertCodes(trx, sortByExtendedId(pending));
      if (inserted === pending.length) return round > 0;
      const present = new Set(await codes.findSequencesInRange(trx, order.id, rows[0]!.sequence_number, rows[rows.length - 1]!.sequence_number));
      pending = pending.filter((r) => !present.has(r.sequence_number));
      for (const row of pending) row.extended_id = generateExtendedId(style, randomBytes);
    }
    return true;
  }

  /**
   * Renders the codes' images into a new fragment upload, then writes the directory piece (records and
   * codes.csv lines) into another; both written, neither committed. Or 'canceled'. An order without
   * images has no fragment: its directory piece holds no records, only the codes.csv lines, and no
   * render thread is asked for anything.
   */
  private async writePieces(
    order: WorkorderRow, plan: GenerationPlan, batchNumber: number, rows: readonly BatchCode[], signal: AbortSignal,
  ): Promise<WrittenPieces | 'canceled'> {
    // The directory piece is named after the fragment (even where there is none), so that the uploads of a
    // crashed run of this batch share the batch's key prefix and are discarded with it.
    const key = fragmentKey(order.id, order.archive_key!, batchNumber, randomAlphanumeric(this.deps.random, 10));
    const render = plan.render;
    let fragment: WrittenFragment | null = null;
    let records: Buffer = NO_RECORDS;
    if (render.format !== 'none') {
      const written = await this.writeFragment(order, plan, render, key, batchNumber, rows, signal);
      if (written === 'canceled') return 'canceled';
      ({ fragment, records } = written);
    }
    try {
      signal.throwIfAborted();
      const written = await this.writeDirectoryPiece(order, `${key}.dir`, batchNumber, rows, records);
      return { fragment, ...written };
    } catch (error) {
      if (fragment) await this.deps.uploads.abandon(fragment.upload);
      throw error;
    }
  }

  /** Renders the codes' images into a new fragment upload (written, not committed), with their directory records. */
  private async writeFragment(
    order: WorkorderRow, plan: GenerationPlan, render: { plan: RenderPlan; format: ImageFormat }, key: string, batchNumber: number,
    rows: readonly BatchCode[], signal: AbortSignal,
  ): Promise<{ fragment: WrittenFragment; records: Buffer } | 'canceled'> {
    const upload = await this.deps.uploads.start(order.id, key);
    const zip = await StreamingZipWriter.create({
      output: upload.stream, mtime: new Date(plan.mtime), centralDirectory: false, stagingBytes: FRAGMENT_STAGING_BYTES,
    });
    const directory = new FragmentDirectoryBuilder(toDosDateTime(new Date(plan.mtime)), rows.length);
    const deflated = isDeflatedFormat(render.format);
    const method = deflated ? METHOD_DEFLATE : METHOD_STORE;
    const renderPlan = render.plan;
    // A serialized graphic is keyed by each code's extended ID; otherwise the order shares one pattern.
    const sharedPatternId = order.is_fp_serialized === 1 ? null : `workorder:${order.id}`;
    const inFlight: Array<{ codes: readonly BatchCode[]; batch: Promise<RenderedBatch> }> = [];
    let next = 0;
    let lastCheck = Date.now();
    let lastYield = Date.now();
    const submit = () => {
      const chunk = rows.slice(next, next + RENDER_TASK);
      next += chunk.length;
      const batch = this.deps.renderer.render({
        plan: renderPlan,
        format: render.format,
        urls: chunk.map((c) => order.url_prefix + c.extended_id),
        patternIds: renderPlan.graphic === null ? null : sharedPatternId ?? chunk.map((c) => c.extended_id),
      });
      batch.catch(() => undefined); // awaited in order below
      inFlight.push({ codes: chunk, batch });
    };
    let fragmentSize: number;
    try {
      while (next < rows.length || inFlight.length > 0) {
        while (next < rows.length && inFlight.length < MAX_IN_FLIGHT) submit();
        const { codes: chunk, batch } = inFlight.shift()!;
        const rendered = await batch;
        try {
          for (let i = 0; i < chunk.length; i++) {
            const image = rendered.images[i]!;
            const name = imageEntryName(plan, render.format, chunk[i]!);
            const wait = deflated ? zip.addDeflated(name, image.data, image.crc32, image.size) : zip.addStored(name, image.data, image.crc32);
            if (wait) await wait;
            directory.add(name, method, image.crc32, image.data.byteLength, image.size);
          }
        } finally {
          rendered.release();
        }
        if (Date.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = Date.now();
          signal.throwIfAborted();
        }
        if (Date.now() - lastCheck >= LIVENESS_CHECK_MS) {
          lastCheck = Date.now();
          if (!(await this.stillGenerating(order.id))) {
            await zip.abort();
            await this.deps.uploads.abandon(upload);
            return 'canceled';
          }
        }
      }
      fragmentSize = (await zip.finish()).bytes;
      if (fragmentSize !== directory.fragmentSize) throw new Error(`fragment of batch ${batchNumber} has ${fragmentSize} bytes, its directory says ${directory.fragmentSize}`);
    } catch (error) {
      await zip.abort();
      await this.deps.uploads.abandon(upload);
      // Renders already handed out finish on their own; give their buffers back.
      for (const pending of inFlight) pending.batch.then((b) => b.release(), () => undefined);
      throw error;
    }
    return { fragment: { upload, key, size: fragmentSize }, records: directory.records() };
  }

  /** The directory records, then the batch's lines of codes.csv as raw DEFLATE ending in a sync flush (so the pieces concatenate). */
  private async writeDirectoryPiece(
    order: WorkorderRow, key: string, batchNumber: number, rows: readonly BatchCode[], records: Buffer,
  ): Promise<Pick<WrittenPieces, 'directory' | 'csv'>> {
    const csv = encodeCodesCsvLines(order.url_prefix, rows, batchNumber === 1 ? CODES_CSV_HEADER : '');
    const compressed = await deflateRawAsync(csv, { level: CSV_DEFLATE_LEVEL, finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: CSV_DEFLATE_CHUNK });
    const upload = await this.deps.uploads.start(order.id, key);
    try {
      upload.stream.write(records);
      upload.stream.end(compressed);
      return {
        directory: { upload, key, recordsSize: records.length },
        csv: { size: csv.length, deflatedSize: compressed.length, crc32: crc32(csv) },
      };
    } catch (error) {
      await this.deps.uploads.abandon(upload);
      throw error;
    }
  }

  private async abandon(pieces: WrittenPieces): Promise<void> {
    if (pieces.fragment) await this.deps.uploads.abandon(pieces.fragment.upload);
    await this.deps.uploads.abandon(pieces.directory.upload);
  }

  private async stillGenerating(workorderId: number): Promise<boolean> {
    const current = await workorders.findWorkorderById(this.deps.db, workorderId);
    return current?.codegen_status === CODEGEN_STATUS.generating;
  }

  /**
   * Publishes the batch's pieces and records the batch as done, with the order's progress; the batch that
   * completes the set enqueues the assembly in the same transaction (exactly one does).
   */
  private async publish(order: WorkorderRow, batchNumber: number, count: number, pieces: WrittenPieces): Promise<BatchOutcome> {
    const { fragment, directory } = pieces;
    try {
      await fragment?.upload.commit();
      await directory.upload.commit();
    } catch (error) {
      await this.abandon(pieces);
      if (fragment) await this.deps.blobs.delete(fragment.key);
      throw error;
    }
    const canceled = new Error('order no longer generating');
    let outcome: BatchOutcome;
    try {
      outcome = await this.deps.db.transaction().execute(async (trx) => {
        const marked = await generation.markBatchDone(trx, order.id, batchNumber, {
          fragmentKey: fragment?.key ?? null, fragmentSize: fragment?.size ?? 0,
          directoryKey: directory.key, directorySize: directory.recordsSize,
          csvSize: pieces.csv.size, csvDeflatedSize: pieces.csv.deflatedSize, csvCrc32: pieces.csv.crc32,
          doneDate: isoMicros(this.deps.clock.now()),
        });
        if (fragment) await generation.forgetUpload(trx, fragment.upload.uploadId);
        await generation.forgetUpload(trx, directory.upload.uploadId);
        if (!marked) return 'already-done' as const;
        const progress = await workorders.addGenerationProgress(trx, order.id, { images: fragment ? count : 0, batches: 1 });
        if (!progress) throw canceled;
        if (progress.batches_done === progress.batch_count) {
          await this.deps.queue.enqueue(trx, 'assemble-archive', { workorderId: order.id }, { jobKey: assembleJobKey(order.id) });
        }
        return 'done' as const;
      });
    } catch (error) {
      if (error !== canceled) throw error;
      outcome = 'canceled';
    }
    if (outcome !== 'done') {
      // A twin run's pieces are the batch's, or the order is canceled: these are not needed.
      if (fragment) await this.deps.blobs.delete(fragment.key);
      await this.deps.blobs.delete(directory.key);
      if (fragment) await generation.forgetUpload(this.deps.db, fragment.upload.uploadId);
      await generation.forgetUpload(this.deps.db, directory.upload.uploadId);
      return outcome;
    }
    // Runs of this batch that crashed left uploads behind: they are not needed any more.
    await this.deps.uploads.discard(order.id, { keyPrefix: fragmentKeyPrefix(order.id, order.archive_key!, batchNumber) });
    return 'done';
  }
}

/** Serial numbers are sequential per brand owner, zero-padded to 10 digits (e.g. 0000000042). */
export function formatSerial(value: number): string {
  return String(value).padStart(10, '0');
}
