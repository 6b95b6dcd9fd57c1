/**
 * Entry point of a render thread (piscina). Holds the pattern generator for the graphic key it was
 * started with and renders batches; the result buffer is transferred back, not copied.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { move } from 'piscina';
import { PatternGenerator } from '../../codegen/graphic/pattern.js';
import { renderBatch } from '../../codegen/render/render-batch.js';
import type { RenderThreadTask } from './render-pool.js';

const { graphicKey } = workerData as { graphicKey: Uint8Array };
/** Added to the niceness the thread inherited from the main thread. */
const RENDER_THREAD_NICENESS = 5;

/**
 * Render threads run at a lower scheduling priority than the main thread (Linux: the priority of a
 * thread id). The main thread feeds them and commits codes; when the cores are full it must not wait
 * behind them, or the render queue runs dry. Elsewhere this is skipped.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + RENDER_THREAD_NICENESS));
  } catch {
    // not Linux, or not permitted: run at normal priority
  }
}
lowerThreadPriority();
const patterns = new PatternGenerator(graphicKey);

export default function render({ task, into }: RenderThreadTask): ArrayBuffer {
  return move(renderBatch(task, patterns, into ?? undefined)) as unknown as ArrayBuffer;
}
