import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sgPayload, type TestApp } from '../helpers/test-app.js';

/**
 * Another process (a `sigil worker` beside `sigil serve`) holds the write lock and commits while a
 * request's transaction is under way: the request must wait its turn, not fail with SQLITE_BUSY.
 */
describe('SQLite shared by two processes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('a create waits for the other writer and succeeds', async () => {
    const file = join(t.dataDir, 'sigil.db');
    // Use the token once first, so the create below writes nothing before its own transaction.
    expect((await t.call('GET', '/api/v2/me/', t.seed.brand_owner.token)).status).toBe(200);
    const holder = spawn(process.execPath, ['-e', `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(file)});
      db.pragma('busy_timeout = 10000');
      db.exec('BEGIN IMMEDIATE');
      db.prepare("UPDATE companies SET city = 'Geneva' WHERE id = 1").run();
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('COMMIT'); process.exit(0); }, 600);
    `], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const created = await t.call('POST', '/api/v2/workorders/create-sg/', t.seed.brand_owner.token, sgPayload(t));
    expect(created.status).toBe(201);
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(created.body.company.city).toBe('Geneva');
  });
});
