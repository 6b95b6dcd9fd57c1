import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeStatusSettled, codeStatuses, confirm, createSg, createSid, ISO_MICROS, snapshot, WO } from '../helpers/api-fixtures.js';
import { createTestApp, PUBLIC_URL, tokenFor, waitForWorkorder, type TestApp } from '../helpers/test-app.js';
import { readZip } from '../helpers/zip-reader.js';

const generated = (wo: any) => wo.codegen_status === 4;

/** Generation, the state machine after it, and the downloads, with the in-process worker running. */
describe('work-order lifecycle (worker running)', () => {
  let t: TestApp;
  let bo: string;
  let partner: string;
  let platform: string;

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    bo = t.seed.brand_owner.token;
    partner = t.seed.printing_partner.token;
    platform = t.seed.platform.token;
  });
  afterAll(async () => t.close());

  describe('SSC order of a brand owner without secure workflow', () => {
    let active: any;
    let inactive: any;
    beforeAll(async () => {
      active = await createSg(t, { reference: 'LIFE-A', quantity: 10, activate_on_complete: true });
      inactive = await createSg(t, { reference: 'LIFE-B', quantity: 4, activate_on_complete: false });
      const notReady = await t.call('GET', `${WO}/${active.id}/download/`, bo);
      expect(notReady.status).toBe(404);
      await confirm(t, active.id);
      await confirm(t, inactive.id);
      active = await waitForWorkorder(t, active.id, bo, generated);
      inactive = await waitForWorkorder(t, inactive.id, bo, generated);
      // Completed at once: the codes take their status in a job of their own, which must be over before snapshots.
      await codeStatusSettled(t, active.id);
      await codeStatusSettled(t, inactive.id);
    });

    it('goes straight to "completed" with codegen_status 4 and an absolute download URL', () => {
      expect(active).toMatchObject({
        state: 'completed', codegen_status: 4, is_ready_to_print: false, has_secure_workflow: false,
        codegen_file: `${PUBLIC_URL}/api/v2/workorders/${active.id}/download/`,
        codegen_progress: { codes_generated: 10, images_rendered: 10, percent: 100 },
      });
      expect(active.date_codes_completed).toMatch(ISO_MICROS);
      expect(active.completed_date).toMatch(ISO_MICROS);
      expect(active.printed_date).toBeNull();
    });

    it('activates the codes when activate_on_complete is set, and leaves them inactive otherwise', async () => {
      expect(await codeStatuses(t, active.id)).toEqual({ count: 10, tally: { '1/0': 10 } });
      expect(await codeStatuses(t, inactive.id)).toEqual({ count: 4, tally: { '0/0': 4 } });
    });

    it('downloads the zip as workorder_<id>_<key>.zip, to the owner, the partner and platform staff', async () => {
      const reply = await t.call('GET', `${WO}/${active.id}/download/`, bo);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/zip');
      expect(String(reply.headers['content-disposition'])).toMatch(new RegExp(`^attachment; filename="workorder_${active.id}_[0-9A-Za-z]{12}\\.zip"$`));
      expect(Number(reply.headers['content-length'])).toBe(reply.raw.length);
      expect(reply.raw.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

      const file = join(t.dataDir, 'download.zip');
      writeFileSync(file, reply.raw);
      const names: string[] = [];
      let csv = '';
      await readZip(file, (name, data) => {
        names.push(name);
        if (name === 'codes.csv') csv = data.toString('utf8');
      });
      expect(names).toContain('manifest.json');
      expect(names.filter((n) => /^images\/batch_0001\/\d{7}_[0-9A-Z]{21}\.png$/.test(n))).toHaveLength(10);
      const lines = csv.trim().split('\n');
      expect(lines[0]).toBe('extended_id,serial_number,sequence_number,batch_number,url');
      expect(lines).toHaveLength(11);

      for (const token of [partner, platform]) {
        const other = await t.call('GET', `${WO}/${active.id}/download/`, token);
        expect(other.status).toBe(200);
        expect(other.raw.equals(reply.raw)).toBe(true);
      }
    });

    it('exports the serial numbers as CSV, in sequence order', async () => {
      const reply = await t.call('GET', `${WO}/${active.id}/serial-numbers/`, bo);
      expect(reply.status).toBe(200);
      expect(String(reply.headers['content-type'])).toMatch(/^text\/csv/);
      expect(reply.headers['content-disposition']).toBe(`attachment; filename="workorder_${active.id}_serial_numbers.csv"`);
      const codes = await t.container.db.selectFrom('codes').select(['extended_id', 'serial_number'])
        .where('workorder_id', '=', active.id).orderBy('sequence_number').execute();
      expect(reply.raw.toString()).toBe(`extended_id,serial_number\n${codes.map((c) => `${c.extended_id},${c.serial_number}\n`).join('')}`);
      expect(codes.map((c) => c.serial_number)).toEqual(codes.map((_, i) => String(Number(codes[0]!.serial_number) + i).padStart(10, '0')));
    });

    it('refuses every later transition of a completed order with 400, changing nothing', async () => {
      const before = await snapshot(t);
      const expectations: Array<[string, 'POST' | 'PATCH' | 'DELETE', string, unknown, string]> = [
        ['printed', 'POST', `${WO}/${active.id}/printed/`, partner, 'A work order in state "completed" cannot be marked printed; it must be "ready to print".'],
        ['complete', 'POST', `${WO}/${active.id}/complete/`, platform, 'A work order in state "completed" cannot be completed; it must be "printed".'],
        ['cancel', 'POST', `${WO}/${active.id}/cancel/`, bo, 'A work order in state "completed" cannot be canceled.'],
        ['confirm', 'PATCH', `${WO}/${active.id}/printer-confirm/`, partner, 'A work order in state "completed" cannot be confirmed.'],
        ['edit', 'PATCH', `${WO}/${active.id}/`, bo, 'Only new work orders that are not confirmed yet can be edited.'],
        ['delete', 'DELETE', `${WO}/${active.id}/`, bo, 'Only new work orders that are not confirmed yet can be deleted.'],
      ];
      for (const [name, method, url, token, message] of expectations) {
        const body = name === 'confirm' ? { equipment: t.seed.equipment_id } : name === 'edit' ? { remarks: 'late' } : undefined;
        const reply = await t.call(method, url, token as string, body);
        expect(reply.status, name).toBe(400);
        expect(reply.body).toEqual({ non_field_errors: [message] });
      }
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe('SSC order of a brand owner with a secure workflow', () => {
    let secureToken: string;
    let active: any;
    let inactive: any;
    beforeAll(async () => {
      const company = await t.container.admin.createCompany({ name: 'Secure Brand', type: 'brand_owner', hasSecureWorkflow: true });
      secureToken = (await tokenFor(t, company.id)).key;
      const payload = { code_layout: 'sg-inside', template: null, product: null, quantity: 5 };
      active = await createSg(t, { ...payload, reference: 'SW-A', activate_on_complete: true }, secureToken);
      inactive = await createSg(t, { ...payload, reference: 'SW-B', activate_on_complete: false }, secureToken);
      expect(active.has_secure_workflow).toBe(true);
      await confirm(t, active.id);
      await confirm(t, inactive.id);
      active = await waitForWorkorder(t, active.id, secureToken, generated);
      inactive = await waitForWorkorder(t, inactive.id, secureToken, generated);
    });

    it('stops at "ready to print" with inactive codes and a downloadable file', async () => {
      expect(active).toMatchObject({
        state: 'ready to print', is_ready_to_print: true, codegen_status: 4, completed_date: null, printed_date: null,
        codegen_file: `${PUBLIC_URL}/api/v2/workorders/${active.id}/download/`,
      });
      expect(await codeStatuses(t, active.id)).toEqual({ count: 5, tally: { '0/0': 5 } });
      expect((await t.call('GET', `${WO}/${active.id}/download/`, partner)).status).toBe(200);
    });

    it('goes printed (partner) → completed (platform), activating codes as asked; wrong steps are 400', async () => {
      const before = await snapshot(t);
      const early = await t.call('POST', `${WO}/${active.id}/complete/`, platform);
      expect(early.status).toBe(400);
      expect(early.body).toEqual({ non_field_errors: ['A work order in state "ready to print" cannot be completed; it must be "printed".'] });
      expect(await snapshot(t)).toEqual(before);

      const printed = await t.call('POST', `${WO}/${active.id}/printed/`, partner);
      expect(printed.status).toBe(200);
      expect(printed.body).toMatchObject({ state: 'printed', is_ready_to_print: false, codegen_status: 4, completed_date: null });
      expect(printed.body.printed_date).toMatch(ISO_MICROS);
      expect(await codeStatuses(t, active.id)).toEqual({ count: 5, tally: { '0/0': 5 } });

      const afterPrinted = await snapshot(t);
      const twice = await t.call('POST', `${WO}/${active.id}/printed/`, partner);
      expect(twice.status).toBe(400);
      expect(twice.body).toEqual({ non_field_errors: ['A work order in state "printed" cannot be marked printed; it must be "ready to print".'] });
      const cancel = await t.call('POST', `${WO}/${active.id}/cancel/`, secureToken);
      expect(cancel.status).toBe(400);
      expect(cancel.body).toEqual({ non_field_errors: ['A work order in state "printed" cannot be canceled.'] });
      expect(await snapshot(t)).toEqual(afterPrinted);

      const completed = await t.call('POST', `${WO}/${active.id}/complete/`, platform);
      expect(completed.status).toBe(200);
      expect(completed.body).toMatchObject({ state: 'completed', is_fingerprint_trained: true, printed_date: printed.body.printed_date });
      expect(completed.body.completed_date).toMatch(ISO_MICROS);
      expect(await codeStatuses(t, active.id)).toEqual({ count: 5, tally: { '1/0': 5 } });

      const again = await t.call('POST', `${WO}/${active.id}/complete/`, platform);
      expect(again.status).toBe(400);
      expect(again.body).toEqual({ non_field_errors: ['A work order in state "completed" cannot be completed; it must be "printed".'] });
      // The brand owner still downloads its completed order.
      expect((await t.call('GET', `${WO}/${active.id}/download/`, secureToken)).status).toBe(200);
    });

    it('leaves the codes inactive on completion without activate_on_complete', async () => {
      expect((await t.call('POST', `${WO}/${inactive.id}/printed/`, partner)).status).toBe(200);
      expect((await t.call('POST', `${WO}/${inactive.id}/complete/`, platform)).body.state).toBe('completed');
      expect(await codeStatuses(t, inactive.id)).toEqual({ count: 5, tally: { '0/0': 5 } });
    });
  });

  describe('SID order', () => {
    it('generates at once and completes; its download needs workorder_sid_download', async () => {
      const sid = await createSid(t, { reference: 'LIFE-SID', quantity: 6, use_serial_number: false, activate_on_complete: true });
      const done = await waitForWorkorder(t, sid.id, bo, generated);
      expect(done).toMatchObject({ state: 'completed', codegen_status: 4, codegen_file: `${PUBLIC_URL}/api/v2/workorders/${sid.id}/download/` });
      expect(await codeStatuses(t, sid.id)).toEqual({ count: 6, tally: { '1/0': 6 } });

      const zip = await t.call('GET', `${WO}/${sid.id}/download/`, bo);
      expect(zip.status).toBe(200);
      expect(String(zip.headers['content-disposition'])).toMatch(new RegExp(`^attachment; filename="workorder_${sid.id}_[0-9A-Za-z]{12}\\.zip"$`));
      const csv = await t.call('GET', `${WO}/${sid.id}/serial-numbers/`, bo);
      const rows = csv.raw.toString().trim().split('\n');
      expect(rows).toHaveLength(7);
      for (const row of rows.slice(1)) expect(row).toMatch(/^[0-9A-Z]{21},$/);

      const sscOnly = await tokenFor(t, t.seed.brand_owner.company_id, ['workorder_view', 'workorder_download']);
      const refused = await t.call('GET', `${WO}/${sid.id}/download/`, sscOnly.key);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ detail: 'Your credentials lack the "workorder_sid_download" permission.' });
    });
  });

  it('before generation, download and serial numbers are 404 with a clear detail', async () => {
    const wo = await createSg(t, { reference: 'LIFE-NEW' });
    expect(wo.codegen_file).toBeNull();
    for (const path of ['download', 'serial-numbers']) {
      const reply = await t.call('GET', `${WO}/${wo.id}/${path}/`, bo);
      expect(reply.status, path).toBe(404);
      expect(reply.body).toEqual({ detail: 'The codes of this work order have not been generated yet.' });
    }
  });
});
