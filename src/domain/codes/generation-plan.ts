import type { ImageFormat } from '../../codegen/render/index.js';
import type { CodeRow, WorkorderRow } from '../../db/tables/workorders.table.js';
import { archiveFileName } from '../workorders/workorder-archive.js';
import type { RenderSettings } from './render-settings.js';

/**
 * Everything an order's archive depends on, fixed once by the plan job and stored on the order, so that
 * every batch — on any machine, in any attempt — writes the same bytes for the same codes.
 */
export interface GenerationPlan {
  /** The images' render plan and format; format 'none' (no plan) for an order without images. */
  render: RenderSettings;
  /** Modification time of every entry of the archive (ISO 8601). */
  mtime: string;
  /** Digits of the sequence number in image names (at least 7). */
  sequenceDigits: number;
  /** manifest.json without its "files" list (which only the assembly knows). */
  manifest: Record<string, unknown>;
}

export function parseGenerationPlan(order: Pick<WorkorderRow, 'id' | 'generation_plan'>): GenerationPlan {
  if (order.generation_plan === null) throw new Error(`order ${order.id} has no generation plan`);
  return JSON.parse(order.generation_plan) as GenerationPlan;
}

/** Name of a code's image in the archive: `images/batch_NNNN/<sequence>_<extended_id>.<format>`. */
export function imageEntryName(
  plan: GenerationPlan, format: ImageFormat, code: Pick<CodeRow, 'batch_number' | 'sequence_number' | 'extended_id'>,
): string {
  return `images/batch_${String(code.batch_number).padStart(4, '0')}/${String(code.sequence_number).padStart(plan.sequenceDigits, '0')}_${code.extended_id}.${format}`;
}

/** Folder of an order's archive pieces in the blob store (the archive key makes it unguessable). */
function archiveFolder(workorderId: number, archiveKey: string): string {
  return `workorders/${workorderId}/${archiveFileName(workorderId, archiveKey)}.parts/`;
}

/** Key prefix of every fragment a run of this batch may have started. */
export function fragmentKeyPrefix(workorderId: number, archiveKey: string, batchNumber: number): string {
  return `${archiveFolder(workorderId, archiveKey)}batch-${String(batchNumber).padStart(6, '0')}-`;
}

/** A batch run's fragment: its own key (`runToken`), so a twin run never overwrites the winner's. */
export function fragmentKey(workorderId: number, archiveKey: string, batchNumber: number, runToken: string): string {
  return `${fragmentKeyPrefix(workorderId, archiveKey, batchNumber)}${runToken}`;
}

export function tailKey(workorderId: number, archiveKey: string, runToken: string): string {
  return `${archiveFolder(workorderId, archiveKey)}tail-${runToken}`;
}
