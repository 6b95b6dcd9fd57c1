import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { StreamingZipWriter } from '../../src/codegen/zip/streaming-zip-writer.js';
import { FragmentDirectoryBuilder, rebaseDirectory } from '../../src/codegen/zip/fragment-directory.js';
import { toDosDateTime } from '../../src/codegen/zip/zip-records.js';
import { readZip } from '../helpers/zip-reader.js';

const UNZIP = '/usr/bin/unzip';

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

async function unzipTest(file: string): Promise<void> {
  const r = await run(UNZIP, ['-tq', file]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^No errors detected in compressed data/);
  expect(r.code).toBe(0);
}

/** Entry names and sizes from the central directory, as yauzl reads them (no data read). */
function yauzlEntries(file: string): Promise<Array<{ name: string; size: number }>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, strictFileNames: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('cannot open zip'));
      const entries: Array<{ name: string; size: number }> = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.readEntry();
    });
  });
}

async function unzipNames(file: string): Promise<string[]> {
  const r = await run(UNZIP, ['-Z1', file]);
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((line) => line.length > 0);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const mtime = new Date(2024, 0, 2, 3, 4, 6);

/** A Writable that keeps a copy of every chunk, calling back after `delay` (backpressure with a small highWaterMark). */
class CollectingSink extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(
    highWaterMark: number,
    private readonly delay: (callback: () => void) => void,
  ) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk)); // copy: the writer may reuse its buffer once called back
    this.delay(() => callback());
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

describe('StreamingZipWriter', () => {
  let dir: string;
  let workDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-zip-test-'));
    workDir = mkdtempSync(join(dir, 'work-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fragments written apart, then an end with everyone\'s central directory, make one archive', async () => {
    // Two fragments (local entries only, as batches write them), each with what its writer kept of its entries.
    const fragments: Array<{ file: string; entries: Array<{ name: string; data: Buffer }> }> = [];
    for (let f = 0; f < 2; f++) {
      const file = join(dir, `fragment-${f}`);
      const entries = Array.from({ length: 40 }, (_, i) => ({ name: `images/batch_000${f + 1}/${String(i + 1).padStart(7, '0')}_X.png`, data: randomBytes(500 + i * 97) }));
      const writer = await StreamingZipWriter.create({ output: createWriteStream(file), mtime, centralDirectory: false, stagingBytes: 128 * 1024 });
      for (const entry of entries) await writer.addStored(entry.name, entry.data, crc32(entry.data));
      await expect(writer.addDeflatedStream('x.csv', Readable.from([Buffer.from('no')]))).rejects.toThrow(/central directory/);
      const result = await writer.finish();
      expect(result.entries).toBe(entries.length);
      expect(readFileSync(file).length).toBe(entries.reduce((sum, e) => sum + 30 + e.name.length + e.data.length, 0)); // no directory
      fragments.push({ file, entries });
    }
    const fragmentBytes = fragments.reduce((sum, f) => sum + readFileSync(f.file).length, 0);
    const tail = join(dir, 'tail');
    const writer = await StreamingZipWriter.create({ output: createWriteStream(tail), mtime, startOffset: fragmentBytes });
    const csv = Buffer.from('a,b\n'.repeat(1000));
    await writer.addDeflatedStream('codes.csv', Readable.from([csv]));
    // What each batch keeps: its entries' directory records, offsets from its own start; shifted at the end.
    const directories = fragments.map((fragment) => {
      const builder = new FragmentDirectoryBuilder(toDosDateTime(mtime), fragment.entries.length);
      for (const e of fragment.entries) builder.add(e.name, 0, crc32(e.data), e.data.length, e.data.length);
      expect(builder.fragmentSize).toBe(readFileSync(fragment.file).length);
      return builder.records();
    });
    async function* leading() {
      let offset = 0;
      for (const [i, records] of directories.entries()) {
        yield rebaseDirectory(records, offset);
        offset += readFileSync(fragments[i]!.file).length;
      }
    }
    const result = await writer.finish({ leadingDirectory: leading() });
    expect(result.entries).toBe(81);

    const file = join(dir, 'joined.zip');
    writeFileSync(file, Buffer.concat([...fragments.map((f) => readFileSync(f.file)), readFileSync(tail)]));
    await unzipTest(file);
    const expected = [...fragments.flatMap((f) => f.entries.map((e) => e.name)), 'codes.csv'];
    expect(await unzipNames(file)).toEqual(expected);
    const seen = new Map<string, Buffer>();
    await readZip(file, (name, data) => {
      seen.set(name, data);
    });
    expect(seen.get('codes.csv')).toEqual(csv);
    expect(seen.get(fragments[1]!.entries[39]!.name)).toEqual(fragments[1]!.entries[39]!.data);
  });

  it('writes stored entries and a deflated stream that unzip and yauzl read back byte for byte', async () => {
    const file = join(dir, 'out.zip');
    const csvFile = join(dir, 'codes.csv');
    const csv = Array.from({ length: 50_000 }, (_, i) => `${i},https://example.test/c/${randomBytes(6).toString('hex')}\n`).join('');
    writeFileSync(csvFile, csv);
    const expected = new Map<string, Buffer>([
      ['images/batch_0001/0000001_AbCdEfGhIjKl.png', randomBytes(900)],
      ['images/batch_0001/0000002_MnOpQrStUvWx.png', randomBytes(1100)],
      ['empty.bin', Buffer.alloc(0)],
      ['dossier/ünïcødé €.txt', Buffer.from('utf-8 name\n')],
      ['images/big.bin', randomBytes(300_000)], // larger than the staging buffer: written around it
      ['after-big.bin', randomBytes(10)],
    ]);

    const writer = await StreamingZipWriter.create({ output: createWriteStream(file), workDir, mtime, stagingBytes: 128 * 1024 });
    for (const [name, data] of expected) {
      // The caller may reuse its memory as soon as the call returns (the render buffers are recycled):
      // hand the writer a scratch copy and scribble over it at once.
      const scratch = Buffer.from(data);
      const added = writer.addStored(name, scratch, crc32(data));
      scratch.fill(0xee);
      await added;
    }
    const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(500)}</svg>`);
    await writer.addDeflated('images/pre-deflated.svg', deflateRawSync(svg), crc32(svg), svg.length);
    expected.set('images/pre-deflated.svg', svg);
    await writer.addDeflatedStream('codes.csv', createReadStream(csvFile, { highWaterMark: 8192 }));
    expected.set('codes.csv', Buffer.from(csv));
    // Compressed beforehand (as an order's batches compress their parts of codes.csv): copied as it is, in pieces.
    const text = Buffer.from(csv.slice(0, 200_000));
    const compressed = deflateRawSync(text, { level: 1 });
    async function* throughOneBuffer() { // every chunk is a view of the same buffer, overwritten for the next
      const reused = Buffer.alloc(4096);
      for (let at = 0; at < compressed.length; at += reused.length) {
        const n = compressed.copy(reused, 0, at, at + reused.length);
        yield reused.subarray(0, n);
      }
    }
    await writer.addPrecompressedStream('precompressed.csv', throughOneBuffer(), crc32(text), text.length);
    expected.set('precompressed.csv', text);
    const manifest = Buffer.from(JSON.stringify({ files: [...expected.keys()] }));
    await writer.addDeflatedStream('manifest.json', Readable.from([manifest]));
    expected.set('manifest.json', manifest);
    const result = await writer.finish();

    const bytes = readFileSync(file);
    expect(result).toEqual({ bytes: bytes.length, sha256: sha256(bytes), entries: expected.size });
    expect(bytes.length).toBeLessThan(csv.length); // codes.csv really is compressed
    expect(readdirSync(workDir)).toEqual([]); // spill file removed
    await unzipTest(file);
    expect(await unzipNames(file)).toEqual([...expected.keys()]);

    const seen = new Map<string, Buffer>();
    expect(await readZip(file, (name, data) => void seen.set(name, data))).toBe(expected.size);
    expect([...seen.keys()]).toEqual([...expected.keys()]);
    for (const [name, data] of expected) expect(sha256(seen.get(name)!), name).toBe(sha256(data));
  });

  it('writes 70 000 stored entries with a spilled central directory and a ZIP64 end of central directory', async () => {
    const file = join(dir, 'many.zip');
    const writer = await StreamingZipWriter.create({ output: createWriteStream(file), workDir, mtime, centralDirectoryBytes: 128 * 1024 });
    const n = 70_000;
    let checksum = 0;
    for (let i = 1; i <= n; i++) {
      const data = Buffer.from(`image ${i}\n`);
      checksum += data.length;
      const pending = writer.addStored(`images/batch_${String(Math.ceil(i / 10_000)).padStart(4, '0')}/${String(i).padStart(7, '0')}.png`, data, crc32(data));
      if (pending) await pending;
    }
    expect(writer.spilledBytes).toBeGreaterThan(0);
    expect(writer.centralDirectoryStagedBytes).toBeLessThanOrEqual(writer.centralDirectoryCapacity);
    const manifest = Buffer.from('{"files":70000}');
    await writer.addDeflatedStream('manifest.json', Readable.from([manifest]));
    const result = await writer.finish();
    expect(result.entries).toBe(n + 1);
    expect(existsSync(writer.spillPath!)).toBe(false);

    const bytes = readFileSync(file);
    expect(result.sha256).toBe(sha256(bytes));
    // End of archive: ZIP64 EOCD (56) + locator (20) + EOCD (22) with 0xFFFF entry counts.
    const eocd = bytes.subarray(bytes.length - 22);
    expect(eocd.readUInt32LE(0)).toBe(0x06054b50);
    expect(eocd.readUInt16LE(10)).toBe(0xffff);
    const locator = bytes.subarray(bytes.length - 42, bytes.length - 22);
    expect(locator.readUInt32LE(0)).toBe(0x07064b50);
    const zip64 = bytes.subarray(Number(locator.readBigUInt64LE(8)));
    expect(zip64.readUInt32LE(0)).toBe(0x06064b50);
    expect(zip64.readBigUInt64LE(32)).toBe(BigInt(n + 1));

    await unzipTest(file);
    const names = await unzipNames(file);
    expect(names.length).toBe(n + 1);
    expect(names[0]).toBe('images/batch_0001/0000001.png');
    expect(names[n - 1]).toBe('images/batch_0007/0070000.png');
    expect(names[n]).toBe('manifest.json');

    const entries = await yauzlEntries(file);
    expect(entries.length).toBe(n + 1);
    expect(entries.map((e) => e.name)).toEqual(names);
    expect(entries.reduce((sum, e) => sum + e.size, 0)).toBe(checksum + manifest.length);
    const sample = await run(UNZIP, ['-p', file, 'images/batch_0007/0069999.png']);
    expect(sample.stdout).toBe('image 69999\n');
  }, 60_000);

  it('honours backpressure from a slow output: every byte arrives, buffering stays bounded', async () => {
    const highWaterMark = 16 * 1024;
    const sink = new CollectingSink(highWaterMark, (callback) => setTimeout(callback, Math.random() < 0.5 ? 0 : 2));
    const writer = await StreamingZipWriter.create({ output: sink, workDir, mtime, stagingBytes: 128 * 1024, centralDirectoryBytes: 128 * 1024, reuseBuffers: true });
    let waits = 0;
    const entries = 3000;
    for (let i = 0; i < entries; i++) {
      const data = randomBytes(1000 + (i % 50));
      const pending = writer.addStored(`images/${i}.png`, data, crc32(data));
      if (pending) {
        waits += 1;
        await pending;
      }
      expect(writer.stagedBytes).toBeLessThanOrEqual(writer.stagingCapacity);
    }
    const csv = Buffer.from('x,y\n'.repeat(200_000));
    await writer.addDeflatedStream('codes.csv', Readable.from([csv.subarray(0, 400_000), csv.subarray(400_000)]));
    const result = await writer.finish();

    expect(waits).toBeGreaterThan(0); // the output really pushed back
    expect(writer.maxStagedBytes).toBeLessThanOrEqual(writer.stagingCapacity);
    expect(writer.maxOutputBufferedBytes).toBeLessThanOrEqual(highWaterMark + writer.stagingCapacity);
    const bytes = sink.bytes();
    expect(result.bytes).toBe(bytes.length);
    expect(result.sha256).toBe(sha256(bytes));
    const file = join(dir, 'slow.zip');
    writeFileSync(file, bytes);
    await unzipTest(file);
    expect(await readZip(file, () => {})).toBe(entries + 1);
  }, 60_000);

  it('abort removes the spill file, rejects the pending wait and destroys the output', async () => {
    // An output that never calls back: the writer soon has to wait for it.
    const stuck = new Writable({ highWaterMark: 1024, write() {} });
    const writer = await StreamingZipWriter.create({ output: stuck, workDir, mtime, stagingBytes: 128 * 1024, centralDirectoryBytes: 128 * 1024 });
    const data = Buffer.from('tiny');
    const stillWaiting = async (p: Promise<void>) => (await Promise.race([p.then(() => false), delay(100).then(() => true)]));
    let pending: Promise<void> | undefined;
    for (let i = 0; i < 1_000_000 && !pending; i++) {
      const p = writer.addStored(`images/${i}.png`, data, crc32(data));
      if (p && (await stillWaiting(p))) pending = p;
    }
    if (!pending) throw new Error('the writer never waited for the stuck output');
    const outcome = pending.then(() => 'resolved', (error: unknown) => error);
    expect(writer.spilledBytes).toBeGreaterThan(0); // the spill file has content
    expect(existsSync(writer.spillPath!)).toBe(true);
    expect(() => writer.addStored('x', data, crc32(data))).toThrow(/previous call/);

    const reason = new Error('order canceled');
    stuck.on('error', () => {});
    await writer.abort(reason);
    expect(await outcome).toBe(reason);
    expect(existsSync(writer.spillPath!)).toBe(false);
    expect(readdirSync(workDir)).toEqual([]);
    expect(stuck.destroyed).toBe(true);
    expect(() => writer.addStored('y', data, crc32(data))).toThrow(reason);
    await expect(writer.finish()).rejects.toBe(reason);
    await writer.abort(); // idempotent, never throws
  });

  it('propagates an output error as a rejection', async () => {
    const failing = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, callback) {
        setTimeout(() => callback(new Error('disk full')), 1);
      },
    });
    const writer = await StreamingZipWriter.create({ output: failing, workDir, mtime, stagingBytes: 128 * 1024 });
    const data = randomBytes(1000);
    const attempt = async () => {
      for (let i = 0; i < 100_000; i++) await writer.addStored(`images/${i}.png`, data, crc32(data));
    };
    await expect(attempt()).rejects.toThrow('disk full');
    await expect(writer.finish()).rejects.toThrow('disk full');
    await writer.abort();
    expect(existsSync(writer.spillPath!)).toBe(false);
  });

  it('propagates a failure at finish', async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('upload refused'));
      },
    });
    const writer = await StreamingZipWriter.create({ output: failing, workDir, mtime });
    await writer.addStored('a.txt', Buffer.from('a'), crc32('a'));
    await expect(writer.finish()).rejects.toThrow('upload refused');
    expect(existsSync(writer.spillPath!)).toBe(false);
  });

  it('a failing source stream rejects and makes the writer unusable', async () => {
    const sink = new CollectingSink(16 * 1024, (callback) => callback());
    const writer = await StreamingZipWriter.create({ output: sink, workDir, mtime });
    const source = new Readable({
      read() {
        this.destroy(new Error('csv read failed'));
      },
    });
    await expect(writer.addDeflatedStream('codes.csv', source)).rejects.toThrow('csv read failed');
    expect(() => writer.addStored('a', Buffer.from('a'), crc32('a'))).toThrow('csv read failed');
    await writer.abort();
    expect(existsSync(writer.spillPath!)).toBe(false);
  });

  it('abort stops a deflated stream in progress', async () => {
    const sink = new CollectingSink(16 * 1024, (callback) => callback());
    const writer = await StreamingZipWriter.create({ output: sink, workDir, mtime });
    const endless = new Readable({
      read() {
        setTimeout(() => this.push(randomBytes(1024)), 1);
      },
    });
    const adding = writer.addDeflatedStream('codes.csv', endless);
    const outcome = adding.then(() => 'resolved', (error: unknown) => error);
    await delay(20);
    sink.on('error', () => {});
    await writer.abort(new Error('shutdown'));
    expect(await outcome).toBeInstanceOf(Error);
    expect(endless.destroyed).toBe(true);
    expect(existsSync(writer.spillPath!)).toBe(false);
  });

  it('rejects invalid names without adding anything', async () => {
    const sink = new CollectingSink(16 * 1024, (callback) => callback());
    const writer = await StreamingZipWriter.create({ output: sink, workDir, mtime });
    expect(() => writer.addStored('../evil', Buffer.from('x'), 0)).toThrow(/'\.\.'/);
    expect(() => writer.addStored('/abs', Buffer.from('x'), 0)).toThrow(/absolute/);
    await expect(writer.addDeflatedStream('a\\b', Readable.from([]))).rejects.toThrow(/backslash/);
    await writer.addStored('ok.txt', Buffer.from('ok'), crc32('ok'));
    const result = await writer.finish();
    expect(result.entries).toBe(1);
    const file = join(dir, 'names.zip');
    writeFileSync(file, sink.bytes());
    expect(await unzipNames(file)).toEqual(['ok.txt']);
  });
});
