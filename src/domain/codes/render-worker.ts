/**
 * Entry point of a render thread (piscina). Holds the pattern generator for the graphic key it was
 * started with and renders batches; the result buffer is transferred back, not copied.
 */
import { workerData } from 'node:worker_threads';
import { move } from 'piscina';
import { PatternGenerator } from '../../codegen/graphic/pattern.js';
import { renderBatch, type RenderBatchTask } from '../../codegen/render/render-batch.js';

const { graphicKey } = workerData as { graphicKey: Uint8Array };
const patterns = new PatternGenerator(graphicKey);

export default function render(task: RenderBatchTask): ArrayBuffer {
  return move(renderBatch(task, patterns)) as unknown as ArrayBuffer;
}
