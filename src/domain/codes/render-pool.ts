import { Piscina } from 'piscina';
import { readRenderedBatch, type RenderBatchTask, type RenderedImage } from '../../codegen/render/render-batch.js';
import { compiledFileBeside } from '../../shared/compiled-file.js';

/** A rendered batch. Its images are views of one buffer, valid until `release`. */
export interface RenderedBatch {
  readonly images: RenderedImage[];
  /** Hands the buffer back for a later batch: call once nothing refers to the images any more. */
  release(): void;
}

/** Renders batches of code images off the main thread. */
export interface ImageRenderer {
  /** How many batches can usefully run at once. */
  readonly parallelism: number;
  render(task: RenderBatchTask): Promise<RenderedBatch>;
  close(): Promise<void>;
}

/** The message a render thread receives: the batch, and a buffer of an earlier batch to render into. */
export interface RenderThreadTask {
  task: RenderBatchTask;
  into: ArrayBuffer | null;
}

/** Young-generation size of each render thread's heap. */
const YOUNG_GENERATION_MB = 8;
/** Threads are started on the first batch and stopped after this long without work. */
const IDLE_TIMEOUT_MS = 30_000;
/**
 * Batches handed to each render thread ahead of time. A thread that finishes a batch starts its next
 * one at once instead of waiting for the main thread (busy committing codes) to dispatch it: one at a
 * time, the threads sat idle ≈ 30% of a 1 000 000-code run; with 4 (and the commit yielding between
 * its statements) that run went from ≈ 48 s to ≈ 40 s here.
 */
const TASKS_QUEUED_PER_THREAD = 4;
/** Released batch buffers kept for reuse (more than the generation loop ever has in flight). */
const MAX_SPARE_BUFFERS = 64;

/** The compiled worker script (see compiledFileBeside). */
const workerFile = () => compiledFileBeside(import.meta.url, 'render-worker.js');

/**
 * A piscina pool of render threads; the graphic key is handed to each thread once, at its start.
 * Batch buffers travel between the threads by transfer and are reused: a buffer the main thread has
 * released goes back with the next task, so memory does not wait for garbage collection to reclaim
 * a million codes' worth of transferred buffers.
 */
export class ThreadRenderPool implements ImageRenderer {
  private readonly pool: Piscina;
  private readonly spare: ArrayBuffer[] = [];

  constructor(readonly parallelism: number, graphicKey: Uint8Array) {
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: parallelism,
      idleTimeout: IDLE_TIMEOUT_MS,
      concurrentTasksPerWorker: TASKS_QUEUED_PER_THREAD,
      workerData: { graphicKey },
      // Render threads allocate short-lived buffers only: a small young generation keeps RSS flat.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
  }

  async render(task: RenderBatchTask): Promise<RenderedBatch> {
    const into = this.spare.pop() ?? null;
    const message: RenderThreadTask = { task, into };
    const buffer = (await this.pool.run(message, { transferList: into ? [into] : [] })) as ArrayBuffer;
    let released = false;
    return {
      images: readRenderedBatch(buffer),
      release: () => {
        if (released) return;
        released = true;
        if (this.spare.length < MAX_SPARE_BUFFERS) this.spare.push(buffer);
      },
    };
  }

  close(): Promise<void> {
    this.spare.length = 0;
    return this.pool.destroy();
  }
}
