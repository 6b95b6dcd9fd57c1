import type { Expression, ExpressionBuilder, SqlBool, Updateable } from 'kysely';
import type { Database, Executor } from '../database.js';
import type { CodeTransactionRow, CodeTransactionsTable, NewCodeTransactionRow } from '../tables/code-transactions.table.js';

/** Which orders' codes a caller may change: a brand owner's own, a partner's where the order lets it, or any (platform). */
export interface CodeEditScope {
  companyId?: number;
  /** A printing partner: orders assigned to it whose `partner_permissions` include `activate_codes`. */
  partnerId?: number;
}

/** A code as an SCM upload sees it. */
export interface EditableCode {
  id: number;
  extended_id: string;
  serial_number: string | null;
  workorder_id: number;
  company_id: number;
  workorder_state: string;
}

type WithOrders = Database & { w: Database['workorders'] };

/** The scope as a condition on the order (aliased `w`). */
function scoped(eb: ExpressionBuilder<WithOrders, 'w'>, scope: CodeEditScope): Expression<SqlBool> {
  const conditions = [];
  if (scope.companyId !== undefined) conditions.push(eb('w.company_id', '=', scope.companyId));
  if (scope.partnerId !== undefined) {
    conditions.push(eb('w.printing_partner_id', '=', scope.partnerId));
    // partner_permissions is a JSON array of names: the quoted name is one whole element.
    conditions.push(eb('w.partner_permissions', 'like', '%"activate_codes"%'));
  }
  return eb.and(conditions);
}
const asOrders = (eb: unknown) => eb as ExpressionBuilder<WithOrders, 'w'>;

export async function findEditableCodesByExtendedIds(db: Executor, ids: readonly string[], scope: CodeEditScope): Promise<EditableCode[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('codes as c').innerJoin('workorders as w', 'w.id', 'c.workorder_id')
    .select(['c.id', 'c.extended_id', 'c.serial_number', 'c.workorder_id', 'w.company_id', 'w.state as workorder_state'])
    .where('c.extended_id', 'in', ids)
    .where((eb) => scoped(asOrders(eb), scope))
    .execute();
}

/** Orders of the scope that numbered their codes, with their serial ranges (serials are `serial_start + sequence - 1`). */
export function findSerialRanges(db: Executor, scope: CodeEditScope) {
  return db.selectFrom('workorders as w')
    .select(['w.id', 'w.company_id', 'w.serial_start', 'w.quantity', 'w.state'])
    .where('w.use_serial_number', '=', 1).where('w.serial_start', 'is not', null)
    .where((eb) => scoped(asOrders(eb), scope))
    .orderBy('w.serial_start')
    .execute();
}

export async function findCodesBySequences(db: Executor, workorderId: number, sequences: readonly number[]) {
  if (sequences.length === 0) return [];
  return db.selectFrom('codes').select(['id', 'extended_id', 'serial_number', 'sequence_number'])
    .where('workorder_id', '=', workorderId).where('sequence_number', 'in', sequences).execute();
}

export interface StatusChange {
  activationStatus: number;
  blacklistReason: number;
  userId: number;
  at: string;
}

/**
 * Sets the status of the codes `where` selects, skipping those that already have it; activation also
 * records when and by whom. Returns the codes changed.
 */
async function applyStatus(
  db: Executor, change: StatusChange, where: (q: ReturnType<typeof baseUpdate>) => ReturnType<typeof baseUpdate>,
): Promise<number> {
  const result = await where(baseUpdate(db, change))
    .where((eb) => eb.or([eb('activation_status', '<>', change.activationStatus), eb('blacklist_reason', '<>', change.blacklistReason)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function baseUpdate(db: Executor, change: StatusChange) {
  const activating = change.activationStatus === 1;
  return db.updateTable('codes').set((eb) => ({
    activation_status: change.activationStatus,
    blacklist_reason: change.blacklistReason,
    scm_updated_at: change.at,
    scm_updated_by_user_id: change.userId,
    ...(activating ? {
      activated_at: eb.case().when('activation_status', '<>', 1).then(change.at).else(eb.ref('activated_at')).end(),
      activated_by_user_id: eb.case().when('activation_status', '<>', 1).then(change.userId).else(eb.ref('activated_by_user_id')).end(),
    } : {}),
  }));
}

export function applyStatusToCodes(db: Executor, codeIds: readonly number[], change: StatusChange): Promise<number> {
  if (codeIds.length === 0) return Promise.resolve(0);
  return applyStatus(db, change, (q) => q.where('id', 'in', codeIds));
}

/** One chunk of an order: sequence numbers in (`after`, `last`] — one range of the (workorder_id, sequence_number) index. */
export function applyStatusInSequenceRange(db: Executor, workorderId: number, after: number, last: number, change: StatusChange): Promise<number> {
  return applyStatus(db, change, (q) => q.where('workorder_id', '=', workorderId).where('sequence_number', '>', after).where('sequence_number', '<=', last));
}

export function insertCodeTransaction(db: Executor, row: NewCodeTransactionRow): Promise<CodeTransactionRow> {
  return db.insertInto('code_transactions').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findCodeTransaction(db: Executor, id: number): Promise<CodeTransactionRow | undefined> {
  return db.selectFrom('code_transactions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateCodeTransaction(db: Executor, id: number, set: Updateable<CodeTransactionsTable>): Promise<void> {
  await db.updateTable('code_transactions').set(set).where('id', '=', id).execute();
}

/** Adds one chunk's outcome to a task and moves its cursor, in the chunk's transaction. */
export async function recordTaskProgress(
  db: Executor, id: number, progress: { cursor: number; processed: number; affected: number; skipped: number },
): Promise<void> {
  await db.updateTable('code_transactions').set((eb) => ({
    progress_cursor: progress.cursor,
    codes_processed: eb('codes_processed', '+', progress.processed),
    codes_affected: eb('codes_affected', '+', progress.affected),
    codes_skipped: eb('codes_skipped', '+', progress.skipped),
  })).where('id', '=', id).execute();
}

/** Which transactions a caller sees: those on its codes (brand owner), those it made (partner), or all (platform). */
export interface TransactionScope {
  companyId?: number;
  actorCompanyId?: number;
}

export async function listCodeTransactions(db: Executor, scope: TransactionScope, page: { limit: number; offset: number }) {
  let query = db.selectFrom('code_transactions');
  if (scope.companyId !== undefined) query = query.where('company_id', '=', scope.companyId);
  if (scope.actorCompanyId !== undefined) query = query.where('actor_company_id', '=', scope.actorCompanyId);
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { count: Number(total.n), rows };
}

export const usernamesOf = (db: Executor, ids: readonly number[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('users').select(['id', 'username']).where('id', 'in', ids).execute();
