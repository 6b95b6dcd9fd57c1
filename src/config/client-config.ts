import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/** What the environment tells `sigil-client` (the HTTP client CLI); frozen. Options and the profile file are merged in src/client/profile.ts. */
export interface ClientEnv {
  /** Base URL of the Sigil server, e.g. `http://127.0.0.1:8000`. Env `SIGIL_URL`; unset: the profile's. */
  readonly url: string | undefined;
  /** UAT key, sent as `Authorization: UAT <key>`. Env `SIGIL_TOKEN`; unset: the profile's. Never printed. */
  readonly token: string | undefined;
  /** JSON file `{"url", "token"}`. Env `SIGIL_PROFILE`, default `$XDG_CONFIG_HOME/sigil/client.json` (or `~/.config/sigil/client.json`). */
  readonly profilePath: string;
  /** Draw progress bars as on a terminal even when stderr is not one. Env `SIGIL_FORCE_TTY` (1/true), default false. */
  readonly forceTty: boolean;
}

const present = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** Reads the client's variables. Nothing here is validated beyond presence: a bad URL is reported where it is used, with its source. */
export function loadClientEnv(env: Env = process.env): ClientEnv {
  const configHome = present(env.XDG_CONFIG_HOME) ?? join(homedir(), '.config');
  return Object.freeze({
    url: present(env.SIGIL_URL),
    token: present(env.SIGIL_TOKEN),
    profilePath: present(env.SIGIL_PROFILE) ?? join(configHome, 'sigil', 'client.json'),
    forceTty: ['1', 'true', 'yes', 'on'].includes((env.SIGIL_FORCE_TTY ?? '').toLowerCase()),
  });
}
