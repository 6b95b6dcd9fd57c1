import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArchive } from '../helpers/archive-check.js';
import { apiClient, download, freePort, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

/** The seed document's workflow against the real `sigil serve` process over HTTP. */
describe('end to end: the seed workflow over HTTP', () => {
  let dataDir: string;
  let server: ServerProcess;
  let seed: any;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigil-e2e-'));
    const env = { SIGIL_DATA_DIR: dataDir };
    seed = JSON.parse(runCli(['seed-demo', '--json'], env));
    server = await startServer({ ...env, SIGIL_JOB_POLL_MS: '50' }, await freePort());
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function pollUntilCompleted(api: ReturnType<typeof apiClient>, reference: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { body } = await api('GET', `/api/v2/workorders/?search=${encodeURIComponent(reference)}`);
      const order = body.results[0];
      if (order?.state === 'completed' && order.codegen_file) return order;
      if (Date.now() > deadline) throw new Error(`not completed: ${JSON.stringify(order)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('SSC: template → create-sg → printer-confirm → poll → download → verify zip', async () => {
    const brand = apiClient(server.baseUrl, seed.brand_owner.token);
    const partner = apiClient(server.baseUrl, seed.printing_partner.token);

    const templates = await brand('GET', '/api/v2/workorders/templates/');
    expect(templates.status).toBe(200);
    const template = templates.body.results.find((t: any) => t.id === seed.template_id);
    expect(template).toMatchObject({ code_layout: 'sg-outside', printing_partner: seed.printing_partner.company_id });

    const reference = 'E2E-SSC-1';
    const created = await brand('POST', '/api/v2/workorders/create-sg/', {
      product: seed.product_sku, template: String(template.id), quantity: '60', remarks: 'e2e ssc',
      activate_on_complete: true, extended_id_style: 'legacy', substrate: seed.substrate_id, code_layout: 'sg-outside',
      use_serial_number: true, is_hybrid: false, template_image: null, is_fp_serialized: true, is_static_print: false,
      static_unique_codes_quantity: 0, printing_partner: seed.printing_partner.company_id, reference,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'new', codegen_status: 1, codegen_file: null });

    const confirmed = await partner('PATCH', `/api/v2/workorders/${created.body.id}/printer-confirm/`, {
      substrate: String(seed.substrate_id), equipment: String(seed.equipment_id), external_id: 'tk_001',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ state: 'new', codegen_status: 6, external_id: 'tk_001' });

    const order = await pollUntilCompleted(brand, reference);
    expect(order.codegen_status).toBe(4);
    const zip = await download(order.codegen_file, seed.brand_owner.token);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="workorder_${order.id}_[0-9A-Za-z]+\\.zip"$`));
    const file = join(dataDir, 'ssc.zip');
    writeFileSync(file, zip.data);
    const { manifest } = await checkArchive(file, { quantity: 60, urlPrefix: order.url_prefix, useSerialNumber: true, sample: 20 });
    expect(manifest.printing.equipment.id).toBe(seed.equipment_id);
    expect(manifest.layout.layout).toBe('sg-outside');
    // The secret never travels: not in the archive, not in responses.
    const secret = readFileSync(join(dataDir, 'secret.key'), 'utf8').trim();
    expect(zip.data.includes(Buffer.from(secret))).toBe(false);
    expect(JSON.stringify(order)).not.toContain(secret);
  });

  it('SID: create-sid → poll → download → verify zip', async () => {
    const brand = apiClient(server.baseUrl, seed.brand_owner.token);
    const reference = 'E2E-SID-1';
    const created = await brand('POST', '/api/v2/workorders/create-sid/', {
      activate_on_complete: true, reference, remarks: 'e2e sid', quantity: 40, use_serial_number: false, extended_id_style: 'compact-12',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'SID', printing_partner: null, codegen_status: 6 });
    const order = await pollUntilCompleted(brand, reference);
    const zip = await download(order.codegen_file, seed.brand_owner.token);
    expect(zip.status).toBe(200);
    const file = join(dataDir, 'sid.zip');
    writeFileSync(file, zip.data);
    const { ids } = await checkArchive(file, { quantity: 40, urlPrefix: order.url_prefix, useSerialNumber: false, sample: 40 });
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{12}$/);
  });
});
