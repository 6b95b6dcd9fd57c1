import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, createSg, createSid, expectDrfBody, send, snapshot, WO, type Reply } from '../helpers/api-fixtures.js';
import { createTestApp, sgPayload, type TestApp } from '../helpers/test-app.js';

type Method = 'POST' | 'PATCH';

/**
 * Malformed requests of every kind: each gets a 4xx with a DRF-style body (never a 5xx), and none of
 * them creates or changes anything.
 */
describe('bad input', () => {
  let t: TestApp;
  let bo: string;
  let fresh: any;
  let confirmed: any;
  let sid: any;
  let initial: Awaited<ReturnType<typeof snapshot>>;
  let client = 0;
  const replies: Array<{ what: string; reply: Reply }> = [];

  /** Sends a raw body to a body endpoint as the caller that may use it. */
  async function raw(target: BodyEndpoint, body: string | Buffer | undefined, contentType?: string): Promise<Reply> {
    const reply = await send(t, {
      method: target.method, url: target.url(), token: target.token(), body, contentType, remoteAddress: `10.9.${Math.floor(++client / 250)}.${client % 250}`,
    });
    replies.push({ what: `${target.method} ${target.url()} ${String(body).slice(0, 60)}`, reply });
    return reply;
  }

  interface BodyEndpoint { name: string; method: Method; url: () => string; token: () => string | undefined }
  const bodyEndpoints: BodyEndpoint[] = [
    { name: 'create-sg', method: 'POST', url: () => `${WO}/create-sg/`, token: () => bo },
    { name: 'create-sid', method: 'POST', url: () => `${WO}/create-sid/`, token: () => bo },
    { name: 'edit', method: 'PATCH', url: () => `${WO}/${fresh.id}/`, token: () => bo },
    { name: 'printer-confirm', method: 'PATCH', url: () => `${WO}/${fresh.id}/printer-confirm/`, token: () => t.seed.printing_partner.token },
    { name: 'login', method: 'POST', url: () => '/api/v2/auth/login/', token: () => undefined },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    bo = t.seed.brand_owner.token;
    fresh = await createSg(t, { reference: 'BAD-NEW' });
    confirmed = await createSg(t, { reference: 'BAD-CONFIRMED' });
    await confirm(t, confirmed.id);
    sid = await createSid(t, { reference: 'BAD-SID' });
    initial = await snapshot(t);
  });
  afterAll(async () => t.close());

  describe('malformed JSON → 400 {"detail": "JSON parse error - …"}', () => {
    const bodies = ['{', '{"quantity": 10,}', "{'quantity': 10}", '{"quantity": NaN}', '{"a": 1}}', 'quantity=10', '\u0000', '{"reference": "unterminated'];
    for (const endpoint of bodyEndpoints) {
      it(endpoint.name, async () => {
        for (const body of bodies) {
          const reply = await raw(endpoint, body, 'application/json');
          expect(reply.status, body).toBe(400);
          expect(Object.keys(reply.body)).toEqual(['detail']);
          expect(reply.body.detail).toMatch(/^JSON parse error - .+/);
        }
      });
    }

    it('invalid UTF-8 is a parse error too', async () => {
      const reply = await raw(bodyEndpoints[0]!, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31]), 'application/json');
      expect(reply.status).toBe(400);
      expect(reply.body.detail).toMatch(/^JSON parse error - /);
    });
  });

  describe('a body that is not a JSON object → 400 non_field_errors', () => {
    const bodies: Array<[string, string]> = [
      ['[]', 'list'], ['[{"quantity": 1}]', 'list'], ['"create"', 'string'], ['42', 'number'], ['true', 'boolean'], ['null', 'null'],
    ];
    for (const endpoint of bodyEndpoints) {
      it(endpoint.name, async () => {
        for (const [body, kind] of bodies) {
          const reply = await raw(endpoint, body, 'application/json');
          expect(reply.status, body).toBe(400);
          expect(reply.body).toEqual({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${kind}.`] });
        }
      });
    }
  });

  describe('a content type other than JSON → 415', () => {
    const types = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/octet-stream'];
    for (const endpoint of bodyEndpoints) {
      it(endpoint.name, async () => {
        for (const type of types) {
          const reply = await raw(endpoint, JSON.stringify(sgPayload(t, { reference: 'CT' })), type);
          expect(reply.status, type).toBe(415);
          expect(reply.body).toEqual({ detail: `Unsupported media type "${type}" in request.` });
        }
      });
    }
  });

  it('a body over 1 MiB → 413', async () => {
    const reply = await raw(bodyEndpoints[0]!, JSON.stringify({ remarks: 'x'.repeat(1_100_000) }), 'application/json');
    expect(reply.status).toBe(413);
    expect(reply.body).toEqual({ detail: 'Request body is too large.' });
  });

  describe('a wrong type for any field → 400 naming the field', () => {
    const fields = [
      'product', 'template', 'quantity', 'reference', 'remarks', 'activate_on_complete', 'extended_id_style', 'substrate', 'code_layout',
      'custom_layout', 'use_serial_number', 'is_hybrid', 'template_image', 'is_fp_serialized', 'is_static_print',
      'static_unique_codes_quantity', 'printing_partner', 'url_prefix', 'partner_permissions', 'due_date',
    ];
    for (const [label, value] of [['an object', { nested: true }], ['a list', [1, 2]]] as const) {
      it(`create-sg with ${label}`, async () => {
        for (const field of fields) {
          if (field === 'partner_permissions' && Array.isArray(value)) continue; // a list is its type; its items are checked below
          const reply = await raw(bodyEndpoints[0]!, JSON.stringify(sgPayload(t, { [field]: value })), 'application/json');
          expect(reply.status, field).toBe(400);
          expect(Object.keys(reply.body), field).toEqual([field]);
        }
      });
    }

    it('nested objects and list items are checked too', async () => {
      const cases: Array<[Record<string, unknown>, unknown]> = [
        [{ data: [] }, { data: ['Invalid data. Expected a dictionary.'] }],
        [{ data: { remarks: { a: 1 } } }, { data: { remarks: ['Not a valid string.'] } }],
        [{ data: { static_unique_codes_quantity: -1 } }, { data: { static_unique_codes_quantity: ['Ensure this value is greater than or equal to 0.'] } }],
        [{ partner_permissions: [{ a: 1 }, 'fly'] }, { partner_permissions: { 0: ['Not a valid string.'], 1: ['"fly" is not a valid choice.'] } }],
        [{ partner_permissions: Array(11).fill('activate_codes') }, { partner_permissions: ['Ensure this field has no more than 10 elements.'] }],
      ];
      for (const [overrides, expected] of cases) {
        const reply = await raw(bodyEndpoints[0]!, JSON.stringify(sgPayload(t, overrides)), 'application/json');
        expect(reply.status, JSON.stringify(overrides)).toBe(400);
        expect(reply.body).toEqual(expected);
      }
    });

    it('out-of-range numbers', async () => {
      const cases: Array<[string, string, unknown]> = [
        ['quantity', '1e400', { quantity: ['A valid integer is required.'] }],
        ['quantity', '-1e400', { quantity: ['A valid integer is required.'] }],
        ['printing_partner', '1e300', { printing_partner: ['Ensure this value is less than or equal to 9007199254740991.'] }],
        ['template', '9007199254740993', { template: ['Ensure this value is less than or equal to 9007199254740991.'] }],
        ['substrate', '-7', { substrate: ['Ensure this value is greater than or equal to 1.'] }],
      ];
      for (const [field, literal, expected] of cases) {
        const json = JSON.stringify(sgPayload(t, { [field]: '__N__' })).replace('"__N__"', literal);
        const reply = await raw(bodyEndpoints[0]!, json, 'application/json');
        expect(reply.status, `${field}=${literal}`).toBe(400);
        expect(reply.body).toEqual(expected);
      }
      const confirmReply = await raw(bodyEndpoints[3]!, '{"equipment": 1e400}', 'application/json');
      expect(confirmReply.body).toEqual({ equipment: ['A valid integer is required.'] });
    });

    it('deeply nested JSON', async () => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const reply = await raw(bodyEndpoints[0]!, `{"data": ${deep}, "quantity": 1, "reference": "DEEP"}`, 'application/json');
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ data: ['Invalid data. Expected a dictionary.'] });
    });

    it('__proto__ and constructor keys are refused (prototype poisoning) and pollute nothing', async () => {
      const reply = await raw(bodyEndpoints[1]!, '{"__proto__": {"quantity": 5}, "constructor": {"prototype": {"quantity": 5}}, "reference": "PROTO"}', 'application/json');
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ detail: expect.stringMatching(/^JSON parse error - /) });
      expect(({} as Record<string, unknown>).quantity).toBeUndefined();
    });
  });

  describe('ids in the path that are not positive integers → 404', () => {
    const badIds = ['abc', '0', '-3', '1.5', '1e2', '0x10', '99999999999999999999', '%20', '1;DROP'];
    const paths = (id: string): Array<[string, string, unknown?]> => [
      ['GET', `${WO}/${id}/`], ['PATCH', `${WO}/${id}/`, { remarks: 'x' }], ['DELETE', `${WO}/${id}/`],
      ['PATCH', `${WO}/${id}/printer-confirm/`, { equipment: 1 }], ['POST', `${WO}/${id}/cancel/`], ['POST', `${WO}/${id}/archive/`],
      ['POST', `${WO}/${id}/unarchive/`], ['POST', `${WO}/${id}/printed/`], ['POST', `${WO}/${id}/complete/`],
      ['GET', `${WO}/${id}/download/`], ['GET', `${WO}/${id}/serial-numbers/`],
    ];
    it('on every endpoint', async () => {
      for (const id of badIds) {
        for (const [method, url, body] of paths(id)) {
          const reply = await t.call(method as 'GET', url, t.seed.platform.token, body);
          replies.push({ what: `${method} ${url}`, reply });
          expect(reply.status, `${method} ${url}`).toBe(404);
          expect(reply.body).toEqual({ detail: 'Not found.' });
        }
      }
    });

    it('even when the body is bad too', async () => {
      const reply = await send(t, { method: 'PATCH', url: `${WO}/abc/`, token: bo, body: '[]', contentType: 'application/json' });
      expect(reply.status).toBe(404);
    });
  });

  it('unknown paths and methods are 404 with a DRF body', async () => {
    for (const [method, url] of [['GET', '/api/v2/nothing/'], ['PUT', `${WO}/${fresh.id}/`], ['POST', `${WO}/`], ['GET', `${WO}/create-sg/`], ['DELETE', `${WO}/`]] as const) {
      const reply = await t.call(method, url, bo, method === 'GET' || method === 'DELETE' ? undefined : {});
      replies.push({ what: `${method} ${url}`, reply });
      expect(reply.status, `${method} ${url}`).toBe(404);
      expect(reply.body).toEqual({ detail: 'Not found.' });
    }
  });

  it('state rules: actions in the wrong state are 400 non_field_errors', async () => {
    const cases: Array<[Method, string, string, unknown, string]> = [
      ['PATCH', `${WO}/${confirmed.id}/printer-confirm/`, t.seed.printing_partner.token, { equipment: t.seed.equipment_id }, 'This work order has already been confirmed.'],
      ['PATCH', `${WO}/${confirmed.id}/`, bo, { remarks: 'x' }, 'Only new work orders that are not confirmed yet can be edited.'],
      ['PATCH', `${WO}/${sid.id}/`, bo, { remarks: 'x' }, 'Only new work orders that are not confirmed yet can be edited.'],
      ['POST', `${WO}/${fresh.id}/printed/`, t.seed.printing_partner.token, undefined, 'A work order in state "new" cannot be marked printed; it must be "ready to print".'],
      ['POST', `${WO}/${fresh.id}/complete/`, t.seed.platform.token, undefined, 'A work order in state "new" cannot be completed; it must be "printed".'],
    ];
    for (const [method, url, token, body, message] of cases) {
      const reply = await t.call(method, url, token, body);
      replies.push({ what: `${method} ${url}`, reply });
      expect(reply.status, url).toBe(400);
      expect(reply.body).toEqual({ non_field_errors: [message] });
    }
    const del = await t.call('DELETE', `${WO}/${confirmed.id}/`, bo);
    expect(del.body).toEqual({ non_field_errors: ['Only new work orders that are not confirmed yet can be deleted.'] });
  });

  it('none of the requests above got a 5xx, each got a DRF-style body, and nothing changed', async () => {
    expect(replies.length).toBeGreaterThan(200);
    for (const { what, reply } of replies) {
      expect(reply.status, what).toBeGreaterThanOrEqual(400);
      expect(reply.status, what).toBeLessThan(500);
      expect(String(reply.headers['content-type']), what).toMatch(/^application\/json/);
      expectDrfBody(reply.body);
    }
    expect(await snapshot(t)).toEqual(initial);
    const list = await t.call('GET', `${WO}/?limit=100`, bo);
    expect(list.body.results.map((r: any) => r.reference).sort()).toEqual(['BAD-CONFIRMED', 'BAD-NEW', 'BAD-SID']);
  });

  it('JSON with a charset parameter is fine', async () => {
    const reply = await send(t, {
      method: 'PATCH', url: `${WO}/${fresh.id}/`, token: bo, body: JSON.stringify({ remarks: 'charset' }), contentType: 'application/json; charset=utf-8',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.remarks).toBe('charset');
  });

  it('unknown fields are ignored, as DRF does', async () => {
    const reply = await t.call('POST', `${WO}/create-sid/`, bo, { reference: 'EXTRA', quantity: 1, colour: 'blue', id: 12345, state: 'completed', codegen_status: 4 });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ reference: 'EXTRA', state: 'new', codegen_status: 6 });
    expect(reply.body.id).not.toBe(12345);
  });
});
