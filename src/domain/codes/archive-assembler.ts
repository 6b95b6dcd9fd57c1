import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { Db } from '../../db/database.js';
import * as codes from '../../db/repositories/codes.repository.js';
import * as generation from '../../db/repositories/generation.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import { crc32Combine } from '../../codegen/zip/crc32-combine.js';
import { rebaseDirectory, rebasedLength } from '../../codegen/zip/fragment-directory.js';
import { StreamingZipWriter, type DirectoryPiece } from '../../codegen/zip/streaming-zip-writer.js';
import { codeStatusJobKey } from '../../jobs/job-types.js';
import type { JobQueue } from '../../jobs/queue.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import { randomAlphanumeric, type Random } from '../../shared/random.js';
import { MissingBlobError, type BlobPart } from '../../storage/blob-parts.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { CODEGEN_STATUS } from '../workorders/workorder.types.js';
import { parseGenerationPlan, tailKey } from './generation-plan.js';
import type { TrackedUploads } from './tracked-uploads.js';

export interface ArchiveAssemblerDeps {
  db: Db;
  clock: Clock;
  random: Random;
  blobs: BlobStore;
  queue: JobQueue;
  uploads: TrackedUploads;
}

/**
 * Output chunk of the inflation that checks codes.csv (≈ 90 MB a million codes): each chunk is a callback
 * on this thread, 5 600 of them at the default 16 KiB.
 */
const INFLATE_CHUNK = 1024 * 1024;

/** A raw-DEFLATE block that ends the stream: an empty final block with fixed codes. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

export type AssemblyOutcome = 'generated' | 'canceled' | 'skipped';

/** A batch whose pieces are stored; an order without images has no fragments (key null, size 0). */
type DoneBatch = generation.BatchRow & {
  fragment_key: string | null; fragment_size: number; directory_key: string; directory_size: number;
  csv_size: number; csv_deflated_size: number; csv_crc32: number;
};

/**
 * The assemble job: once every batch has stored its pieces, writes the archive's end as one more blob —
 * codes.csv (the batches' deflated parts back to back, CRC-32s combined), manifest.json, and the
 * central directory (the batches' records, shifted to where each fragment lies). The archive is the
 * fragments in batch order followed by that end: downloads stream the parts in turn, so no image is
 * copied again. Checked on the way: every fragment measures what its records say, codes.csv inflates to
 * the size the batches stored and the database holds every code; the archive's SHA-256 is computed by
 * reading the fragments back while the end is written.
 */
export class ArchiveAssembler {
  constructor(private readonly deps: ArchiveAssemblerDeps) {}

  async assemble(workorderId: number, signal: AbortSignal): Promise<AssemblyOutcome> {
    const order = await workorders.findWorkorderById(this.deps.db, workorderId);
    if (!order || order.state === 'canceled' || order.codegen_status !== CODEGEN_STATUS.generating) return 'skipped';
    const plan = parseGenerationPlan(order);
    const withImages = plan.render.format !== 'none';
    const batches = (await generation.listBatches(this.deps.db, workorderId)).map((batch) => {
      if (batch.done_date === null || batch.directory_key === null || (withImages && batch.fragment_key === null)) {
        throw new Error(`order ${workorderId}: batch ${batch.batch_number} is not done; the archive cannot be assembled yet`);
      }
      if (!withImages && (batch.fragment_key !== null || batch.fragment_size !== 0 || batch.directory_size !== 0)) {
        throw new Error(`order ${workorderId} has no images, yet batch ${batch.batch_number} stored image entries`);
      }
      return batch as DoneBatch;
    });
    const stored = await codes.countCodes(this.deps.db, workorderId);
    if (stored !== order.quantity) throw new Error(`order ${workorderId} holds ${stored} codes, expected ${order.quantity}`);
    const fragments: BlobPart[] = batches.flatMap((b) => (b.fragment_key === null ? [] : [{ key: b.fragment_key, size: b.fragment_size }]));
    const fragmentBytes = fragments.reduce((sum, f) => sum + f.size, 0);
    // Hashing the fragments (reading them back) runs while the end is written.
    const fragmentsHashed = hashParts(this.deps.blobs, fragments, createHash('sha256'));
    fragmentsHashed.catch(() => undefined);

    const key = tailKey(order.id, order.archive_key!, randomAlphanumeric(this.deps.random, 10));
    const upload = await this.deps.uploads.start(workorderId, key);
    const zip = await StreamingZipWriter.create({ output: upload.stream, mtime: new Date(plan.mtime), startOffset: fragmentBytes });
    let tail;
    try {
      const csv = await this.addCodesCsv(zip, batches, signal);
      const manifest = { ...plan.manifest, files: [{ path: 'codes.csv', size: csv.size, sha256: csv.sha256 }] };
      await zip.addDeflatedStream('manifest.json', Readable.from([Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8')]));
      tail = await zip.finish({ leadingDirectory: this.directory(batches, withImages, signal) });
      await upload.commit();
    } catch (error) {
      await zip.abort();
      await this.deps.uploads.abandon(upload);
      throw error;
    }
    const entries = (withImages ? order.quantity : 0) + 2;
    if (tail.entries !== entries) throw new Error(`archive of order ${workorderId} has ${tail.entries} entries, expected ${entries}`);
    // Without fragments (an order without images) the archive is the end alone, which the writer hashed
    // as it wrote it; otherwise the end is read back after the fragments, into their hash.
    const sha256 = fragments.length === 0
      ? (await fragmentsHashed, tail.sha256)
      : (await hashParts(this.deps.blobs, [{ key, size: tail.bytes }], await fragmentsHashed)).digest('hex');
    return this.finish(order, key, upload.uploadId, { size: fragmentBytes + tail.bytes, sha256 });
  }

  /**
   * codes.csv: the batches' deflated parts copied one after the other and closed with a final empty
   * block, its CRC-32 combined from theirs. The text is inflated on the way (off this thread) for its
   * SHA-256 and checked against the sizes the batches stored.
   */
  private async addCodesCsv(zip: StreamingZipWriter, batches: DoneBatch[], signal: AbortSignal): Promise<{ size: number; sha256: string }> {
    let crc = 0;
    let size = 0;
    for (const batch of batches) {
      crc = size === 0 ? batch.csv_crc32 : crc32Combine(crc, batch.csv_crc32, batch.csv_size);
      size += batch.csv_size;
    }
    const hash = createHash('sha256');
    let inflated = 0;
    const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    inflate.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      inflated += chunk.length;
    });
    const inflatedAll = once(inflate, 'end');
    inflatedAll.catch(() => undefined);
    const blobs = this.deps.blobs;
    async function* compressed(): AsyncGenerator<Uint8Array> {
      for (const batch of batches) {
        signal.throwIfAborted();
        const range = { start: batch.directory_size, end: batch.directory_size + batch.csv_deflated_size - 1 };
        for await (const chunk of await openRange(blobs, batch.directory_key, range)) {
          if (!inflate.write(chunk)) await once(inflate, 'drain');
          yield chunk as Buffer;
        }
      }
      inflate.end(FINAL_EMPTY_BLOCK);
      yield FINAL_EMPTY_BLOCK;
    }
    try {
      await zip.addPrecompressedStream('codes.csv', compressed(), crc, size);
      await inflatedAll;
    } finally {
      inflate.destroy();
    }
    if (inflated !== size) throw new Error(`codes.csv inflates to ${inflated} bytes, the batches stored ${size}`);
    return { size, sha256: hash.digest('hex') };
  }

  /**
   * The batches' directory records, each batch's shifted by where its fragment starts. Two buffers serve
   * every batch (the writer copies each piece before asking for the next). Batches without images have
   * no records: nothing is read.
   */
  private async *directory(batches: DoneBatch[], withImages: boolean, signal: AbortSignal): AsyncGenerator<DirectoryPiece> {
    let offset = 0;
    let input = Buffer.alloc(0);
    let output = Buffer.alloc(0);
    for (const batch of batches) {
      signal.throwIfAborted();
      if (input.length < batch.directory_size) input = Buffer.allocUnsafe(batch.directory_size);
      if (output.length < rebasedLength(batch.directory_size)) output = Buffer.allocUnsafe(rebasedLength(batch.directory_size));
      let length = 0;
      if (batch.directory_size > 0) {
        for await (const chunk of await openRange(this.deps.blobs, batch.directory_key, { start: 0, end: batch.directory_size - 1 })) {
          const bytes = chunk as Buffer;
          if (length + bytes.length > input.length) throw new Error(`directory of batch ${batch.batch_number} is longer than ${batch.directory_size} bytes`);
          bytes.copy(input, length);
          length += bytes.length;
        }
      }
      if (length !== batch.directory_size) throw new Error(`directory of batch ${batch.batch_number} has ${length} bytes, expected ${batch.directory_size}`);
      const piece = rebaseDirectory(input.subarray(0, length), offset, output);
      const count = withImages ? batch.last_sequence - batch.first_sequence + 1 : 0;
      if (piece.entries !== count) throw new Error(`directory of batch ${batch.batch_number} lists ${piece.entries} images, expected ${count}`);
      yield piece;
      offset += batch.fragment_size;
    }
  }

  private async finish(order: WorkorderRow, key: string, uploadId: string, archive: { size: number; sha256: string }): Promise<AssemblyOutcome> {
    // Whatever crashed runs of this order left unfinished is not part of the archive: gone before the
    // order shows as generated.
    await this.deps.uploads.discard(order.id, { keep: uploadId });
    const now = isoMicros(this.deps.clock.now());
    const goesStraightToCompleted = order.has_secure_workflow !== 1;
    const done = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await workorders.updateWorkorderGuarded(trx, order.id,
        { states: ['new'], codegenStatuses: [CODEGEN_STATUS.generating] }, {
          codegen_status: CODEGEN_STATUS.generated,
          archive_tail_key: key,
          archive_size: archive.size,
          archive_sha256: archive.sha256,
          date_codes_completed: now,
          state: goesStraightToCompleted ? 'completed' : 'ready to print',
          completed_date: goesStraightToCompleted ? now : null,
          updated_date: now,
        });
      if (!updated) return false;
      await generation.forgetUpload(trx, uploadId);
      // Completed at once: its codes take their status in a job of their own (in chunks), committed with the state.
      if (goesStraightToCompleted) {
        await this.deps.queue.enqueue(trx, 'sync-code-status', { workorderId: order.id }, { jobKey: codeStatusJobKey(order.id) });
      }
      return true;
    });
    if (!done) {
      await this.deps.blobs.delete(key);
      await generation.forgetUpload(this.deps.db, uploadId);
      return 'canceled';
    }
    return 'generated';
  }
}

async function openRange(blobs: BlobStore, key: string, range: { start: number; end: number }): Promise<Readable> {
  const opened = await blobs.open(key, range);
  if (!opened) throw new MissingBlobError(key);
  return opened.stream;
}

/** Feeds the parts' bytes, in order, to `hash`. */
async function hashParts(blobs: BlobStore, parts: readonly BlobPart[], hash: Hash): Promise<Hash> {
  for (const part of parts) {
    let size = 0;
    const found = await blobs.readThrough(part.key, (chunk) => {
      hash.update(chunk);
      size += chunk.byteLength;
    });
    if (!found) throw new MissingBlobError(part.key);
    if (size !== part.size) throw new Error(`blob ${part.key} has ${size} bytes, expected ${part.size}`);
  }
  return hash;
}
