import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, freePort } from '../helpers/server-process.js';

/** `sigil …` as an operator runs it: its exit code and what it printed. */
function sigil(args: string[], env: Record<string, string>, cwd?: string) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIGIL_') && k !== 'DATABASE_URL'));
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...clean, ...env }, encoding: 'utf8', cwd, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What an operator is told: one message that names the variable and the path, no stack trace. */
function expectOperatorMessage(stderr: string, ...mentions: Array<string | RegExp>) {
  expect(stderr).toMatch(/^sigil: /);
  for (const mention of mentions) expect(stderr).toMatch(mention);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/SqliteError|node:internal/);
}

describe('start-up errors name the variable and the path, without a stack trace', () => {
  const root = mkdtempSync(join(tmpdir(), 'sigil-startup-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a data directory that cannot be created', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    const dir = join(file, 'data');
    const { status, stderr } = sigil(['serve'], { SIGIL_DATA_DIR: dir });
    expect(status).toBe(1);
    expectOperatorMessage(stderr, `cannot create the data directory ${dir}`, 'SIGIL_DATA_DIR', /\(ENOTDIR\)/);
  });

  it('a database file that cannot be opened', () => {
    const dir = join(root, 'db-is-a-directory');
    mkdirSync(join(dir, 'sigil.db'), { recursive: true });
    const { status, stderr } = sigil(['serve'], { SIGIL_DATA_DIR: dir, SIGIL_SECRET_KEY: 'k'.repeat(40) });
    expect(status).toBe(1);
    expectOperatorMessage(stderr, `cannot open the database ${join(dir, 'sigil.db')}`, 'SIGIL_DATA_DIR');
  });

  it('a port already taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { status, stderr } = sigil(['serve'], { SIGIL_DATA_DIR: join(root, 'port'), PORT: String(port), HOST: '127.0.0.1' });
      expect(status).toBe(1);
      expectOperatorMessage(stderr, `cannot listen on 127.0.0.1:${port}`, 'HOST, PORT', /EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it('an invalid variable', () => {
    const { status, stderr } = sigil(['migrate'], { SIGIL_DATA_DIR: join(root, 'bad-format'), SIGIL_LOG_FORMAT: 'xml' });
    expect(status).toBe(1);
    expectOperatorMessage(stderr, /SIGIL_LOG_FORMAT must be one of auto, json, pretty \(got "xml"\)/);
  });
});

describe('admin commands work on an existing installation only; setting-up commands create one', () => {
  const root = mkdtempSync(join(tmpdir(), 'sigil-datadir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a read or create command where there is no installation says where it looked and creates nothing', () => {
    const dir = join(root, 'nothing-here');
    for (const args of [['token', 'list'], ['company', 'create', '--name', 'X', '--type', 'brand_owner']]) {
      const { status, stderr } = sigil(args, { SIGIL_DATA_DIR: dir });
      expect(status, args.join(' ')).toBe(1);
      expectOperatorMessage(stderr, `no Sigil database at ${join(dir, 'sigil.db')}`, `SIGIL_DATA_DIR is ${dir}`, '"sigil migrate"');
      expect(existsSync(dir)).toBe(false);
    }
    // Without SIGIL_DATA_DIR it says it looked in ./data of the current directory (and leaves none there).
    const cwd = join(root, 'cwd');
    mkdirSync(cwd);
    const { stderr } = sigil(['token', 'list'], {}, cwd);
    expectOperatorMessage(stderr, 'SIGIL_DATA_DIR is not set', join(cwd, 'data'));
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('migrate creates the installation; then the same command works', () => {
    const dir = join(root, 'fresh');
    expect(sigil(['migrate'], { SIGIL_DATA_DIR: dir })).toMatchObject({ status: 0, stdout: 'database is up to date\n' });
    expect(existsSync(join(dir, 'sigil.db'))).toBe(true);
    const listed = sigil(['token', 'list'], { SIGIL_DATA_DIR: dir });
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });
});
