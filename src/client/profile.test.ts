import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadClientEnv } from '../config/client-config.js';
import { ClientError } from './exit-codes.js';
import { resolveConnection } from './profile.js';

describe('resolveConnection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-client-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const profile = (content: string) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, content);
    return file;
  };
  const failure = (run: () => unknown): ClientError => {
    try {
      run();
    } catch (error) {
      if (error instanceof ClientError) return error;
      throw error;
    }
    throw new Error('expected a ClientError');
  };

  it('takes options over the environment over the profile, and drops trailing slashes', () => {
    const file = profile(JSON.stringify({ url: 'http://profile:1/', token: 'profile-key' }));
    expect(resolveConnection({}, loadClientEnv({ SIGIL_PROFILE: file }))).toEqual({ url: 'http://profile:1', token: 'profile-key' });
    expect(resolveConnection({}, loadClientEnv({ SIGIL_PROFILE: file, SIGIL_TOKEN: 'env-key' }))).toEqual({ url: 'http://profile:1', token: 'env-key' });
    expect(resolveConnection({ url: 'https://option/base/', token: 'option-key' }, loadClientEnv({ SIGIL_PROFILE: file, SIGIL_URL: 'http://env:2', SIGIL_TOKEN: 'env-key' })))
      .toEqual({ url: 'https://option/base', token: 'option-key' });
  });

  it('does not read the profile when the environment gives both values (a broken profile is then harmless)', () => {
    const file = profile('{not json');
    expect(resolveConnection({}, loadClientEnv({ SIGIL_PROFILE: file, SIGIL_URL: 'http://env:2', SIGIL_TOKEN: 'k' })).url).toBe('http://env:2');
  });

  it('names the variable and the profile path for each missing value, exit 2', () => {
    const error = failure(() => resolveConnection({}, loadClientEnv({ SIGIL_PROFILE: join(dir, 'absent.json') })));
    expect(error.exitCode).toBe(2);
    expect(error.lines).toEqual([
      `error: no server URL: set SIGIL_URL, pass --url, or put "url" in the profile ${join(dir, 'absent.json')}`,
      `error: no token: set SIGIL_TOKEN, pass --token, or put "token" in the profile ${join(dir, 'absent.json')}`,
    ]);
  });

  it('refuses a URL that is not http(s), a profile that is not a JSON object, and non-string values, without echoing the token', () => {
    expect(failure(() => resolveConnection({ url: 'ftp://x', token: 'secret-key' }, loadClientEnv({}))).lines)
      .toEqual(['error: the server URL must be an absolute http(s) URL (got "ftp://x")']);
    const array = profile('[]');
    expect(failure(() => resolveConnection({}, loadClientEnv({ SIGIL_PROFILE: array }))).lines[0]).toContain('must hold a JSON object');
    const numeric = profile('{"url": "http://h", "token": 5}');
    const error = failure(() => resolveConnection({}, loadClientEnv({ SIGIL_PROFILE: numeric })));
    expect(error.lines[0]).toBe(`error: "token" in the profile ${numeric} must be a string`);
    expect(error.exitCode).toBe(2);
  });
});
