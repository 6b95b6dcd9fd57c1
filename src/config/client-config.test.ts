import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClientEnv } from './client-config.js';

describe('loadClientEnv', () => {
  it('reads SIGIL_URL, SIGIL_TOKEN, SIGIL_PROFILE and SIGIL_FORCE_TTY; empty values count as unset', () => {
    expect(loadClientEnv({ SIGIL_URL: 'http://h:1', SIGIL_TOKEN: 'k', SIGIL_PROFILE: '/p.json', SIGIL_FORCE_TTY: 'TRUE' }))
      .toEqual({ url: 'http://h:1', token: 'k', profilePath: '/p.json', forceTty: true });
    const defaults = loadClientEnv({ SIGIL_URL: '', SIGIL_TOKEN: '', SIGIL_FORCE_TTY: '0' });
    expect(defaults).toEqual({ url: undefined, token: undefined, profilePath: join(homedir(), '.config', 'sigil', 'client.json'), forceTty: false });
    expect(Object.isFrozen(defaults)).toBe(true);
  });

  it('puts the default profile under XDG_CONFIG_HOME when it is set', () => {
    expect(loadClientEnv({ XDG_CONFIG_HOME: '/xdg' }).profilePath).toBe('/xdg/sigil/client.json');
  });
});
