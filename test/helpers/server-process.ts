import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'main', 'cli.js');

function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does it).`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs a `sigil` CLI command to completion and returns its stdout (throws with stderr on failure). */
export function runCli(args: string[], env: Record<string, string>): string {
  requireBuild();
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sigil ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** A `sigil` child process: its output so far, SIGKILL (`kill`: no shutdown hooks run, like a crash or power loss) and SIGTERM (`stop`: waits for the graceful exit). */
export interface SigilProcess {
  child: ChildProcess;
  output: () => string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerProcess extends SigilProcess {
  baseUrl: string;
}

/** Spawns `node [nodeArgs] cli.js args…` and waits until `ready()` holds (polled), or fails with its output. */
async function spawnSigil(
  args: string[], env: Record<string, string>, nodeArgs: string[], ready: (output: string) => Promise<boolean> | boolean,
): Promise<SigilProcess> {
  requireBuild();
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!(await ready(output))) {
    if (child.exitCode !== null) throw new Error(`sigil ${args.join(' ')} exited early (${child.exitCode}): ${output}`);
    if (Date.now() > deadline) throw new Error(`sigil ${args.join(' ')} did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts `sigil serve` as a real child process and waits until it answers; `nodeArgs` go to node. */
export async function startServer(env: Record<string, string>, port: number, nodeArgs: string[] = []): Promise<ServerProcess> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const answers = async () => {
    try {
      return (await fetch(`${baseUrl}/healthz`)).ok;
    } catch {
      return false; // not listening yet
    }
  };
  const started = await spawnSigil(['serve'], { HOST: '127.0.0.1', PORT: String(port), SIGIL_LOG_LEVEL: 'warn', ...env }, nodeArgs, answers);
  return { ...started, baseUrl };
}

/** Starts `sigil worker` (no HTTP) and waits until it logs that it runs. */
export function startWorker(env: Record<string, string>, args: string[] = []): Promise<SigilProcess> {
  return spawnSigil(['worker', ...args], { SIGIL_LOG_LEVEL: 'info', ...env }, [], (output) => output.includes('Sigil worker is running'));
}

/** A tiny API client over real HTTP. */
export function apiClient(baseUrl: string, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, {
      method,
      headers: { authorization: `UAT ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

export async function download(url: string, token: string): Promise<{ status: number; headers: Headers; data: Buffer }> {
  const response = await fetch(url, { headers: { authorization: `UAT ${token}` } });
  return { status: response.status, headers: response.headers, data: Buffer.from(await response.arrayBuffer()) };
}

export function hasUnzip(): boolean {
  return spawnSync('unzip', ['-v'], { encoding: 'utf8' }).status === 0;
}
