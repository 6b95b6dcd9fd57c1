import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.js';
import { downloadArchive, fileNameOf, formatBytes } from './download-archive.js';
import { ClientError } from './exit-codes.js';
import { createProgress } from './progress.js';

describe('download helpers', () => {
  it('takes the file name of a Content-Disposition header without any directory part', () => {
    expect(fileNameOf('attachment; filename="workorder_7_abc.zip"')).toBe('workorder_7_abc.zip');
    expect(fileNameOf('attachment; filename=plain.zip')).toBe('plain.zip');
    expect(fileNameOf('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameOf('attachment; filename=".."')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(59_012)).toBe('57.6 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});

/**
 * A connection that drops mid-body (which a real server cannot be made to do on cue): a stand-in
 * server answers the order, HEAD and ranged GETs, and cuts the first GET after `cutAt` bytes.
 */
describe('downloadArchive over a connection that drops', () => {
  const archive = randomBytes(256 * 1024);
  const sha256 = createHash('sha256').update(archive).digest('hex');
  const cutAt = 100_000;
  const ranges: Array<string | undefined> = [];
  let server: Server;
  let api: ApiClient;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-client-download-'));
    server = createServer((request, response) => {
      if (request.url === '/api/v2/workorders/7/') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ id: 7, state: 'completed', codegen_status: 4, codegen_file: 'http://x/api/v2/workorders/7/download/', codegen_file_sha256: sha256 }));
        return;
      }
      const headers = { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename="workorder_7_k.zip"' };
      if (request.method === 'HEAD') {
        response.writeHead(200, { ...headers, 'content-length': String(archive.length) }).end();
        return;
      }
      ranges.push(request.headers.range);
      const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
      if (start > 0) {
        response.writeHead(206, { ...headers, 'content-length': String(archive.length - start), 'content-range': `bytes ${start}-${archive.length - 1}/${archive.length}` });
        response.end(archive.subarray(start));
        return;
      }
      response.writeHead(200, { ...headers, 'content-length': String(archive.length) });
      response.write(archive.subarray(0, cutAt), () => setTimeout(() => response.destroy(), 50));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    api = new ApiClient({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, token: 'k' });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the part file when the connection drops, then resumes it with a Range request', async () => {
    const file = join(dir, 'codes.zip');
    const progress = () => createProgress({ tty: false, stream: { write: () => true } as unknown as NodeJS.WritableStream });
    const stopped = await downloadArchive(api, 7, { file, progress: progress() }).then(() => null, (error: unknown) => error);
    expect(stopped).toBeInstanceOf(ClientError);
    expect((stopped as ClientError).exitCode).toBe(1);
    expect((stopped as ClientError).lines[0]).toMatch(/^error: the download of work order 7 stopped \(.+\); run the command again to resume .*codes\.zip\.part$/);
    expect(statSync(`${file}.part`).size).toBe(cutAt);

    const resumedAt: number[] = [];
    const result = await downloadArchive(api, 7, { file, progress: progress(), onResume: (bytes) => resumedAt.push(bytes) });
    expect(resumedAt).toEqual([cutAt]);
    expect(ranges).toEqual([undefined, `bytes=${cutAt}-`]);
    expect(result).toEqual({ file, bytes: archive.length, sha256, resumed_from: cutAt, verified: true });
    expect(readFileSync(file).equals(archive)).toBe(true);
    expect(existsSync(`${file}.part`)).toBe(false);
  });
});
