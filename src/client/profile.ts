import { readFileSync } from 'node:fs';
import type { ClientEnv } from '../config/client-config.js';
import { ClientError, EXIT } from './exit-codes.js';

/** Where the client connects and as whom. */
export interface Connection {
  /** Base URL without a trailing slash. */
  url: string;
  token: string;
}

interface Profile {
  url?: string;
  token?: string;
}

function readProfile(path: string): Profile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ClientError([`error: cannot read the profile ${path}: ${(error as Error).message}`], EXIT.usage);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ClientError([`error: the profile ${path} is not valid JSON: ${(error as Error).message}`], EXIT.usage);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ClientError([`error: the profile ${path} must hold a JSON object {"url": "…", "token": "…"}`], EXIT.usage);
  }
  const { url, token } = parsed as Record<string, unknown>;
  const stringField = (name: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new ClientError([`error: "${name}" in the profile ${path} must be a string`], EXIT.usage);
    return value;
  };
  return { url: stringField('url', url), token: stringField('token', token) };
}

/**
 * `--url`/`--token` win over `SIGIL_URL`/`SIGIL_TOKEN`, which win over the profile file. The profile
 * is read only when an option and its variable are both missing. A missing value names the variable
 * and the profile path; the token itself never appears in a message.
 */
export function resolveConnection(options: { url?: string; token?: string }, env: ClientEnv): Connection {
  let profile: Profile | undefined;
  const fromProfile = () => (profile ??= readProfile(env.profilePath));
  const url = options.url ?? env.url ?? fromProfile().url;
  const token = options.token ?? env.token ?? fromProfile().token;
  const missing = (what: string, variable: string, key: string) =>
    `error: no ${what}: set ${variable}, pass --${key}, or put "${key}" in the profile ${env.profilePath}`;
  const problems = [
    ...(url === undefined ? [missing('server URL', 'SIGIL_URL', 'url')] : []),
    ...(token === undefined ? [missing('token', 'SIGIL_TOKEN', 'token')] : []),
  ];
  if (url !== undefined && !isHttpUrl(url)) problems.push(`error: the server URL must be an absolute http(s) URL (got "${url}")`);
  if (problems.length > 0 || url === undefined || token === undefined) throw new ClientError(problems, EXIT.usage);
  return { url: url.replace(/\/+$/, ''), token };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
