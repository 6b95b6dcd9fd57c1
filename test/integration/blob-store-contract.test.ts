import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.js';
import { S3BlobStore, S3_MIN_PART_SIZE, type S3BlobStoreConfig, type S3BlobStoreOptions } from '../../src/storage/s3-blob-store.js';
import { S3RVER_KEY, startS3rver, type S3Server } from '../helpers/s3-server.js';

/*
 * The behaviour every BlobStore must have, run against the filesystem store and against the S3 store
 * talking to a real S3-compatible server (s3rver, on 127.0.0.1).
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const BUCKET = 'sigil-test';
const PREFIX = 'tenant-a/';

// ---------------------------------------------------------------------------------------------------
// Bytes

/** Deterministic pseudo-random bytes (xorshift32), different for each seed. */
function bytes(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  return Buffer.from(words.buffer, 0, size);
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** `data` cut into chunks of irregular sizes, one of them spanning several S3 parts of `partSize`. */
function chunksOf(data: Buffer, partSize: number): Buffer[] {
  const sizes = [1, 7_001, 2 * partSize + 3, 65_536, 123];
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** Writes one chunk and waits for the stream to have taken it (for S3: stored the part it filled). */
function write(stream: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => stream.write(chunk, (error) => (error ? reject(error) : resolve())));
}

async function writeAll(stream: Writable, chunks: Buffer[]): Promise<void> {
  for (const chunk of chunks) await write(stream, chunk);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readBlob(store: BlobStore, key: string): Promise<Buffer | null> {
  const opened = await store.open(key);
  return opened ? readAll(opened.stream) : null;
}

async function putBlob(store: BlobStore, key: string, data: Buffer, partSize: number): Promise<void> {
  const upload = await store.createUpload(key);
  await writeAll(upload.stream, chunksOf(data, partSize));
  upload.stream.end();
  await upload.commit();
}

// ---------------------------------------------------------------------------------------------------
// Servers and stores

function s3Config(endpoint: string, prefix = PREFIX): S3BlobStoreConfig {
  return {
    kind: 's3',
    bucket: BUCKET,
    prefix,
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
  };
}

/** A store under test, with what the contract tests need to look behind it. */
interface Harness {
  readonly store: BlobStore;
  /** A second store on the same storage, as another process would open it. */
  readonly other: BlobStore;
  /** The part size (S3); other stores: a size that makes the same blobs. */
  readonly partSize: number;
  /** Ids of the uploads that have left something behind (unfinished and not discarded). */
  unfinishedUploads(): Promise<string[]>;
  close(): Promise<void>;
}

/** Contract behaviours some test servers lack; a backend names those it lacks, and why. */
type Feature = 'abortMultipartUpload' | 'listMultipartUploads' | 'atomicReplaceUnderReaders' | 'rangeOfFirstByte';

interface Backend {
  readonly name: string;
  /** Tests of these features are skipped for this backend only. */
  readonly lacks: Partial<Record<Feature, string>>;
  start(): Promise<Harness>;
}

const fsBackend: Backend = {
  name: 'FsBlobStore',
  lacks: {},
  async start() {
    const root = await mkdtemp(join(tmpdir(), 'sigil-blobs-'));
    return {
      store: new FsBlobStore(root),
      other: new FsBlobStore(root),
      partSize: 64 * KiB,
      async unfinishedUploads() {
        const entries = await readdir(root, { recursive: true });
        return entries.flatMap((name) => /\.([0-9a-f-]{36})\.partial$/.exec(name)?.[1] ?? []);
      },
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
};

/** S3 against s3rver, with 64 KiB parts: s3rver does not enforce S3's 5 MiB minimum part size. */
const s3rverBackend: Backend = {
  name: 'S3BlobStore on s3rver',
  lacks: {
    // s3rver 3.7 routes `DELETE /bucket/key?uploadId=…` to "MethodNotAllowed" (405): no AbortMultipartUpload.
    abortMultipartUpload: 's3rver answers AbortMultipartUpload with 405 MethodNotAllowed',
    // s3rver 3.7 answers `GET /bucket?uploads` with "NotImplemented" (501): no ListMultipartUploads.
    listMultipartUploads: 's3rver answers ListMultipartUploads with 501 NotImplemented',
    // s3rver 3.7 completes an upload by rewriting the object's file in place (fs.createWriteStream on the
    // same path), so a GET still streaming the previous object reads the new bytes from where it was.
    // AWS S3 serves such a GET the old object whole.
    atomicReplaceUnderReaders: 's3rver rewrites the object file in place while a GET of it is streaming',
    // s3rver 3.7 reads `Range: bytes=0-0` as `bytes=0-` (its store takes the end 0 for "no end") and sends
    // the whole object as "bytes 0-<last>/<size>"; the store refuses that answer (see the S3-only tests).
    rangeOfFirstByte: 's3rver answers Range: bytes=0-0 with the whole object',
  },
  async start() {
    const server = await startS3rver(BUCKET);
    const partSize = 64 * KiB;
    const options: S3BlobStoreOptions = { partSizeBytes: partSize, allowPartsBelowS3Minimum: true };
    const store = new S3BlobStore(s3Config(server.endpoint), options);
    const other = new S3BlobStore(s3Config(server.endpoint), options);
    const client = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, forcePathStyle: true, credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY } });
    return {
      store,
      other,
      partSize,
      // Only the tests skipped for s3rver look (it has no ListMultipartUploads); kept right for S3 servers that do.
      async unfinishedUploads() {
        const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: PREFIX }));
        return (listed.Uploads ?? []).flatMap((upload) => upload.UploadId ?? []);
      },
      async close() {
        store.close();
        other.close();
        client.destroy();
        await server.close();
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------
// The contract

describe.each([fsBackend, s3rverBackend])('BlobStore contract: $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await backend.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** More than two parts, the last one partial. */
  const multiPartSize = () => 2 * h.partSize + h.partSize / 2 + 17;

  it('stores a blob written in many chunks and reads back the same bytes', async () => {
    const data = bytes(multiPartSize(), 1);
    const upload = await h.store.createUpload('orders/1/archive.zip');
    expect(upload.uploadId).not.toBe('');
    await writeAll(upload.stream, chunksOf(data, h.partSize));
    upload.stream.end();
    await upload.commit();

    expect(await h.store.stat('orders/1/archive.zip')).toEqual({ size: data.length });
    const opened = await h.store.open('orders/1/archive.zip');
    expect(opened?.size).toBe(data.length);
    expect(sha256(await readAll(opened!.stream))).toBe(sha256(data));
    expect(await h.other.stat('orders/1/archive.zip')).toEqual({ size: data.length });
    // Read through (a chunk may be a reused buffer: each is copied here before the next comes).
    const copies: Buffer[] = [];
    expect(await h.other.readThrough('orders/1/archive.zip', (chunk) => copies.push(Buffer.from(chunk)))).toBe(true);
    expect(sha256(Buffer.concat(copies))).toBe(sha256(data));
    expect(await h.other.readThrough('orders/1/missing.zip', () => undefined)).toBe(false);
  });

  it('shows nothing under the key before commit', async () => {
    const key = 'orders/2/archive.zip';
    const data = bytes(multiPartSize(), 2);
    const upload = await h.store.createUpload(key);
    await writeAll(upload.stream, chunksOf(data, h.partSize)); // all full parts stored (S3)
    expect(await h.store.stat(key)).toBeNull();
    expect(await h.store.open(key)).toBeNull();

    upload.stream.end();
    await finished(upload.stream); // the last part stored too
    expect(await h.store.stat(key)).toBeNull();
    expect(await h.other.open(key)).toBeNull();

    await upload.commit();
    expect(await h.store.stat(key)).toEqual({ size: data.length });
  });

  /** Reads `range` of the blob and checks the bytes and the whole size given with them. */
  async function expectRange(key: string, data: Buffer, range: { start: number; end: number }): Promise<void> {
    const opened = await h.store.open(key, range);
    expect(opened?.size).toBe(data.length);
    const read = await readAll(opened!.stream);
    expect(read.length).toBe(range.end - range.start + 1);
    expect(read.equals(data.subarray(range.start, range.end + 1))).toBe(true);
  }

  it('reads byte ranges, with the whole size', async () => {
    const key = 'orders/3/archive.zip';
    const data = bytes(multiPartSize(), 3);
    await putBlob(h.store, key, data, h.partSize);
    await expectRange(key, data, { start: 1, end: 1 });
    await expectRange(key, data, { start: h.partSize - 10, end: h.partSize + 10 }); // across a part boundary
    await expectRange(key, data, { start: 1234, end: 2 * h.partSize + 99 });
    await expectRange(key, data, { start: data.length - 1, end: data.length - 1 }); // the last byte
    await expectRange(key, data, { start: 0, end: data.length - 1 });
    await expectRange(key, data, { start: 0, end: 99 });
  });

  it.skipIf(backend.lacks.rangeOfFirstByte !== undefined)('reads the first byte alone', async () => {
    const key = 'orders/4/archive.zip';
    const data = bytes(multiPartSize(), 4);
    await putBlob(h.store, key, data, h.partSize);
    await expectRange(key, data, { start: 0, end: 0 });
  });

  it('lets the writer reuse a chunk once its write has completed', async () => {
    const data = bytes(multiPartSize(), 15);
    const scratch = Buffer.alloc(10_000);
    const upload = await h.store.createUpload('reused/blob');
    for (let offset = 0; offset < data.length; offset += scratch.length) {
      const size = data.copy(scratch, 0, offset, offset + scratch.length);
      await write(upload.stream, scratch.subarray(0, size));
      scratch.fill(0xee); // what the store still held of the chunk would be spoiled
    }
    upload.stream.end();
    await upload.commit();
    expect(sha256((await readBlob(h.store, 'reused/blob'))!)).toBe(sha256(data));
  });

  it('stores a zero-byte blob', async () => {
    const upload = await h.store.createUpload('empty/blob');
    upload.stream.end();
    await upload.commit();
    expect(await h.store.stat('empty/blob')).toEqual({ size: 0 });
    const opened = await h.store.open('empty/blob');
    expect(opened?.size).toBe(0);
    expect((await readAll(opened!.stream)).length).toBe(0);
  });

  it.skipIf(backend.lacks.abortMultipartUpload !== undefined)('abort() leaves nothing behind, and may be repeated', async () => {
    const key = 'aborted/blob';
    const upload = await h.store.createUpload(key);
    await writeAll(upload.stream, chunksOf(bytes(multiPartSize(), 4), h.partSize));
    expect(await h.unfinishedUploads()).toContain(upload.uploadId);

    await upload.abort();
    expect(await h.store.stat(key)).toBeNull();
    expect(await h.unfinishedUploads()).not.toContain(upload.uploadId);
    await expect(upload.abort()).resolves.toBeUndefined();
    await expect(upload.commit()).rejects.toThrow();
    expect(await h.store.stat(key)).toBeNull();
  });

  it.skipIf(backend.lacks.abortMultipartUpload !== undefined)('abortUpload() from another process discards an unfinished upload', async () => {
    const key = 'crashed/blob';
    const data = bytes(multiPartSize(), 5);
    const chunks = chunksOf(data, h.partSize);
    const upload = await h.store.createUpload(key);
    await writeAll(upload.stream, chunks.slice(0, 3));
    expect(await h.unfinishedUploads()).toContain(upload.uploadId);

    await h.other.abortUpload(key, upload.uploadId);
    expect(await h.store.stat(key)).toBeNull();
    expect(await h.unfinishedUploads()).not.toContain(upload.uploadId);

    // The original writer goes on and tries to publish: it must fail, and publish nothing.
    upload.stream.on('error', () => undefined);
    upload.stream.end(Buffer.concat(chunks.slice(3)));
    await expect(upload.commit()).rejects.toThrow();
    expect(await h.store.stat(key)).toBeNull();
    expect(await h.other.stat(key)).toBeNull();
    await upload.abort();
    expect(await h.unfinishedUploads()).not.toContain(upload.uploadId);
  });

  it.skipIf(backend.lacks.abortMultipartUpload !== undefined)('abortUpload() of a committed upload leaves the blob alone', async () => {
    const key = 'committed/blob';
    const data = bytes(multiPartSize(), 6);
    const upload = await h.store.createUpload(key);
    await writeAll(upload.stream, chunksOf(data, h.partSize));
    upload.stream.end();
    await upload.commit();

    await expect(h.other.abortUpload(key, upload.uploadId)).resolves.toBeUndefined();
    await expect(h.other.abortUpload(key, upload.uploadId)).resolves.toBeUndefined();
    await expect(upload.abort()).resolves.toBeUndefined(); // no-op after a commit
    expect(await h.store.stat(key)).toEqual({ size: data.length });
    expect(sha256((await readBlob(h.store, key))!)).toBe(sha256(data));
  });

  it('delete() removes a blob; a missing key is no error and reads as null', async () => {
    const key = 'deleted/blob';
    await putBlob(h.store, key, bytes(1000, 7), h.partSize);
    expect(await h.store.stat(key)).toEqual({ size: 1000 });

    await h.store.delete(key);
    expect(await h.store.stat(key)).toBeNull();
    expect(await h.store.open(key)).toBeNull();
    await expect(h.store.delete(key)).resolves.toBeUndefined();
    await expect(h.store.delete('never/written')).resolves.toBeUndefined();
    expect(await h.store.stat('never/written')).toBeNull();
    expect(await h.store.open('never/written')).toBeNull();
    expect(await h.store.open('never/written', { start: 0, end: 9 })).toBeNull();
  });

  it('a commit replaces a blob: readers see the old bytes until then, the new ones after', async () => {
    const key = 'replaced/blob';
    const before = bytes(multiPartSize(), 8);
    const after = bytes(multiPartSize() + h.partSize, 9);
    await putBlob(h.store, key, before, h.partSize);

    const upload = await h.store.createUpload(key);
    await writeAll(upload.stream, chunksOf(after, h.partSize));
    upload.stream.end();
    await finished(upload.stream); // every byte of the new blob is stored, but not committed
    expect(await h.store.stat(key)).toEqual({ size: before.length });
    expect(sha256((await readBlob(h.other, key))!)).toBe(sha256(before));

    await upload.commit();
    expect(await h.store.stat(key)).toEqual({ size: after.length });
    expect(sha256((await readBlob(h.other, key))!)).toBe(sha256(after));
  });

  it.skipIf(backend.lacks.atomicReplaceUnderReaders !== undefined)('a read begun before a replacing commit reads the old blob whole', async () => {
    const key = 'replaced-while-read/blob';
    const before = bytes(8 * MiB, 10);
    const after = bytes(8 * MiB, 11); // the same size: a reader switched to the new bytes would not run short
    await putBlob(h.store, key, before, h.partSize);
    const upload = await h.store.createUpload(key);
    await writeAll(upload.stream, chunksOf(after, h.partSize));
    upload.stream.end();

    const opened = await h.other.open(key);
    expect(opened?.size).toBe(before.length);
    const reader = opened!.stream[Symbol.asyncIterator]();
    const first = await reader.next(); // the reader has the blob open (the file, or the GET's response)
    expect(first.done).toBe(false);
    await upload.commit();
    const read: Buffer[] = [first.value as Buffer];
    for (let next = await reader.next(); !next.done; next = await reader.next()) read.push(next.value as Buffer);

    expect(sha256(Buffer.concat(read))).toBe(sha256(before));
    expect(sha256((await readBlob(h.store, key))!)).toBe(sha256(after));
  });
});

// ---------------------------------------------------------------------------------------------------
// S3 only

describe('S3BlobStore', () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await startS3rver(BUCKET);
  });
  afterAll(async () => {
    await server?.close();
  });
  const smallParts: S3BlobStoreOptions = { partSizeBytes: 64 * KiB, allowPartsBelowS3Minimum: true };

  it('refuses keys that escape the prefix', async () => {
    const store = new S3BlobStore(s3Config(server.endpoint), smallParts);
    try {
      for (const key of ['../x', '/x', '', 'a/../../x', '..']) {
        await expect(store.createUpload(key)).rejects.toThrow(/escapes/);
        await expect(store.open(key)).rejects.toThrow(/escapes/);
        await expect(store.stat(key)).rejects.toThrow(/escapes/);
        await expect(store.delete(key)).rejects.toThrow(/escapes/);
        await expect(store.abortUpload(key, 'some-upload')).rejects.toThrow(/escapes/);
      }
    } finally {
      store.close();
    }
  });

  it('stores each key under the prefix', async () => {
    const store = new S3BlobStore(s3Config(server.endpoint), smallParts);
    const root = new S3BlobStore(s3Config(server.endpoint, ''), smallParts);
    const neighbour = new S3BlobStore(s3Config(server.endpoint, 'tenant-b/'), smallParts);
    try {
      const data = bytes(3000, 20);
      await putBlob(store, 'prefixed/blob', data, 64 * KiB);
      expect(await root.stat(`${PREFIX}prefixed/blob`)).toEqual({ size: data.length });
      expect(await root.stat('prefixed/blob')).toBeNull();
      expect(await neighbour.stat('prefixed/blob')).toBeNull();
    } finally {
      store.close();
      root.close();
      neighbour.close();
    }
  });

  it('shows bucket, prefix and endpoint as its location, never credentials', () => {
    const store = new S3BlobStore(s3Config(server.endpoint));
    expect(store.location).toBe(`s3://${BUCKET}/${PREFIX} (endpoint ${server.endpoint})`);
    expect(store.location).not.toContain(S3RVER_KEY);
    store.close();

    const secret = 'wJalrXUtnFEMI-K7MDENG';
    const withUserInfo = new S3BlobStore({ ...s3Config('http://minio-user:pass-in-url@minio.test:9000'), credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: secret } });
    expect(withUserInfo.location).toBe(`s3://${BUCKET}/${PREFIX} (endpoint http://minio.test:9000)`);
    withUserInfo.close();

    const aws = new S3BlobStore({ ...s3Config('unused'), endpoint: null, prefix: '' });
    expect(aws.location).toBe(`s3://${BUCKET}/`);
    aws.close();
  });

  it('refuses a range answer other than the range asked for', async () => {
    // s3rver 3.7 answers `Range: bytes=0-0` with the whole object ("bytes 0-2999/3000"): the store must
    // not hand those bytes out as the first byte.
    const store = new S3BlobStore(s3Config(server.endpoint), smallParts);
    try {
      await putBlob(store, 'ranged/blob', bytes(3000, 21), 64 * KiB);
      await expect(store.open('ranged/blob', { start: 0, end: 0 })).rejects.toThrow(/answered unexpectedly/);
      await expect(store.open('ranged/blob', { start: 5, end: 4 })).rejects.toThrow(/invalid byte range/);
    } finally {
      store.close();
    }
  });

  it('refuses parts smaller than S3 accepts, unless told the server allows them', () => {
    expect(() => new S3BlobStore(s3Config(server.endpoint), { partSizeBytes: S3_MIN_PART_SIZE - 1 })).toThrow(/at least/);
    expect(() => new S3BlobStore(s3Config(server.endpoint), { partSizeBytes: 0, allowPartsBelowS3Minimum: true })).toThrow(/out of range/);
    new S3BlobStore(s3Config(server.endpoint), { partSizeBytes: S3_MIN_PART_SIZE }).close();
  });

  it('holds about one part in memory, however large the blob (backpressure)', async () => {
    const partSize = S3_MIN_PART_SIZE;
    const chunkSize = 64 * KiB;
    const total = 64 * MiB;
    let uploaded = 0;
    let parts = 0;
    const store = new S3BlobStore(s3Config(server.endpoint), {
      partSizeBytes: partSize,
      onPartUploaded: ({ bytes: size }) => {
        uploaded += size;
        parts += 1;
      },
    });
    try {
      const upload = await store.createUpload('big/64mib.bin');
      const written = createHash('sha256');
      let accepted = 0;
      let mostOutstanding = 0;
      for (let i = 0; accepted < total; i++) {
        const chunk = bytes(chunkSize, 1000 + i);
        written.update(chunk);
        accepted += chunk.length;
        const more = upload.stream.write(chunk);
        mostOutstanding = Math.max(mostOutstanding, accepted - uploaded);
        if (!more) await once(upload.stream, 'drain');
      }
      upload.stream.end();
      await upload.commit();

      // Bytes handed to the stream but not yet stored by S3 never exceed ~3 parts (in fact about one).
      expect(mostOutstanding).toBeGreaterThanOrEqual(partSize); // a whole part is gathered before it is sent
      expect(mostOutstanding).toBeLessThanOrEqual(3 * partSize);
      expect(uploaded).toBe(total);
      expect(parts).toBe(Math.ceil(total / partSize));

      const opened = await store.open('big/64mib.bin');
      expect(opened?.size).toBe(total);
      const read = createHash('sha256');
      for await (const chunk of opened!.stream) read.update(chunk as Buffer);
      expect(read.digest('hex')).toBe(written.digest('hex'));
    } finally {
      await store.delete('big/64mib.bin');
      store.close();
    }
  });

  it('a part that cannot be stored destroys the stream with the error, and commit() rejects', async () => {
    const doomed = await startS3rver(BUCKET);
    const store = new S3BlobStore(s3Config(doomed.endpoint), { ...smallParts, partSizeBytes: 64 * KiB });
    try {
      const upload = await store.createUpload('doomed/blob');
      await write(upload.stream, bytes(1000, 30)); // less than a part: nothing sent yet
      await doomed.close(); // the server goes away

      const failed = write(upload.stream, bytes(64 * KiB, 31)); // fills the first part
      await expect(failed).rejects.toThrow();
      expect(upload.stream.destroyed).toBe(true);
      const error = upload.stream.errored;
      expect(error).toBeInstanceOf(Error);
      await expect(upload.commit()).rejects.toBe(error);
    } finally {
      store.close();
    }
  });
});
