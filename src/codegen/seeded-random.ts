/**
 * Small deterministic (seeded, non-cryptographic) generators: for synthetic sample images in the
 * renderer and for reproducible test inputs. Never for anything that must be unpredictable.
 */

/** xorshift32: a stream of uint32 values; seed 0 is replaced by 1 (xorshift's only fixed point). */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** xorshift32 scaled to [0, 1). */
export function xorshift32Unit(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 0x1_0000_0000;
}

/** mulberry32: a stream of numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
