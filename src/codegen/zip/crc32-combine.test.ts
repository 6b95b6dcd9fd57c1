import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Combine } from './crc32-combine.js';

describe('crc32Combine', () => {
  it('gives the CRC-32 of the concatenation, for every split', () => {
    for (const [a, b] of [[0, 0], [0, 5], [5, 0], [1, 1], [13, 977], [4096, 65_537], [100_000, 3]]) {
      const first = randomBytes(a!);
      const second = randomBytes(b!);
      expect(crc32Combine(crc32(first), crc32(second), second.length)).toBe(crc32(Buffer.concat([first, second])));
    }
  });

  it('chains over many pieces, as an order\'s batches do', () => {
    const pieces = Array.from({ length: 50 }, (_, i) => randomBytes(1000 + i * 37));
    const combined = pieces.reduce((crc, piece, i) => (i === 0 ? crc32(piece) : crc32Combine(crc, crc32(piece), piece.length)), 0);
    expect(combined).toBe(crc32(Buffer.concat(pieces)));
  });

  it('handles lengths beyond 2³¹ (the arithmetic never uses 32-bit shifts on the length)', () => {
    // Appending 2³² zero bytes twice equals appending 2³³: the operator is a power of the one-byte operator.
    const twice = crc32Combine(crc32Combine(0x12345678, 0, 2 ** 32), 0, 2 ** 32);
    expect(crc32Combine(0x12345678, 0, 2 ** 33)).toBe(twice);
    expect(() => crc32Combine(0, 0, -1)).toThrow(RangeError);
  });
});
