import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKORDER_EXAMPLE } from '../../src/api/schemas/examples.js';
import { confirm, createSg, createSid, send, WO } from '../helpers/api-fixtures.js';
import { resolveSchema, type OpenApiDoc } from '../helpers/openapi-doc.js';
import { createTestApp, sgPayload, type TestApp } from '../helpers/test-app.js';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
const TSC = join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc');

/** Every operation of the document as [label, operation]. */
const operationsOf = (doc: OpenApiDoc) => Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, operation]) => [`${method} ${path}`, operation] as const));

/** A value's shape: its keys, recursively (arrays by their first item), to compare an example with a real reply. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shapeOf(value[0])] : [];
  if (value === null || typeof value !== 'object') return typeof value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v === null ? 'null?' : shapeOf(v)]));
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    t = await createTestApp();
    const reply = await send(t, { method: 'GET', url: '/api/v2/schema/' });
    expect(reply.status).toBe(200);
    doc = reply.body;
  });
  afterAll(async () => t.close());

  it('passes Redocly\'s recommended ruleset, examples checked against their schemas', async () => {
    const config = await createConfig({
      extends: ['recommended'],
      rules: {
        // Every path ends in "/": the Scantrust API v2's URLs (Django's APPEND_SLASH), which Sigil is wire-compatible with.
        'no-path-trailing-slash': 'off',
        // The project is private (package.json: UNLICENSED): there is no licence to name.
        'info-license': 'off',
        // Not in "recommended" at error level: a stale example should fail this test.
        'no-invalid-schema-examples': 'error',
        'no-invalid-media-type-examples': 'error',
      },
    });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'sigil-openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ''})`)).toEqual([]);
  });

  it('gives every operation one success status: 201 for creates, 202 for the async upload, 204 for a delete', () => {
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(30);
    for (const [label, operation] of operations) {
      const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      // The download may also answer a Range request with its 206 (partial content) besides the 200.
      const expected = label === 'get /api/v2/workorders/{id}/download/' ? ['200', '206'] : [success[0]];
      expect(success, label).toEqual(expected);
      expect(operation.operationId, label).toMatch(/^[a-z_]+$/);
    }
    const successOf = (path: string, method: string) => Object.keys(doc.paths[path]![method].responses).filter((s) => s.startsWith('2'));
    expect(successOf(`${WO}/create-sg/`, 'post')).toEqual(['201']);
    expect(successOf(`${WO}/create-sid/`, 'post')).toEqual(['201']);
    expect(successOf('/api/v2/scm/upload/async/', 'post')).toEqual(['202']);
    expect(successOf(`${WO}/{id}/`, 'delete')).toEqual(['204']);
    expect(doc.paths[`${WO}/{id}/`]!.delete.responses['204'].content).toBeUndefined();
  });

  it('declares the zip as application/zip binary and the CSVs as text/csv', () => {
    const download = doc.paths[`${WO}/{id}/download/`]!.get.responses;
    for (const status of ['200', '206']) expect(download[status].content).toEqual({ 'application/zip': { schema: { type: 'string', format: 'binary' } } });
    expect(download['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    for (const path of [`${WO}/{id}/serial-numbers/`, '/api/v2/documents/{key}/file/']) {
      expect(Object.keys(doc.paths[path]!.get.responses['200'].content), path).toEqual(['text/csv']);
    }
    const json = operationsOf(doc).flatMap(([label, operation]) => Object.entries(operation.responses as Record<string, any>)
      .filter(([, response]) => response.content && !response.content['application/json']).map(([status]) => `${label} ${status}`));
    expect(json.sort()).toEqual([
      `get ${WO}/{id}/download/ 200`, `get ${WO}/{id}/download/ 206`, `get ${WO}/{id}/serial-numbers/ 200`, 'get /api/v2/documents/{key}/file/ 200',
    ].sort());
    // The resolver's HTML pages are not API operations.
    expect(Object.keys(doc.paths).filter((path) => !path.startsWith('/api/v2/'))).toEqual([]);
  });

  it('names its schemas, and the operations refer to them', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(expect.arrayContaining([
      'WorkOrder', 'WorkOrderPage', 'Template', 'TemplatePage', 'Product', 'ProductPage', 'Brand', 'BrandPage', 'Equipment', 'EquipmentPage',
      'Substrate', 'SubstratePage', 'PrintingPartner', 'PrintingPartnerPage', 'Code', 'CodePage', 'ScmTask', 'ScmTaskPage', 'Document',
      'Scan', 'ScanPage', 'Error', 'FieldErrors', 'Me', 'ScanSettings',
    ]));
    expect(names.filter((name) => name.startsWith('def-'))).toEqual([]);
    const jsonOf = (path: string, method: string, status: string) => doc.paths[path]![method].responses[status].content['application/json'].schema;
    expect(jsonOf(`${WO}/create-sg/`, 'post', '201')).toEqual({ $ref: '#/components/schemas/WorkOrder' });
    expect(jsonOf(`${WO}/{id}/`, 'get', '200')).toEqual({ $ref: '#/components/schemas/WorkOrder' });
    expect(jsonOf(`${WO}/`, 'get', '200')).toEqual({ $ref: '#/components/schemas/WorkOrderPage' });
    expect(jsonOf(`${WO}/`, 'get', '400')).toEqual({ $ref: '#/components/schemas/FieldErrors' });
    expect(jsonOf(`${WO}/`, 'get', '401')).toEqual({ $ref: '#/components/schemas/Error' });
    expect(jsonOf('/api/v2/scm/tasks/', 'get', '200')).toEqual({ $ref: '#/components/schemas/ScmTaskPage' });
    expect(doc.components.schemas.WorkOrderPage.properties.results.items).toEqual({ $ref: '#/components/schemas/WorkOrder' });
    expect(resolveSchema(doc, doc.components.schemas.Error)).toMatchObject({ type: 'object', required: ['detail'] });
    // Every success and error reply of JSON has a named schema.
    const anonymous = operationsOf(doc).flatMap(([label, operation]) => Object.entries(operation.responses as Record<string, any>)
      .filter(([, response]) => response.content?.['application/json'] && !response.content['application/json'].schema.$ref)
      .map(([status]) => `${label} ${status}`));
    expect(anonymous).toEqual([]);
  });

  it('declares UAT and JWT in the Authorization header; public routes declare their own security', () => {
    expect(doc.components.securitySchemes.UAT).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(doc.components.securitySchemes.UAT.description).toMatch(/UAT <key>/);
    expect(doc.components.securitySchemes.JWT).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(doc.components.securitySchemes.JWT.description).toMatch(/JWT <token>/);
    expect(doc.security).toEqual([{ UAT: [] }, { JWT: [] }]);
    expect(doc.paths['/api/v2/auth/login/']!.post.security).toEqual([]);
    expect(doc.paths['/api/v2/documents/{key}/file/']!.get.security).toEqual([]);
    expect(doc.paths['/api/v2/consumer/find/']!.post.security).toEqual([{ ConsumerKey: [] }]);
    expect(doc.paths[`${WO}/`]!.get.security).toBeUndefined();
  });

  it('carries the seed\'s examples, and the WorkOrder example has the fields of a real reply', async () => {
    const createSgBody = doc.paths[`${WO}/create-sg/`]!.post.requestBody.content['application/json'];
    expect(createSgBody.example).toMatchObject({ product: 'P2', reference: 'Tk-022', code_layout: 'sg-outside' });
    expect(doc.paths[`${WO}/create-sid/`]!.post.requestBody.content['application/json'].example).toMatchObject({ quantity: 1000 });
    expect(doc.paths[`${WO}/{id}/printer-confirm/`]!.patch.requestBody.content['application/json'].example).toMatchObject({ external_id: 'tk_001' });
    expect(doc.components.schemas.WorkOrder.examples).toEqual([WORKORDER_EXAMPLE]);
    const created = await createSg(t, { reference: 'Tk-022' });
    expect(shapeOf(WORKORDER_EXAMPLE)).toEqual(shapeOf(created));
  });

  it('generates a typed client (openapi-typescript) that type-checks the suite\'s requests and the server\'s replies', async () => {
    const types = astToString(await openapiTS(doc as never));
    // The fixtures' bodies as a typed client sends them: numbers where the server also takes DRF's digit strings.
    const sgBody = sgPayload(t, { quantity: 10, template: t.seed.template_id, reference: 'typed-sg' });
    const sidBody = { reference: 'typed-sid', quantity: 5, activate_on_complete: true };
    const confirmBody = { equipment: t.seed.equipment_id, substrate: t.seed.substrate_id, external_id: 'ext-1' };
    const scmBody = { data_key: 'extended_id', items: [{ extended_id: 'ABC123', activation_status: 2, blacklist_reason: 4 }], reference: 'typed' };
    const sg = await createSg(t, sgBody);
    const sid = await createSid(t, sidBody);
    const confirmed = await confirm(t, sg.id, confirmBody);
    const list = (await t.call('GET', `${WO}/?limit=2`, t.seed.brand_owner.token)).body;
    const tasks = (await t.call('GET', '/api/v2/scm/tasks/', t.seed.brand_owner.token)).body;
    const me = (await t.call('GET', '/api/v2/me/', t.seed.brand_owner.token)).body;
    const json = (value: unknown) => JSON.stringify(value, null, 1);
    const calls = `import type { components, paths } from './api.js';
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer R } } } } ? R : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type S = components['schemas'];

export const sgBody: Body<'/api/v2/workorders/create-sg/', 'post'> = ${json(sgBody)};
export const sidBody: Body<'/api/v2/workorders/create-sid/', 'post'> = ${json(sidBody)};
export const confirmBody: Body<'/api/v2/workorders/{id}/printer-confirm/', 'patch'> = ${json(confirmBody)};
export const scmBody: Body<'/api/v2/scm/upload/', 'post'> = ${json(scmBody)};

export const createdSg: Json<'/api/v2/workorders/create-sg/', 'post', 201> = ${json(sg)};
export const createdSid: Json<'/api/v2/workorders/create-sid/', 'post', 201> = ${json(sid)};
export const confirmed: Json<'/api/v2/workorders/{id}/printer-confirm/', 'patch', 200> = ${json(confirmed)};
export const list: Json<'/api/v2/workorders/', 'get', 200> = ${json(list)};
export const tasks: Json<'/api/v2/scm/tasks/', 'get', 200> = ${json(tasks)};
export const me: Json<'/api/v2/me/', 'get', 200> = ${json(me)};

export const createIsWorkOrder: Same<Json<'/api/v2/workorders/create-sg/', 'post', 201>, S['WorkOrder']> = true;
export const listIsPage: Same<Json<'/api/v2/workorders/', 'get', 200>, S['WorkOrderPage']> = true;
export const pageOfWorkOrders: Same<S['WorkOrderPage']['results'][number], S['WorkOrder']> = true;
export const badRequest: Same<Json<'/api/v2/workorders/create-sg/', 'post', 400>, S['FieldErrors']> = true;
`;
    // The check must be able to fail: a body field the schema lacks, a reply that is not a WorkOrder, a wrong type.
    const wrong = `import type { components, paths } from './api.js';
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer R } } } } ? R : never;
export const unknownField: Body<'/api/v2/workorders/create-sid/', 'post'> = { reference: 'x', quantity: 1, not_a_field: 1 };
export const notAWorkOrder: components['schemas']['WorkOrder'] = ${JSON.stringify(tasks)};
export const wrongType: Json<'/api/v2/workorders/{id}/', 'get', 200>['quantity'] = '10';
`;
    const dir = await mkdtemp(join(tmpdir(), 'sigil-openapi-'));
    try {
      await writeFile(join(dir, 'api.ts'), types);
      await writeFile(join(dir, 'calls.ts'), calls);
      await writeFile(join(dir, 'wrong.ts'), wrong);
      const tsc = spawnSync(process.execPath, [
        TSC, '--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
        join(dir, 'api.ts'), join(dir, 'calls.ts'), join(dir, 'wrong.ts'),
      ], { encoding: 'utf8', cwd: dir });
      const errors = tsc.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
      expect(errors.filter((line) => !line.startsWith('wrong.ts')), tsc.stdout + tsc.stderr).toEqual([]);
      // One error for each wrong line (5, 6 and 7).
      expect([...new Set(errors.map((line) => /^wrong\.ts\((\d+),/.exec(line)?.[1]))].sort(), tsc.stdout).toEqual(['5', '6', '7']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
