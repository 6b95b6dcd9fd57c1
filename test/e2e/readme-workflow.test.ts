import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, hasUnzip, ROOT, startServer, type ServerProcess } from '../helpers/server-process.js';

/** The README's shell blocks under a heading, as a reader would copy them. */
function shellBlocksUnder(heading: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

/**
 * The README's seed workflow pasted whole into bash, against a freshly started server: it must end with
 * the zip on disk, checked against the SHA-256 the server reports. Only the server's address differs
 * (the README says 127.0.0.1:8000, what `npm start` serves on; the test's server takes a free port).
 */
describe('README: the seed workflow blocks, pasted into bash', () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-readme-'));
    // The blocks run `node dist/main/…` from the project directory: a working directory that has it.
    symlinkSync(join(ROOT, 'dist'), join(dir, 'dist'));
    server = await startServer({ SIGIL_DATA_DIR: join(dir, 'data'), SIGIL_JOB_POLL_MS: '50' }, await freePort());
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the curl block, then the sigil-client block, each end with a verified zip', () => {
    const script = [shellBlocksUnder('## The seed workflow with curl'), shellBlocksUnder('## The seed workflow with `sigil-client`')]
      .join('\n').replaceAll('http://127.0.0.1:8000', server.baseUrl);
    expect(script).toContain('curl --fail');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIGIL_') && k !== 'DATABASE_URL'));
    const run = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: dir, env: { ...env, SIGIL_DATA_DIR: join(dir, 'data') }, encoding: 'utf8', timeout: 120_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/codegen_status 4/);
    expect(run.stdout).toMatch(/Tk-022\.zip: OK/);
    for (const zip of ['Tk-022.zip', 'Tk-023.zip']) {
      expect(existsSync(join(dir, zip)), zip).toBe(true);
      if (!hasUnzip()) continue;
      const listing = spawnSync('unzip', ['-l', join(dir, zip)], { encoding: 'utf8' }).stdout;
      expect(listing).toMatch(/codes\.csv/);
      expect(listing).toMatch(/manifest\.json/);
      expect(listing.match(/\.png/g)?.length, zip).toBe(10);
    }
  });
});
