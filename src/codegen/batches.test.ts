import { describe, expect, it } from 'vitest';
import { batchNumberOf, MAX_BATCH_SIZE, planBatches } from './batches.js';

describe('batches', () => {
  it('numbers batches from 1 in blocks of 20 000', () => {
    expect(MAX_BATCH_SIZE).toBe(20_000);
    expect(batchNumberOf(1)).toBe(1);
    expect(batchNumberOf(20_000)).toBe(1);
    expect(batchNumberOf(20_001)).toBe(2);
    expect(batchNumberOf(1_000_000)).toBe(50);
    expect(() => batchNumberOf(0)).toThrow(RangeError);
    expect(() => batchNumberOf(1.5)).toThrow(RangeError);
  });

  it('plans consecutive batches covering the quantity exactly', () => {
    expect(planBatches(0)).toEqual([]);
    expect(planBatches(1)).toEqual([{ batchNumber: 1, firstSequence: 1, lastSequence: 1 }]);
    expect(planBatches(20_000)).toEqual([{ batchNumber: 1, firstSequence: 1, lastSequence: 20_000 }]);
    expect(planBatches(45_000)).toEqual([
      { batchNumber: 1, firstSequence: 1, lastSequence: 20_000 },
      { batchNumber: 2, firstSequence: 20_001, lastSequence: 40_000 },
      { batchNumber: 3, firstSequence: 40_001, lastSequence: 45_000 },
    ]);
    const million = planBatches(1_000_000);
    expect(million).toHaveLength(50);
    for (const b of million) {
      expect(batchNumberOf(b.firstSequence)).toBe(b.batchNumber);
      expect(batchNumberOf(b.lastSequence)).toBe(b.batchNumber);
    }
    expect(() => planBatches(-1)).toThrow(RangeError);
    expect(() => planBatches(2.5)).toThrow(RangeError);
  });
});
