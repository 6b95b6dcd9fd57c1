import type { UpdateObject } from 'kysely';
import type { Database, Executor } from '../database.js';
import type { NewWorkorderRow, WorkorderRow } from '../tables/workorders.table.js';

/** Which orders a caller may see (tenancy): by owner company, by assigned partner, or all (platform). */
export interface WorkorderScope {
  companyId?: number;
  printingPartnerId?: number;
}

export interface WorkorderFilters {
  /** Filters on the caller's own archive flag (`archiveScope`). */
  isArchived?: boolean;
  archiveScope: ArchiveScope;
  search?: string;
  state?: string;
  codegenStatus?: number;
  printingPartnerId?: number;
}

/** Whose archive flag: the brand owner's side (owner and platform staff) or the printing partner's. */
export type ArchiveScope = 'owner' | 'partner';

export const archiveColumn = (scope: ArchiveScope): 'is_archived' | 'partner_is_archived' =>
  scope === 'partner' ? 'partner_is_archived' : 'is_archived';

export const insertWorkorder = (db: Executor, row: NewWorkorderRow) =>
  db.insertInto('workorders').values(row).returningAll().executeTakeFirstOrThrow();

export function findWorkorderById(db: Executor, id: number, scope: WorkorderScope = {}): Promise<WorkorderRow | undefined> {
  let query = db.selectFrom('workorders').selectAll().where('id', '=', id);
  if (scope.companyId !== undefined) query = query.where('company_id', '=', scope.companyId);
  if (scope.printingPartnerId !== undefined) query = query.where('printing_partner_id', '=', scope.printingPartnerId);
  return query.executeTakeFirst();
}

export const findWorkorderByReference = (db: Executor, companyId: number, reference: string) =>
  db.selectFrom('workorders').select('id').where('company_id', '=', companyId).where('reference', '=', reference)
    .executeTakeFirst();

/** Conditions an update requires of the row; each given one must hold. */
export interface WorkorderGuard {
  states?: readonly string[];
  codegenStatuses?: readonly number[];
  printingPartnerId?: number;
  /** Optimistic concurrency: the row is unchanged since it was read. */
  updatedDate?: string;
  /** Generation is not planned yet (a twin plan run has not won). */
  planUnset?: true;
}

/**
 * Updates an order only if the guard holds: what makes state transitions race-free. Returns the new
 * row, or undefined when the guard did not match.
 */
export function updateWorkorderGuarded(
  db: Executor,
  id: number,
  guard: WorkorderGuard,
  changes: UpdateObject<Database, 'workorders'>,
): Promise<WorkorderRow | undefined> {
  let query = db.updateTable('workorders').set(changes).where('id', '=', id);
  if (guard.states) query = query.where('state', 'in', guard.states);
  if (guard.codegenStatuses) query = query.where('codegen_status', 'in', guard.codegenStatuses);
  if (guard.printingPartnerId !== undefined) query = query.where('printing_partner_id', '=', guard.printingPartnerId);
  if (guard.updatedDate !== undefined) query = query.where('updated_date', '=', guard.updatedDate);
  if (guard.planUnset) query = query.where('generation_plan', 'is', null);
  return query.returningAll().executeTakeFirst();
}

/** Marks as failed (5) those of `ids` still shown as generating (6); returns how many. */
export async function failGeneratingOrders(db: Executor, ids: readonly number[], message: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.updateTable('workorders')
    .set({ codegen_status: 5, codegen_error: message })
    .where('codegen_status', '=', 6)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteWorkorder(db: Executor, id: number, guard: { states: readonly string[]; codegenStatuses: readonly number[] }): Promise<boolean> {
  const result = await db.deleteFrom('workorders').where('id', '=', id)
    .where('state', 'in', guard.states).where('codegen_status', 'in', guard.codegenStatuses).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Adds a batch's progress to an order that is still generating (the guard: a canceled order takes no
 * more); returns the counters after the update, or undefined when the order no longer generates.
 */
export function addGenerationProgress(
  db: Executor, id: number, progress: { codes?: number; images?: number; batches?: number },
): Promise<{ batches_done: number; batch_count: number | null } | undefined> {
  return db.updateTable('workorders')
    .set((eb) => ({
      codes_generated: eb('codes_generated', '+', progress.codes ?? 0),
      images_rendered: eb('images_rendered', '+', progress.images ?? 0),
      batches_done: eb('batches_done', '+', progress.batches ?? 0),
    }))
    .where('id', '=', id).where('codegen_status', '=', 6)
    .returning(['batches_done', 'batch_count'])
    .executeTakeFirst();
}

/**
 * Orders whose archive retention should remove (generated before `completedBefore`, not removed yet), and
 * orders whose removal began but whose blobs may remain (`archive_tail_key` still set): oldest first.
 */
export function findArchivesToRemove(db: Executor, completedBefore: string, limit: number) {
  return db.selectFrom('workorders')
    .select(['id', 'archive_tail_key', 'archive_removed_date'])
    .where('archive_tail_key', 'is not', null)
    .where((eb) => eb.or([
      eb.and([eb('archive_removed_date', 'is', null), eb('codegen_status', '=', 4), eb('date_codes_completed', '<', completedBefore)]),
      eb('archive_removed_date', 'is not', null),
    ]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Marks the archive removed (it stops being downloadable at once); false when another process did it first. */
export async function markArchiveRemoved(db: Executor, id: number, now: string): Promise<boolean> {
  const result = await db.updateTable('workorders').set({ archive_removed_date: now })
    .where('id', '=', id).where('archive_removed_date', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The archive's blobs are gone: nothing is left to remove. */
export async function forgetArchiveBlobs(db: Executor, id: number): Promise<void> {
  await db.updateTable('workorders').set({ archive_tail_key: null }).where('id', '=', id).execute();
}
