import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection, in percent.
 *
 * Generation keeps each chunk of codes alive for about a second while it is committed, rendered and
 * written, so a steady stream of objects is promoted and then dies. With V8's default growth factor
 * (up to 4× the live heap) that garbage piles up for tens of seconds, so the process grew by ≈ 50 MB
 * between a 100 000- and a 1 000 000-code order. At 20% a full collection of the ≈ 30 MB live heap runs
 * about once a second, mostly concurrently, and the resident set stays flat (measured with
 * `npm run bench:codegen -- --quantity 100000,1000000`).
 */
export const HEAP_GROWING_PERCENT = 20;

/** Applies the heap settings of a long-running Sigil process; call before the application starts. */
export function tuneHeapForSteadyMemory(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
