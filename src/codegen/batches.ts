/** Batching of a work order's codes: batch numbers are 1-based, at most MAX_BATCH_SIZE codes each. */

export const MAX_BATCH_SIZE = 20_000;

export interface BatchPlan {
  batchNumber: number;
  /** 1-based sequence numbers, inclusive. */
  firstSequence: number;
  lastSequence: number;
}

/** Batch of the code with the given 1-based sequence number. */
export function batchNumberOf(sequence: number): number {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`sequence number must be a positive integer, got ${sequence}`);
  }
  return Math.ceil(sequence / MAX_BATCH_SIZE);
}

/** Splits `quantity` codes into consecutive full batches and a final partial one. */
export function planBatches(quantity: number): BatchPlan[] {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`quantity must be a non-negative integer, got ${quantity}`);
  }
  const batches: BatchPlan[] = [];
  for (let first = 1, batchNumber = 1; first <= quantity; first += MAX_BATCH_SIZE, batchNumber++) {
    batches.push({ batchNumber, firstSequence: first, lastSequence: Math.min(quantity, first + MAX_BATCH_SIZE - 1) });
  }
  return batches;
}
