import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
export const CLIENT_CLI = join(ROOT, 'dist', 'main', 'client-cli.js');

export interface ClientRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sigil-client args…` as a child process to completion (asynchronously: a test may run several
 * at once). Only `env` configures it: SIGIL_URL, SIGIL_TOKEN, SIGIL_PROFILE and SIGIL_FORCE_TTY of the
 * test process are dropped, so a developer's own settings never leak in.
 */
export function runClient(args: string[], env: Record<string, string>): Promise<ClientRun> {
  if (!existsSync(CLIENT_CLI)) throw new Error(`${CLIENT_CLI} is missing: run "npm run build" first (npm test does it).`);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^SIGIL_(URL|TOKEN|PROFILE|FORCE_TTY)$/.test(key)));
  const child = spawn(process.execPath, [CLIENT_CLI, ...args], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Whether util-linux `script` can give a child a pseudo-terminal here. */
export function hasScript(): boolean {
  return spawnSync('script', ['-qec', 'true', '/dev/null'], { encoding: 'utf8' }).status === 0;
}
