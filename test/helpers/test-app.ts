import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/app/build-api.js';
import { buildContainer, type Container, type ContainerOverrides } from '../../src/app/container.js';
import { loadConfig } from '../../src/config/load-config.js';
import { seedDemo, type DemoSeed } from '../../src/domain/admin/seed-demo.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestDatabase } from './test-database.js';

export const PUBLIC_URL = 'http://sigil.test';

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  seed: DemoSeed;
  dataDir: string;
  /** Sends a request through the real Fastify instance (`inject`); `token` is a UAT key. */
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, token?: string | null, body?: unknown): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  raw: Buffer;
}

/** An injected response as tests read it: the status, the JSON body (or text) and the raw bytes. */
export function toReply(response: { statusCode: number; rawPayload: Buffer; headers: Record<string, unknown> }): Reply {
  const raw = response.rawPayload;
  const type = String(response.headers['content-type'] ?? '');
  return {
    status: response.statusCode,
    body: type.includes('application/json') && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8'),
    headers: response.headers,
    raw,
  };
}

/**
 * A real app on a fresh SQLite file in a temporary data dir, with the demo tenants seeded.
 * `worker: true` also runs the in-process job runner (polling fast).
 */
export async function createTestApp(options: { worker?: boolean; env?: Record<string, string>; overrides?: ContainerOverrides } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-test-'));
  const database = await createTestDatabase();
  const config = loadConfig({
    SIGIL_DATA_DIR: dataDir,
    SIGIL_PUBLIC_URL: PUBLIC_URL,
    SIGIL_LOG_LEVEL: 'silent',
    SIGIL_JOB_POLL_MS: '25',
    ...database.env,
    ...options.env,
  });
  const container = await buildContainer(config, createLogger('silent'), options.overrides);
  const app = await buildApi(container);
  await app.ready();
  if (options.worker) await container.worker.start();
  const seed = await seedDemo(container.db, container.admin);
  return {
    app,
    container,
    seed,
    dataDir,
    async call(method, url, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `UAT ${token}`;
      const response = await app.inject({
        method,
        url,
        headers,
        ...(body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { ...headers, 'content-type': 'application/json' } } : { payload: body as object }),
      });
      return toReply(response);
    },
    async close() {
      await app.close();
      await container.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A UAT key for a new user of `companyId` with exactly `permissions` (and optional expiry). */
export async function tokenFor(t: TestApp, companyId: number, permissions?: string[], expiresAt?: Date | null): Promise<{ key: string; id: number; userId: number }> {
  const user = await t.container.admin.createUser({ company: companyId, username: `u${Math.random().toString(36).slice(2, 10)}`, permissions });
  const token = await t.container.admin.createToken({ user: user.id, name: 'test', permissions, expiresAt: expiresAt ?? null });
  return { key: token.key, id: token.id, userId: user.id };
}

/** A second, unrelated brand owner and printing partner (for isolation tests), with calibrated press. */
export async function createOtherTenants(t: TestApp) {
  const admin = t.container.admin;
  const brand = await admin.createCompany({ name: `Other Brand ${Math.random()}`, type: 'brand_owner' });
  const partner = await admin.createCompany({ name: `Other Print ${Math.random()}`, type: 'printing_partner' });
  const equipment = await admin.createEquipment({ company: partner.id, name: 'Other press', dpi: 600 });
  const substrate = await admin.createSubstrate({ company: partner.id, name: 'Other paper' });
  await admin.createCalibration({ equipment: equipment.id, substrate: substrate.id, cellSizeDots: 2, blackDensity: 0.4 });
  return {
    brand,
    partner,
    equipment,
    substrate,
    brandToken: (await tokenFor(t, brand.id)).key,
    partnerToken: (await tokenFor(t, partner.id)).key,
  };
}

/** The seed document's create-sg payload, adapted to the demo ids. */
export function sgPayload(t: TestApp, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    product: t.seed.product_sku,
    template: String(t.seed.template_id),
    quantity: '10',
    remarks: 'remarks 1',
    activate_on_complete: true,
    extended_id_style: 'legacy',
    substrate: t.seed.substrate_id,
    code_layout: 'sg-outside',
    use_serial_number: true,
    is_hybrid: false,
    template_image: null,
    is_fp_serialized: false,
    is_static_print: false,
    static_unique_codes_quantity: 0,
    printing_partner: t.seed.printing_partner.company_id,
    reference: `ref-${Math.random().toString(36).slice(2, 10)}`,
    ...overrides,
  };
}

/** Polls the detail endpoint until `predicate` holds (generation runs in the background). */
export async function waitForWorkorder(t: TestApp, id: number, token: string, predicate: (wo: any) => boolean, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await t.call('GET', `/api/v2/workorders/${id}/`, token);
    if (predicate(body)) return body;
    if (Date.now() > deadline) throw new Error(`timed out waiting for work order ${id}: ${JSON.stringify({ state: body.state, codegen_status: body.codegen_status })}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
