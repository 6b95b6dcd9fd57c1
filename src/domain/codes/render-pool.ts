import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { readRenderedBatch, type RenderBatchTask, type RenderedImage } from '../../codegen/render/render-batch.js';

/** Renders batches of code images off the main thread. */
export interface ImageRenderer {
  /** How many batches can usefully run at once. */
  readonly parallelism: number;
  render(task: RenderBatchTask): Promise<RenderedImage[]>;
  close(): Promise<void>;
}

/** Young-generation size of each render thread's heap. */
const YOUNG_GENERATION_MB = 8;
/** Threads are started on the first batch and stopped after this long without work. */
const IDLE_TIMEOUT_MS = 30_000;

/**
 * The compiled worker script. Under a TypeScript runner (tests, benchmarks) this module is `src/….ts`
 * and the worker is taken from the build in `dist/` (`npm test` and the benchmarks build first).
 */
function workerFile(): string {
  const self = fileURLToPath(import.meta.url);
  const compiled = self.endsWith('.ts') ? self.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2') : self;
  return compiled.replace(/render-pool\.(ts|js)$/, 'render-worker.js');
}

/** A piscina pool of render threads; the graphic key is handed to each thread once, at its start. */
export class ThreadRenderPool implements ImageRenderer {
  private readonly pool: Piscina;

  constructor(readonly parallelism: number, graphicKey: Uint8Array) {
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: parallelism,
      idleTimeout: IDLE_TIMEOUT_MS,
      workerData: { graphicKey },
      // Render threads allocate short-lived buffers only: a small young generation keeps RSS flat.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
  }

  async render(task: RenderBatchTask): Promise<RenderedImage[]> {
    const buffer = (await this.pool.run(task)) as ArrayBuffer;
    return readRenderedBatch(buffer);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
