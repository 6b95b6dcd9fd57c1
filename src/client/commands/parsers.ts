import { InvalidArgumentError } from 'commander';
import type { ApiClient } from '../api-client.js';

/** What every command gets: the API (built on first use from --url/--token, env and profile) and whether to draw bars. */
export interface CommandContext {
  api(): ApiClient;
  /** Progress as on a terminal: stderr is a TTY, or SIGIL_FORCE_TTY=1 (a command's --progress also forces it). */
  tty: boolean;
}

export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

export const nonNegativeInt = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer ≥ 0');
  return n;
};

export const seconds = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds > 0');
  return n;
};

export const bool = (value: string): boolean => {
  if (['true', '1', 'yes'].includes(value.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
  throw new InvalidArgumentError('expected true or false');
};

export const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter(Boolean);

/** `--limit`/`--offset` of every list command (the API's DRF page). */
export interface PageOptions {
  limit?: number;
  offset?: number;
  json: boolean;
}
