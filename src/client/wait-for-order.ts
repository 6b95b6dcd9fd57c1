import type { ApiClient } from './api-client.js';
import type { Progress } from './progress.js';
import type { Workorder } from './workorder.js';
import { CODEGEN_STATUS_NAMES } from './workorder.js';

export type WaitOutcome = 'generated' | 'failed' | 'canceled' | 'timeout';

/** How far an order is, in one line: `new, generating: codes 30/60, images 12/60`. */
export function progressLabel(order: Workorder): string {
  const status = CODEGEN_STATUS_NAMES[order.codegen_status] ?? `codegen_status ${order.codegen_status}`;
  return `${order.state}, ${status}: ${countsLabel(order)}`;
}

export function countsLabel(order: Workorder): string {
  const { codes_generated: codes, images_rendered: images } = order.codegen_progress;
  return `codes ${codes}/${order.quantity}, images ${images}/${order.quantity}`;
}

export function outcomeOf(order: Workorder): Exclude<WaitOutcome, 'timeout'> | null {
  if (order.state === 'canceled' || order.codegen_status === 3) return 'canceled';
  if (order.codegen_status === 5) return 'failed';
  if (order.codegen_status === 4) return 'generated';
  return null;
}

/**
 * Polls `GET /api/v2/workorders/{id}/` every `intervalMs` until its codes are generated, generation
 * failed, the order was canceled, or `timeoutMs` (0: never) passed; reports each poll to `progress`.
 */
export async function waitForOrder(
  api: ApiClient, id: number, options: { intervalMs: number; timeoutMs: number; progress: Progress },
): Promise<{ order: Workorder; outcome: WaitOutcome }> {
  const deadline = options.timeoutMs > 0 ? Date.now() + options.timeoutMs : Number.POSITIVE_INFINITY;
  try {
    for (;;) {
      const order = await api.json<Workorder>('GET', `/api/v2/workorders/${id}/`);
      options.progress.update(order.codegen_progress.percent, progressLabel(order));
      const outcome = outcomeOf(order);
      if (outcome) return { order, outcome };
      const left = deadline - Date.now();
      if (left <= 0) return { order, outcome: 'timeout' };
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, left)));
    }
  } finally {
    options.progress.end();
  }
}
