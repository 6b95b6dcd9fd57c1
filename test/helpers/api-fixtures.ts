import { expect } from 'vitest';
import { ALL_PERMISSIONS as EVERY_PERMISSION } from '../../src/domain/auth/permissions.js';
import { codeStatusJobKey } from '../../src/jobs/job-types.js';
import { sgPayload, toReply, type Reply, type TestApp } from './test-app.js';

export type { Reply };

/** Every permission a token can hold. */
export const ALL_PERMISSIONS: readonly string[] = EVERY_PERMISSION;
/** Every permission except `permission`. */
export const allBut = (permission: string) => ALL_PERMISSIONS.filter((p) => p !== permission);

export const WO = '/api/v2/workorders';

/**
 * A request with full control over headers and the raw body (for JWTs, content types and malformed
 * payloads), through the real Fastify instance.
 */
export async function send(t: TestApp, options: {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'HEAD' | 'OPTIONS';
  url: string;
  authorization?: string;
  token?: string;
  body?: string | Buffer;
  contentType?: string;
  remoteAddress?: string;
}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (options.token) headers.authorization = `UAT ${options.token}`;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const response = await t.app.inject({
    method: options.method,
    url: options.url,
    headers,
    ...(options.body === undefined ? {} : { payload: options.body }),
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  });
  return toReply(response);
}

/** Creates an SSC order through the API (seed payload + overrides) and returns its body. */
export async function createSg(t: TestApp, overrides: Record<string, unknown> = {}, token = t.seed.brand_owner.token): Promise<any> {
  const reply = await t.call('POST', `${WO}/create-sg/`, token, sgPayload(t, overrides));
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

/** Creates a SID order through the API and returns its body. */
export async function createSid(t: TestApp, overrides: Record<string, unknown> = {}, token = t.seed.brand_owner.token): Promise<any> {
  const reply = await t.call('POST', `${WO}/create-sid/`, token, {
    reference: `sid-${Math.random().toString(36).slice(2, 10)}`, quantity: 5, ...overrides,
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

/** The demo partner confirms an order with the demo press and paper. */
export async function confirm(t: TestApp, id: number, body: Record<string, unknown> = {}): Promise<any> {
  const reply = await t.call('PATCH', `${WO}/${id}/printer-confirm/`, t.seed.printing_partner.token, {
    equipment: t.seed.equipment_id, substrate: t.seed.substrate_id, external_id: 'ext-1', ...body,
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

/** Everything a request could change: work orders, codes, jobs and templates, row by row. */
export async function snapshot(t: TestApp) {
  // Scans taken earlier may still be buffered; written now, they cannot land between two snapshots.
  await t.container.scans.flush();
  const db = t.container.db;
  return {
    workorders: await db.selectFrom('workorders').selectAll().orderBy('id').execute(),
    codes: await db.selectFrom('codes').selectAll().orderBy('id').execute(),
    jobs: await t.container.queue.listJobs(),
    templates: await db.selectFrom('templates').selectAll().orderBy('id').execute(),
    companies: await db.selectFrom('companies').selectAll().orderBy('id').execute(),
  };
}

/** Waits until the order's code-status job (after completion or cancel) has run; the worker must be running. */
export async function codeStatusSettled(t: TestApp, workorderId: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await t.container.queue.describeJob(codeStatusJobKey(workorderId));
    if (job === null) return;
    if (job.state === 'failed') throw new Error(`the code-status job of work order ${workorderId} failed: ${job.lastError}`);
    if (Date.now() > deadline) throw new Error(`the code-status job of work order ${workorderId} is still ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until no job of the order (plan, batches, assembly, discarding, code status) is queued or
 * running; returns 'failed' if one failed for good.
 */
export async function orderJobsSettled(t: TestApp, workorderId: number, timeoutMs = 20_000): Promise<'succeeded' | 'failed'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = (await t.container.queue.listJobs()).filter((job) => job.key?.split(':')[1] === String(workorderId));
    if (jobs.some((job) => job.state === 'failed')) return 'failed';
    if (jobs.length === 0) return 'succeeded'; // queues forget jobs that succeeded
    if (Date.now() > deadline) throw new Error(`jobs of work order ${workorderId} still ${jobs.map((job) => `${job.key} ${job.state}`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Codes of an order as (activation_status, blacklist_reason) pairs, counted, once its code-status job has run. */
export async function codeStatuses(t: TestApp, workorderId: number) {
  await codeStatusSettled(t, workorderId);
  return readCodeStatuses(t, workorderId);
}

/** Codes of an order as (activation_status, blacklist_reason) pairs, counted, as they are now. */
export async function readCodeStatuses(t: TestApp, workorderId: number) {
  const rows = await t.container.db.selectFrom('codes').select(['activation_status', 'blacklist_reason'])
    .where('workorder_id', '=', workorderId).execute();
  const tally: Record<string, number> = {};
  for (const row of rows) tally[`${row.activation_status}/${row.blacklist_reason}`] = (tally[`${row.activation_status}/${row.blacklist_reason}`] ?? 0) + 1;
  return { count: rows.length, tally };
}

/** A DRF error body: `{"detail": "…"}` or `{"field": ["…"] | {nested}}`, never empty. */
export function expectDrfBody(body: unknown): void {
  expect(body).toBeTypeOf('object');
  expect(body).not.toBeNull();
  const record = body as Record<string, unknown>;
  const keys = Object.keys(record);
  expect(keys.length).toBeGreaterThan(0);
  if ('detail' in record) {
    expect(record.detail).toBeTypeOf('string');
    expect((record.detail as string).length).toBeGreaterThan(0);
    return;
  }
  const check = (value: unknown): void => {
    if (Array.isArray(value)) {
      expect(value.length).toBeGreaterThan(0);
      for (const message of value) expect(message).toBeTypeOf('string');
    } else {
      expect(value).toBeTypeOf('object');
      for (const nested of Object.values(value as object)) check(nested);
    }
  };
  for (const value of Object.values(record)) check(value);
}

/** ISO-8601 with microseconds and Z, as the reference API writes dates. */
export const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
