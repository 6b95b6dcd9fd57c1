import { describe, expect, it } from 'vitest';
import {
  ZipNameError,
  encodeCentralDirectoryHeader,
  encodeDataDescriptor,
  encodeEndOfArchive,
  encodeEndOfCentralDirectory,
  encodeLocalFileHeader,
  encodeZip64EndOfCentralDirectory,
  encodeZip64EndOfCentralDirectoryLocator,
  fromDosDateTime,
  needsZip64EndOfCentralDirectory,
  toDosDateTime,
  validateEntryName,
  type CentralEntry,
} from './zip-records.js';

const GiB = 1024 ** 3;
const dos = toDosDateTime(new Date(2024, 5, 17, 13, 45, 30));

function stored(overrides: Partial<CentralEntry> = {}): CentralEntry {
  return {
    name: 'images/a.png',
    method: 0,
    dos,
    dataDescriptor: false,
    crc32: 0xdeadbeef,
    compressedSize: 900,
    uncompressedSize: 900,
    localHeaderOffset: 1234,
    ...overrides,
  };
}

describe('DOS date and time', () => {
  it('round-trips with 2-second resolution, in local time', () => {
    const d = new Date(2024, 5, 17, 13, 45, 31, 999);
    const encoded = toDosDateTime(d);
    expect(encoded.time).toBe((13 << 11) | (45 << 5) | 15);
    expect(encoded.date).toBe(((2024 - 1980) << 9) | (6 << 5) | 17);
    expect(fromDosDateTime(encoded)).toEqual(new Date(2024, 5, 17, 13, 45, 30));
    for (const t of [new Date(1980, 0, 1, 0, 0, 0), new Date(2099, 11, 31, 23, 59, 58), new Date(2000, 1, 29, 12, 0, 2)]) {
      expect(fromDosDateTime(toDosDateTime(t))).toEqual(t);
    }
  });

  it('clamps dates outside 1980–2107 and rejects invalid ones', () => {
    expect(fromDosDateTime(toDosDateTime(new Date(1970, 0, 1)))).toEqual(new Date(1980, 0, 1));
    expect(fromDosDateTime(toDosDateTime(new Date(2200, 0, 1)))).toEqual(new Date(2107, 11, 31, 23, 59, 58));
    expect(() => toDosDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('entry names', () => {
  it('returns the UTF-8 byte length of valid names', () => {
    expect(validateEntryName('codes.csv')).toBe(9);
    expect(validateEntryName('images/batch_0001/0000001_AbCdEfGhIjKl.png')).toBe(42);
    expect(validateEntryName('ünïcødé/€.txt')).toBe(Buffer.byteLength('ünïcødé/€.txt'));
    expect(validateEntryName('a..b/c..')).toBe(8); // '..' inside a segment is fine
    expect(validateEntryName('x'.repeat(65_535))).toBe(65_535);
  });

  it.each([
    ['', /empty/],
    ['/etc/passwd', /absolute/],
    ['images\\a.png', /backslash/],
    ['..', /'\.\.'/],
    ['../a.png', /'\.\.'/],
    ['images/../../a.png', /'\.\.'/],
    ['images/..', /'\.\.'/],
    ['a\0b', /NUL/],
    ['x'.repeat(65_536), /longer than 65535/],
    ['€'.repeat(21_846), /longer than 65535/], // 65 538 bytes of UTF-8
  ])('rejects %j', (name, message) => {
    expect(() => validateEntryName(name)).toThrow(ZipNameError);
    expect(() => validateEntryName(name)).toThrow(message);
  });

  it('the encoders validate names too', () => {
    expect(() => encodeLocalFileHeader(stored({ name: '../x' }))).toThrow(ZipNameError);
    expect(() => encodeCentralDirectoryHeader(stored({ name: '/x' }))).toThrow(ZipNameError);
  });
});

describe('local file header', () => {
  it('encodes a STORE entry with known CRC and sizes', () => {
    const b = encodeLocalFileHeader(stored());
    expect(b.length).toBe(30 + 12);
    expect(b.readUInt32LE(0)).toBe(0x04034b50);
    expect(b.readUInt16LE(4)).toBe(20); // version needed 2.0
    expect(b.readUInt16LE(6)).toBe(0x0800); // UTF-8
    expect(b.readUInt16LE(8)).toBe(0); // STORE
    expect(b.readUInt16LE(10)).toBe(dos.time);
    expect(b.readUInt16LE(12)).toBe(dos.date);
    expect(b.readUInt32LE(14)).toBe(0xdeadbeef);
    expect(b.readUInt32LE(18)).toBe(900);
    expect(b.readUInt32LE(22)).toBe(900);
    expect(b.readUInt16LE(26)).toBe(12);
    expect(b.readUInt16LE(28)).toBe(0);
    expect(b.subarray(30).toString('utf8')).toBe('images/a.png');
  });

  it('encodes a streamed entry: flag bit 3, zero CRC and sizes', () => {
    const b = encodeLocalFileHeader(stored({ name: 'codes.csv', method: 8, dataDescriptor: true, crc32: 5, compressedSize: 7, uncompressedSize: 9 }));
    expect(b.readUInt16LE(6)).toBe(0x0808);
    expect(b.readUInt16LE(8)).toBe(8);
    expect(b.readUInt32LE(14)).toBe(0);
    expect(b.readUInt32LE(18)).toBe(0);
    expect(b.readUInt32LE(22)).toBe(0);
  });

  it('encodes a pre-deflated entry with known CRC and sizes', () => {
    const b = encodeLocalFileHeader(stored({ method: 8, compressedSize: 300, uncompressedSize: 2000 }));
    expect(b.readUInt16LE(6)).toBe(0x0800);
    expect(b.readUInt16LE(8)).toBe(8);
    expect(b.readUInt32LE(18)).toBe(300);
    expect(b.readUInt32LE(22)).toBe(2000);
  });

  it('writes UTF-8 names with their byte length', () => {
    const b = encodeLocalFileHeader(stored({ name: 'é/€' }));
    expect(b.readUInt16LE(26)).toBe(6);
    expect(b.subarray(30).toString('utf8')).toBe('é/€');
  });

  it('refuses sizes of 4 GiB or more without a data descriptor', () => {
    expect(() => encodeLocalFileHeader(stored({ compressedSize: 0xffffffff, uncompressedSize: 0xffffffff }))).toThrow(RangeError);
  });
});

describe('data descriptor', () => {
  it('uses 32-bit sizes below 4 GiB', () => {
    const b = encodeDataDescriptor({ crc32: 0x01020304, compressedSize: 10, uncompressedSize: 0xfffffffe });
    expect(b.length).toBe(16);
    expect(b.readUInt32LE(0)).toBe(0x08074b50);
    expect(b.readUInt32LE(4)).toBe(0x01020304);
    expect(b.readUInt32LE(8)).toBe(10);
    expect(b.readUInt32LE(12)).toBe(0xfffffffe);
  });

  it('uses the ZIP64 form (8-byte sizes) when a size is ≥ 0xFFFFFFFF', () => {
    const b = encodeDataDescriptor({ crc32: 7, compressedSize: 3 * GiB, uncompressedSize: 5 * GiB });
    expect(b.length).toBe(24);
    expect(b.readUInt32LE(0)).toBe(0x08074b50);
    expect(b.readUInt32LE(4)).toBe(7);
    expect(b.readBigUInt64LE(8)).toBe(BigInt(3 * GiB));
    expect(b.readBigUInt64LE(16)).toBe(BigInt(5 * GiB));
    expect(encodeDataDescriptor({ crc32: 0, compressedSize: 1, uncompressedSize: 0xffffffff }).length).toBe(24);
  });
});

describe('central directory file header', () => {
  it('encodes a plain entry without extra field', () => {
    const b = encodeCentralDirectoryHeader(stored());
    expect(b.length).toBe(46 + 12);
    expect(b.readUInt32LE(0)).toBe(0x02014b50);
    expect(b.readUInt16LE(4)).toBe(0x032d); // Unix, 4.5
    expect(b.readUInt16LE(6)).toBe(20);
    expect(b.readUInt16LE(8)).toBe(0x0800);
    expect(b.readUInt16LE(10)).toBe(0);
    expect(b.readUInt16LE(12)).toBe(dos.time);
    expect(b.readUInt16LE(14)).toBe(dos.date);
    expect(b.readUInt32LE(16)).toBe(0xdeadbeef);
    expect(b.readUInt32LE(20)).toBe(900);
    expect(b.readUInt32LE(24)).toBe(900);
    expect(b.readUInt16LE(28)).toBe(12);
    expect(b.readUInt16LE(30)).toBe(0); // extra length
    expect(b.readUInt16LE(32)).toBe(0); // comment length
    expect(b.readUInt16LE(34)).toBe(0); // disk
    expect(b.readUInt16LE(36)).toBe(0); // internal attributes
    expect(b.readUInt32LE(38)).toBe(0x81a40000); // regular file 0644
    expect(b.readUInt32LE(42)).toBe(1234);
    expect(b.subarray(46).toString('utf8')).toBe('images/a.png');
  });

  it('puts only the local header offset in a ZIP64 extra when it is 5 GiB', () => {
    const b = encodeCentralDirectoryHeader(stored({ localHeaderOffset: 5 * GiB }));
    expect(b.length).toBe(46 + 12 + 12);
    expect(b.readUInt16LE(6)).toBe(45); // version needed 4.5
    expect(b.readUInt32LE(20)).toBe(900);
    expect(b.readUInt32LE(24)).toBe(900);
    expect(b.readUInt16LE(30)).toBe(12);
    expect(b.readUInt32LE(42)).toBe(0xffffffff);
    expect(b.subarray(58).toString('hex')).toBe('0100' + '0800' + '0000004001000000'); // id 1, 8 bytes, 0x1_4000_0000 LE
  });

  it('orders uncompressed size, compressed size, offset in the ZIP64 extra, and only those that overflow', () => {
    const all = encodeCentralDirectoryHeader(
      stored({ name: 'big.csv', method: 8, dataDescriptor: true, uncompressedSize: 6 * GiB, compressedSize: 4 * GiB, localHeaderOffset: 0xffffffff }),
    );
    expect(all.readUInt16LE(8)).toBe(0x0808);
    expect(all.readUInt32LE(20)).toBe(0xffffffff);
    expect(all.readUInt32LE(24)).toBe(0xffffffff);
    expect(all.readUInt32LE(42)).toBe(0xffffffff);
    const extra = all.subarray(46 + 7);
    expect(all.readUInt16LE(30)).toBe(28);
    expect(extra.readUInt16LE(0)).toBe(1);
    expect(extra.readUInt16LE(2)).toBe(24);
    expect(extra.readBigUInt64LE(4)).toBe(BigInt(6 * GiB));
    expect(extra.readBigUInt64LE(12)).toBe(BigInt(4 * GiB));
    expect(extra.readBigUInt64LE(20)).toBe(0xffffffffn);

    const onlyUncompressed = encodeCentralDirectoryHeader(stored({ name: 'z', dataDescriptor: true, method: 8, uncompressedSize: 5 * GiB, compressedSize: 1000 }));
    expect(onlyUncompressed.readUInt32LE(20)).toBe(1000);
    expect(onlyUncompressed.readUInt32LE(24)).toBe(0xffffffff);
    expect(onlyUncompressed.readUInt32LE(42)).toBe(1234);
    expect(onlyUncompressed.subarray(47).toString('hex')).toBe('0100' + '0800' + '0000004001000000');
  });

  it('keeps 32-bit fields up to 0xFFFFFFFE', () => {
    const b = encodeCentralDirectoryHeader(stored({ localHeaderOffset: 0xfffffffe }));
    expect(b.readUInt16LE(30)).toBe(0);
    expect(b.readUInt32LE(42)).toBe(0xfffffffe);
  });
});

describe('end of central directory', () => {
  it('is a plain EOCD for small archives', () => {
    const cd = { entries: 3, size: 200, offset: 5000 };
    expect(needsZip64EndOfCentralDirectory(cd)).toBe(false);
    const b = encodeEndOfArchive(cd);
    expect(b.length).toBe(22);
    expect(b.readUInt32LE(0)).toBe(0x06054b50);
    expect(b.readUInt16LE(4)).toBe(0);
    expect(b.readUInt16LE(6)).toBe(0);
    expect(b.readUInt16LE(8)).toBe(3);
    expect(b.readUInt16LE(10)).toBe(3);
    expect(b.readUInt32LE(12)).toBe(200);
    expect(b.readUInt32LE(16)).toBe(5000);
    expect(b.readUInt16LE(20)).toBe(0);
  });

  it('needs ZIP64 above 65 534 entries or 32-bit sizes/offsets', () => {
    expect(needsZip64EndOfCentralDirectory({ entries: 65_534, size: 1, offset: 1 })).toBe(false);
    expect(needsZip64EndOfCentralDirectory({ entries: 65_535, size: 1, offset: 1 })).toBe(true);
    expect(needsZip64EndOfCentralDirectory({ entries: 1, size: 0xffffffff, offset: 1 })).toBe(true);
    expect(needsZip64EndOfCentralDirectory({ entries: 1, size: 1, offset: 0xffffffff })).toBe(true);
  });

  it('sets the overflowing EOCD fields to 0xFFFF / 0xFFFFFFFF', () => {
    const b = encodeEndOfCentralDirectory({ entries: 70_000, size: 1000, offset: 6 * GiB });
    expect(b.readUInt16LE(8)).toBe(0xffff);
    expect(b.readUInt16LE(10)).toBe(0xffff);
    expect(b.readUInt32LE(12)).toBe(1000);
    expect(b.readUInt32LE(16)).toBe(0xffffffff);
  });

  it('encodes the ZIP64 EOCD record and locator', () => {
    const cd = { entries: 70_000, size: 6_000_000, offset: 5 * GiB };
    const r = encodeZip64EndOfCentralDirectory(cd);
    expect(r.length).toBe(56);
    expect(r.readUInt32LE(0)).toBe(0x06064b50);
    expect(r.readBigUInt64LE(4)).toBe(44n);
    expect(r.readUInt16LE(12)).toBe(0x032d);
    expect(r.readUInt16LE(14)).toBe(45);
    expect(r.readUInt32LE(16)).toBe(0);
    expect(r.readUInt32LE(20)).toBe(0);
    expect(r.readBigUInt64LE(24)).toBe(70_000n);
    expect(r.readBigUInt64LE(32)).toBe(70_000n);
    expect(r.readBigUInt64LE(40)).toBe(6_000_000n);
    expect(r.readBigUInt64LE(48)).toBe(BigInt(5 * GiB));

    const l = encodeZip64EndOfCentralDirectoryLocator(5 * GiB + 6_000_000);
    expect(l.length).toBe(20);
    expect(l.readUInt32LE(0)).toBe(0x07064b50);
    expect(l.readUInt32LE(4)).toBe(0);
    expect(l.readBigUInt64LE(8)).toBe(BigInt(5 * GiB + 6_000_000));
    expect(l.readUInt32LE(16)).toBe(1);

    const all = encodeEndOfArchive(cd);
    expect(all.length).toBe(56 + 20 + 22);
    expect(all.subarray(0, 56)).toEqual(r);
    expect(all.subarray(56, 76)).toEqual(l);
    expect(all.readUInt32LE(76)).toBe(0x06054b50);
  });

  it('can be forced to ZIP64 (an entry used ZIP64 fields)', () => {
    const b = encodeEndOfArchive({ entries: 2, size: 100, offset: 1000 }, true);
    expect(b.length).toBe(98);
    expect(b.readBigUInt64LE(56 + 8)).toBe(1100n);
    expect(b.readUInt16LE(76 + 8)).toBe(2);
  });
});
