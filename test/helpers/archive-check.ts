import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { decodeQrPng } from './qr-decode.js';
import { readZip } from './zip-reader.js';

export interface ArchiveExpectation {
  quantity: number;
  urlPrefix: string;
  useSerialNumber: boolean;
  /** How many images to decode with jsQR (spread over the order). */
  sample: number;
}

/**
 * Opens a downloaded work-order zip with yauzl and checks codes.csv (rows, unique IDs, URLs, batches),
 * manifest.json (the checksum of codes.csv), one PNG per code (CRC-32 checked by the reader), and decodes
 * a sample of the images with jsQR.
 */
export async function checkArchive(file: string, expected: ArchiveExpectation) {
  const files = new Map<string, { size: number; sha256: string }>();
  const images = new Map<string, Buffer | null>();
  const sampleEvery = Math.max(1, Math.floor(expected.quantity / expected.sample));
  let csv = '';
  let manifest: any = null;
  let imageIndex = 0;
  await readZip(file, (name, data) => {
    files.set(name, { size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    if (name === 'codes.csv') csv = data.toString('utf8');
    else if (name === 'manifest.json') manifest = JSON.parse(data.toString('utf8'));
    else if (name.endsWith('.png')) {
      images.set(name, imageIndex % sampleEvery === 0 ? data : null);
      imageIndex += 1;
    }
  });

  const lines = csv.trimEnd().split('\n');
  expect(lines[0]).toBe('extended_id,serial_number,sequence_number,batch_number,url');
  const rows = lines.slice(1).map((line) => line.split(','));
  expect(rows).toHaveLength(expected.quantity);
  const ids = new Set<string>();
  rows.forEach(([id, serial, sequence, batch, url], index) => {
    expect(Number(sequence)).toBe(index + 1);
    expect(Number(batch)).toBe(Math.ceil((index + 1) / 20_000));
    expect(url).toBe(`${expected.urlPrefix}${id}`);
    if (expected.useSerialNumber) expect(serial).toMatch(/^\d{10}$/);
    else expect(serial).toBe('');
    ids.add(id!);
  });
  expect(ids.size).toBe(expected.quantity);

  expect(manifest).not.toBeNull();
  expect(manifest.counts.codes).toBe(expected.quantity);
  const listed = manifest.files as Array<{ path: string; size: number; sha256: string }>;
  expect(listed.map((f) => f.path)).toEqual(['codes.csv']);
  for (const entry of listed) expect(files.get(entry.path)).toEqual({ size: entry.size, sha256: entry.sha256 });

  expect(images.size).toBe(expected.quantity);
  const urlById = new Map(rows.map(([id, , , , url]) => [id!, url!]));
  let decoded = 0;
  for (const [name, data] of images) {
    const id = name.slice(name.lastIndexOf('_') + 1, -'.png'.length);
    expect(urlById.has(id)).toBe(true);
    if (data) {
      expect(decodeQrPng(data)).toBe(urlById.get(id));
      decoded += 1;
    }
  }
  expect(decoded).toBeGreaterThanOrEqual(Math.min(expected.sample, expected.quantity));
  return { rows, manifest, ids };
}
