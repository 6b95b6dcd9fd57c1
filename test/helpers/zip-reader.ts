import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

/**
 * Reads every entry of a zip with yauzl (an independent reader), calling `onEntry` with its bytes.
 * Each entry's CRC-32 is checked against the central directory (yauzl checks the sizes).
 */
export function readZip(file: string, onEntry: (name: string, data: Buffer) => void | Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, strictFileNames: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('cannot open zip'));
      let count = 0;
      zip.on('error', reject);
      zip.on('end', () => resolve(count));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('cannot read entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            count += 1;
            const data = Buffer.concat(chunks);
            if (crc32(data) !== entry.crc32) return reject(new Error(`CRC-32 mismatch in ${entry.fileName}`));
            Promise.resolve(onEntry(entry.fileName, data)).then(() => zip.readEntry(), reject);
          });
        });
      });
      zip.readEntry();
    });
  });
}
