import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBut, createSg, createSid, snapshot, WO } from '../helpers/api-fixtures.js';
import { createTestApp, sgPayload, tokenFor, type TestApp } from '../helpers/test-app.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A missing permission is 403 `{"detail": …}` on every endpoint, and the request changes nothing. */
describe('permissions', () => {
  let t: TestApp;
  let ssc: any;
  let sid: any;
  const lacking = (permission: string) => ({ detail: `Your credentials lack the "${permission}" permission.` });

  beforeAll(async () => {
    t = await createTestApp();
    ssc = await createSg(t, { reference: 'PERM-SSC' });
    sid = await createSid(t, { reference: 'PERM-SID' });
  });
  afterAll(async () => t.close());

  const cases: Array<{ name: string; method: Method; url: () => string; body?: () => unknown; who: 'brand_owner' | 'printing_partner' | 'platform'; permission: string }> = [
    { name: 'list', method: 'GET', url: () => `${WO}/`, who: 'brand_owner', permission: 'workorder_view' },
    { name: 'list (partner)', method: 'GET', url: () => `${WO}/`, who: 'printing_partner', permission: 'workorder_view' },
    { name: 'templates', method: 'GET', url: () => `${WO}/templates/`, who: 'brand_owner', permission: 'workorder_view' },
    { name: 'detail', method: 'GET', url: () => `${WO}/${ssc.id}/`, who: 'brand_owner', permission: 'workorder_view' },
    { name: 'detail (platform)', method: 'GET', url: () => `${WO}/${ssc.id}/`, who: 'platform', permission: 'workorder_view' },
    { name: 'create-sg', method: 'POST', url: () => `${WO}/create-sg/`, body: () => sgPayload(t), who: 'brand_owner', permission: 'workorder_create' },
    { name: 'create-sid', method: 'POST', url: () => `${WO}/create-sid/`, body: () => ({ reference: 'NOPE', quantity: 1 }), who: 'brand_owner', permission: 'workorder_create' },
    { name: 'edit', method: 'PATCH', url: () => `${WO}/${ssc.id}/`, body: () => ({ remarks: 'changed' }), who: 'brand_owner', permission: 'workorder_edit' },
    { name: 'delete', method: 'DELETE', url: () => `${WO}/${ssc.id}/`, who: 'brand_owner', permission: 'workorder_delete' },
    {
      name: 'printer-confirm', method: 'PATCH', url: () => `${WO}/${ssc.id}/printer-confirm/`,
      body: () => ({ equipment: t.seed.equipment_id, substrate: t.seed.substrate_id }), who: 'printing_partner', permission: 'workorder_edit',
    },
    { name: 'cancel', method: 'POST', url: () => `${WO}/${ssc.id}/cancel/`, who: 'brand_owner', permission: 'workorder_cancel' },
    { name: 'cancel (partner)', method: 'POST', url: () => `${WO}/${ssc.id}/cancel/`, who: 'printing_partner', permission: 'workorder_cancel' },
    { name: 'archive', method: 'POST', url: () => `${WO}/${ssc.id}/archive/`, who: 'brand_owner', permission: 'workorder_archive' },
    { name: 'unarchive', method: 'POST', url: () => `${WO}/${ssc.id}/unarchive/`, who: 'brand_owner', permission: 'workorder_archive' },
    { name: 'printed', method: 'POST', url: () => `${WO}/${ssc.id}/printed/`, who: 'printing_partner', permission: 'workorder_edit' },
    { name: 'complete', method: 'POST', url: () => `${WO}/${ssc.id}/complete/`, who: 'platform', permission: 'workorder_edit' },
    { name: 'SSC download', method: 'GET', url: () => `${WO}/${ssc.id}/download/`, who: 'brand_owner', permission: 'workorder_download' },
    { name: 'SSC download (partner)', method: 'GET', url: () => `${WO}/${ssc.id}/download/`, who: 'printing_partner', permission: 'workorder_download' },
    { name: 'SSC serial numbers', method: 'GET', url: () => `${WO}/${ssc.id}/serial-numbers/`, who: 'brand_owner', permission: 'workorder_download' },
    { name: 'SID download', method: 'GET', url: () => `${WO}/${sid.id}/download/`, who: 'brand_owner', permission: 'workorder_sid_download' },
    { name: 'SID serial numbers', method: 'GET', url: () => `${WO}/${sid.id}/serial-numbers/`, who: 'brand_owner', permission: 'workorder_sid_download' },
    { name: 'download without view', method: 'GET', url: () => `${WO}/${ssc.id}/download/`, who: 'brand_owner', permission: 'workorder_view' },
  ];

  for (const c of cases) {
    it(`${c.name} needs ${c.permission}`, async () => {
      const token = await tokenFor(t, t.seed[c.who].company_id, allBut(c.permission));
      const before = await snapshot(t);
      const reply = await t.call(c.method, c.url(), token.key, c.body?.());
      expect(reply.status, JSON.stringify(reply.body)).toBe(403);
      expect(reply.body).toEqual(lacking(c.permission));
      expect(await snapshot(t)).toEqual(before);
    });
  }

  it('a token without any permission can still call /me/, and nothing else', async () => {
    const token = await tokenFor(t, t.seed.brand_owner.company_id, []);
    const me = await t.call('GET', '/api/v2/me/', token.key);
    expect(me.status).toBe(200);
    expect(me.body.permissions).toEqual([]);
    expect((await t.call('GET', `${WO}/`, token.key)).status).toBe(403);
    expect((await t.call('GET', `${WO}/${ssc.id}/`, token.key)).status).toBe(403);
  });

  it('the download permission depends on the order type', async () => {
    const sscOnly = await tokenFor(t, t.seed.brand_owner.company_id, ['workorder_view', 'workorder_download']);
    const sidOnly = await tokenFor(t, t.seed.brand_owner.company_id, ['workorder_view', 'workorder_sid_download']);
    expect((await t.call('GET', `${WO}/${sid.id}/download/`, sscOnly.key)).body).toEqual(lacking('workorder_sid_download'));
    expect((await t.call('GET', `${WO}/${ssc.id}/download/`, sidOnly.key)).body).toEqual(lacking('workorder_download'));
    // With the right permission the request gets past the check (neither order is generated: 404).
    const notReady = { detail: 'The codes of this work order have not been generated yet.' };
    const sscReply = await t.call('GET', `${WO}/${ssc.id}/download/`, sscOnly.key);
    expect(sscReply.status).toBe(404);
    expect(sscReply.body).toEqual(notReady);
    const sidReply = await t.call('GET', `${WO}/${sid.id}/serial-numbers/`, sidOnly.key);
    expect(sidReply.status).toBe(404);
    expect(sidReply.body).toEqual(notReady);
  });

  it('the order is untouched after all of the refused requests', async () => {
    const detail = await t.call('GET', `${WO}/${ssc.id}/`, t.seed.brand_owner.token);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ state: 'new', codegen_status: 1, remarks: 'remarks 1', is_archived: false, equipment: null });
  });
});
