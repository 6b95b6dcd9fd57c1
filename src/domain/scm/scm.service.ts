import type { Db, Executor } from '../../db/database.js';
import * as scm from '../../db/repositories/scm.repository.js';
import type { EditableCode } from '../../db/repositories/scm.repository.js';
import * as workorders from '../../db/repositories/workorders.repository.js';
import type { CodeTransactionRow } from '../../db/tables/code-transactions.table.js';
import type { JobQueue } from '../../jobs/queue.js';
import { scmTaskJobKey } from '../../jobs/job-types.js';
import { AppError, FieldErrorCollector } from '../../shared/app-error.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import { requireAnyPermission, requirePermission, type Principal } from '../auth/principal.js';
import { ACTIVATION, CODEGEN_STATUS } from '../workorders/workorder.types.js';
import { codeEditScopeOf } from './code-edit-scope.js';
import { findEditableCodes } from './code-lookup.js';
import {
  MAX_ASYNC_IDS, MAX_SYNC_ITEMS, type AsyncUploadInput, type ResolvedStatus, type StatusInput, type StoredConstraints, type SyncUploadInput,
} from './scm.types.js';

export interface ScmDeps {
  db: Db;
  clock: Clock;
  queue: JobQueue;
  onJobEnqueued?: () => void;
}

export interface SyncUploadResult {
  transaction: CodeTransactionRow;
  totalUpdates: number;
  codesAffected: number;
  items: Array<Record<string, string | number>>;
}

const BLACKLIST_REASONS = { min: 1, max: 10 };

/**
 * Activation and blacklisting by people: synchronous uploads of up to 1 000 codes, and tasks over lists
 * or whole orders run as jobs in chunks. Every upload is a code transaction (who, when, what, how many).
 */
export class ScmService {
  constructor(private readonly deps: ScmDeps) {}

  /** `POST /api/v2/scm/upload/`: all items or none (a 400 names each bad item). */
  async uploadSync(principal: Principal, input: SyncUploadInput): Promise<SyncUploadResult> {
    requirePermission(principal, 'scm_code_edit');
    const errors = new FieldErrorCollector();
    if (input.items.length === 0) errors.add('items', 'This list may not be empty.');
    if (input.items.length > MAX_SYNC_ITEMS) errors.add('items', `Ensure this field has no more than ${MAX_SYNC_ITEMS} elements; use /api/v2/scm/upload/async/ for more.`);
    if (errors.has()) throw AppError.validation(errors.toJSON());

    const key = input.data_key;
    const statuses = input.items.map((item, i) => {
      if (typeof item[key] !== 'string' || item[key] === '') errors.add(`items.${i}.${key}`, 'This field is required.');
      return statusOf(item, errors, `items.${i}.`);
    });
    if (errors.has()) throw AppError.validation(errors.toJSON());

    const scope = codeEditScopeOf(principal);
    const found = await findEditableCodes(this.deps.db, key, input.items.map((item) => item[key]!), scope);
    const chosen: EditableCode[] = [];
    input.items.forEach((item, i) => {
      const codes = found.get(item[key]!) ?? [];
      if (codes.length === 0) errors.add(`items.${i}.${key}`, 'No such code.');
      else if (codes.length > 1) errors.add(`items.${i}.${key}`, 'This serial number names codes of several brand owners; use extended_id.');
      else if (codes[0]!.workorder_state === 'canceled') errors.add(`items.${i}.${key}`, 'The code\'s work order is canceled: its codes stay blacklisted.');
      else chosen.push(codes[0]!);
    });
    if (errors.has()) throw AppError.validation(errors.toJSON());
    const brandOwners = new Set(chosen.map((c) => c.company_id));
    if (brandOwners.size > 1) throw AppError.state('One upload may change the codes of one brand owner only.');

    const now = this.now();
    // Items in order: a code named twice ends with its last item's status.
    const finalStatus = new Map<number, ResolvedStatus>();
    chosen.forEach((code, i) => finalStatus.set(code.id, statuses[i]!));
    const groups = new Map<string, number[]>();
    for (const [codeId, status] of finalStatus) {
      const group = `${status.activationStatus}:${status.blacklistReason}`;
      groups.set(group, [...(groups.get(group) ?? []), codeId]);
    }
    const transaction = await this.deps.db.transaction().execute(async (trx) => {
      let affected = 0;
      for (const [group, codeIds] of groups) {
        const [activationStatus, blacklistReason] = group.split(':').map(Number) as [number, number];
        affected += await scm.applyStatusToCodes(trx, codeIds, { activationStatus, blacklistReason, userId: principal.userId, at: now });
      }
      return scm.insertCodeTransaction(trx, {
        company_id: chosen[0]!.company_id, actor_company_id: principal.companyId, created_by_user_id: principal.userId, kind: 'sync',
        state: 'complete', reference: input.reference ?? null,
        constraints: JSON.stringify({ data_key: key, items: input.items.map((item) => ({ [key]: item[key] })) }),
        scm_data: JSON.stringify({ items: statuses.map((s) => ({ activation_status: s.activationStatus, blacklist_reason: s.blacklistReason })) }),
        codes_total: finalStatus.size, codes_processed: finalStatus.size, codes_affected: affected,
        creation_date: now, started_at: now, completed_at: now,
      });
    });
    return {
      transaction,
      totalUpdates: input.items.length,
      codesAffected: transaction.codes_affected,
      items: input.items.map((item, i) => ({ [key]: item[key]!, activation_status: statuses[i]!.activationStatus, blacklist_reason: statuses[i]!.blacklistReason })),
    };
  }

  /** `POST /api/v2/scm/upload/async/`: records the task and enqueues its job in one transaction. */
  async uploadAsync(principal: Principal, input: AsyncUploadInput): Promise<CodeTransactionRow> {
    requirePermission(principal, 'scm_bulk_edit');
    const errors = new FieldErrorCollector();
    const status = statusOf(input.scm_data, errors, 'scm_data.');
    const c = input.constraints;
    const kinds = (['extended_id', 'serial_number', 'workorder'] as const).filter((k) => c[k] !== undefined);
    if (kinds.length !== 1) errors.add('constraints', 'Give exactly one of extended_id, serial_number (lists) or workorder.');
    for (const k of ['extended_id', 'serial_number'] as const) {
      const list = c[k];
      if (list === undefined) continue;
      if (list.length === 0) errors.add(`constraints.${k}`, 'This list may not be empty.');
      if (list.length > MAX_ASYNC_IDS) errors.add(`constraints.${k}`, `Ensure this field has no more than ${MAX_ASYNC_IDS} elements.`);
    }
    if (c.workorder === undefined && (c.sequence_from !== undefined || c.sequence_to !== undefined)) {
      errors.add('constraints', 'sequence_from and sequence_to narrow a workorder constraint.');
    }
    if (errors.has()) throw AppError.validation(errors.toJSON());

    let constraints: StoredConstraints;
    let brandOwner: number;
    let total: number;
    if (c.workorder !== undefined) {
      const scope = codeEditScopeOf(principal);
      const order = await workorders.findWorkorderById(this.deps.db, c.workorder, { companyId: scope.companyId, printingPartnerId: scope.partnerId });
      if (!order) throw AppError.notFound();
      if (scope.partnerId !== undefined && !(JSON.parse(order.partner_permissions) as string[]).includes('activate_codes')) {
        throw AppError.forbidden('This work order does not let its printing partner activate codes (partner_permissions).');
      }
      if (order.state === 'canceled') throw AppError.field('constraints.workorder', 'The work order is canceled: its codes stay blacklisted.');
      if (order.codegen_status !== CODEGEN_STATUS.generated) throw AppError.field('constraints.workorder', 'The work order\'s codes are not generated yet.');
      const from = c.sequence_from ?? 1;
      const to = c.sequence_to ?? order.quantity;
      if (from < 1 || to > order.quantity || from > to) {
        throw AppError.field('constraints', `sequence_from and sequence_to must satisfy 1 ≤ from ≤ to ≤ ${order.quantity}.`);
      }
      constraints = { kind: 'workorder', workorder: order.id, sequenceFrom: from, sequenceTo: to };
      brandOwner = order.company_id;
      total = to - from + 1;
    } else {
      const dataKey = c.extended_id !== undefined ? 'extended_id' : 'serial_number';
      const values = (c[dataKey] ?? []).map(String);
      // The task works on one brand owner's codes: the caller's own, or those of the first codes it names.
      const first = await findEditableCodes(this.deps.db, dataKey, values.slice(0, 1000), codeEditScopeOf(principal));
      const owner = [...first.values()][0]?.[0]?.company_id;
      if (owner === undefined) throw AppError.field(`constraints.${dataKey}`, 'None of the first 1000 codes exists for you.');
      constraints = { kind: 'ids', dataKey, values };
      brandOwner = owner;
      total = values.length;
    }

    const now = this.now();
    const task = await this.deps.db.transaction().execute(async (trx) => {
      const row = await scm.insertCodeTransaction(trx, {
        company_id: brandOwner, actor_company_id: principal.companyId, created_by_user_id: principal.userId, kind: 'async', state: 'pending',
        reference: input.reference ?? null, constraints: JSON.stringify(constraints),
        scm_data: JSON.stringify({ activation_status: status.activationStatus, blacklist_reason: status.blacklistReason }),
        codes_total: total, creation_date: now,
      });
      await this.enqueue(trx, row.id);
      return row;
    });
    this.deps.onJobEnqueued?.();
    return task;
  }

  async getTask(principal: Principal, id: number): Promise<CodeTransactionRow> {
    requireAnyPermission(principal, ['scm_code_edit', 'scm_bulk_edit']);
    const row = await scm.findCodeTransaction(this.deps.db, id);
    const scope = transactionScopeOf(principal);
    const visible = row && (scope.companyId === undefined || row.company_id === scope.companyId)
      && (scope.actorCompanyId === undefined || row.actor_company_id === scope.actorCompanyId);
    if (!row || !visible) throw AppError.notFound();
    return row;
  }

  async listTasks(principal: Principal, page: { limit: number; offset: number }) {
    requireAnyPermission(principal, ['scm_code_edit', 'scm_bulk_edit']);
    return scm.listCodeTransactions(this.deps.db, transactionScopeOf(principal), page);
  }

  /** Usernames of the users who made these transactions. */
  async creators(rows: readonly CodeTransactionRow[]): Promise<Map<number, string>> {
    const users = await scm.usernamesOf(this.deps.db, [...new Set(rows.map((r) => r.created_by_user_id))]);
    return new Map(users.map((u) => [u.id, u.username]));
  }

  private enqueue(db: Executor, taskId: number): Promise<void> {
    return this.deps.queue.enqueue(db, 'scm-update', { taskId }, { jobKey: scmTaskJobKey(taskId) });
  }

  private now(): string {
    return isoMicros(this.deps.clock.now());
  }
}

/** A brand owner sees the transactions on its codes; a partner those it made; platform staff all. */
function transactionScopeOf(principal: Principal): scm.TransactionScope {
  if (principal.companyType === 'brand_owner') return { companyId: principal.companyId };
  if (principal.companyType === 'printing_partner') return { actorCompanyId: principal.companyId };
  return {};
}

/** The reference's rules: 0 inactive, 1 active, 2 blacklisted with a reason 1–10; no reason otherwise. */
function statusOf(input: StatusInput, errors: FieldErrorCollector, at: string): ResolvedStatus {
  const activation = input.activation_status;
  const reason = input.blacklist_reason;
  if (activation === undefined) {
    errors.add(`${at}activation_status`, 'This field is required.');
    return { activationStatus: 0, blacklistReason: 0 };
  }
  if (activation === ACTIVATION.blacklisted) {
    if (reason === undefined || reason === 0) errors.add(`${at}blacklist_reason`, 'A blacklisted code needs a reason (1–10).');
    else if (reason < BLACKLIST_REASONS.min || reason > BLACKLIST_REASONS.max) errors.add(`${at}blacklist_reason`, 'Ensure this value is between 1 and 10.');
    return { activationStatus: activation, blacklistReason: reason ?? 0 };
  }
  if (reason !== undefined && reason !== 0) errors.add(`${at}blacklist_reason`, 'Only a blacklisted code (activation_status 2) has a reason.');
  return { activationStatus: activation, blacklistReason: 0 };
}
