import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { ApiClient } from './api-client.js';
import { ClientError, EXIT } from './exit-codes.js';
import type { Progress } from './progress.js';
import type { Workorder } from './workorder.js';

export interface DownloadResult {
  file: string;
  bytes: number;
  sha256: string;
  /** Bytes of an earlier, interrupted download that were kept (0: downloaded from the start). */
  resumed_from: number;
  /** Whether the server gave a checksum to compare with (older servers give none). */
  verified: boolean;
}

const CHECKSUM_HEADER = 'x-checksum-sha256';

/**
 * Streams an order's zip to `<file>.part`, resuming a part file left by an interrupted run with
 * `Range: bytes=<size>-`, then checks its SHA-256 against the server's (the order's
 * `codegen_file_sha256`, else the download's `X-Checksum-SHA256` header) and renames it to `<file>`.
 * On a mismatch the part file is deleted (it cannot be resumed) and the command exits 6.
 * `file` defaults to the server's file name (Content-Disposition) in the current directory.
 */
export async function downloadArchive(
  api: ApiClient, id: number, options: { file?: string; progress: Progress; onResume?: (bytes: number, part: string) => void },
): Promise<DownloadResult> {
  const order = await api.json<Workorder>('GET', `/api/v2/workorders/${id}/`);
  if (!order.codegen_file) {
    throw new ClientError([`error: work order ${id} has no file to download yet (state ${order.state}, codegen_status ${order.codegen_status}); see "order wait"`], EXIT.error);
  }
  const path = `/api/v2/workorders/${id}/download/`;
  const head = await api.raw('HEAD', path);
  const size = Number(head.headers.get('content-length'));
  if (!Number.isSafeInteger(size)) throw new ClientError([`error: ${api.url(path)} gave no Content-Length`], EXIT.error);
  const expected = (order.codegen_file_sha256 ?? head.headers.get(CHECKSUM_HEADER) ?? '').toLowerCase() || null;
  const file = options.file ?? fileNameOf(head.headers.get('content-disposition')) ?? `workorder_${id}.zip`;
  const part = `${file}.part`;

  let kept = await sizeOf(part);
  if (kept > size) kept = 0; // not a prefix of this archive: start over
  let hash = createHash('sha256');
  let done = kept;
  const report = () => options.progress.update(size === 0 ? 100 : (done / size) * 100, `${formatBytes(done)} / ${formatBytes(size)}`);
  try {
    if (kept > 0) {
      options.onResume?.(kept, part);
      await hashFile(part, hash);
    }
    if (kept < size) {
      const response = await api.raw('GET', path, kept > 0 ? { range: `bytes=${kept}-` } : {});
      if (kept > 0 && !(response.status === 206 && response.headers.get('content-range')?.startsWith(`bytes ${kept}-`))) {
        kept = 0; // the server sent the whole archive instead of the rest: start over
        done = 0;
        hash = createHash('sha256');
      }
      report();
      await streamTo(part, kept > 0, Readable.fromWeb(response.body as ReadableStream<Uint8Array>), (chunk) => {
        hash.update(chunk);
        done += chunk.length;
        report();
      }).catch((error: unknown) => {
        throw new ClientError([`error: the download of work order ${id} stopped (${(error as Error).message}); run the command again to resume ${part}`], EXIT.error);
      });
    }
    report();
    return await finish(hash.digest('hex'));
  } finally {
    options.progress.end();
  }

  async function finish(sha256: string): Promise<DownloadResult> {
    const bytes = await sizeOf(part);
    if (bytes !== size || (expected !== null && sha256 !== expected)) {
      await unlink(part).catch(() => undefined);
      const why = bytes !== size ? `${bytes} bytes instead of ${size}` : `SHA-256 ${sha256}, expected ${expected}`;
      throw new ClientError([`error: the download of work order ${id} is corrupt (${why}); ${part} was deleted, run the command again`], EXIT.checksumMismatch);
    }
    await rename(part, file);
    return { file, bytes, sha256, resumed_from: kept, verified: expected !== null };
  }
}

/** Appends (or writes) `body` to `file`, calling `onChunk` for each chunk on its way. */
async function streamTo(file: string, append: boolean, body: Readable, onChunk: (chunk: Buffer) => void): Promise<void> {
  await pipeline(body, async function* count(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      onChunk(chunk);
      yield chunk;
    }
  }, createWriteStream(file, { flags: append ? 'a' : 'w' }));
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** The file name of `attachment; filename="…"`, without any directory part. */
export function fileNameOf(disposition: string | null): string | null {
  const match = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  const name = match?.[1] ? basename(match[1].trim()) : '';
  return name === '' || name === '.' || name === '..' ? null : name;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
