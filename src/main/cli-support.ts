import { Help, InvalidArgumentError, type Command, type Option } from 'commander';
import { buildContainer, type Container } from '../app/container.js';
import { loadConfig } from '../config/load-config.js';
import * as companies from '../db/repositories/companies.repository.js';
import { AdminReads } from '../domain/admin/admin-reads.js';
import { AppError } from '../shared/app-error.js';
import { createLogger } from '../shared/logger.js';

/** Option and argument parsers of the `sigil` admin CLI, its output, and its database access. */

export const int = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
};
export const num = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};
export const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter(Boolean);
export const bool = (value: string): boolean => {
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new InvalidArgumentError('expected true or false');
};

/** Everything the admin CLI prints is JSON (objects and arrays of the views in domain/admin/admin-views.ts). */
export const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

/** Help that says which options are required (commander checks them but does not mark them). */
export function markRequiredOptions(program: Command): Command {
  const help = new Help();
  return program.configureHelp({
    optionDescription: (option: Option) => {
      const description = help.optionDescription(option);
      return option.mandatory ? `${description} (required)`.trimStart() : description;
    },
  });
}

/**
 * Runs `action` with a container on the configured database, closing it afterwards. Only setting-up
 * commands (`migrate`, `seed-demo`) may create a new data directory: the others, run where no
 * installation is, say where they looked instead of working on a new empty one.
 */
export async function withContainer<T>(action: (c: Container) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const config = loadConfig(undefined, { create: options.create ?? false }); // the environment, read in src/config
  const container = await buildContainer(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, { format: config.logFormat }));
  try {
    return await action(container);
  } finally {
    await container.close();
  }
}

/** Like withContainer, with the operator's list/show reads at hand. */
export const withReads = <T>(action: (reads: AdminReads, c: Container) => Promise<T>): Promise<T> =>
  withContainer((c) => action(new AdminReads(c.db), c));

/** `--user` takes an id or a username. */
export async function resolveUserId(c: Container, user: string): Promise<number> {
  if (/^\d+$/.test(user)) return Number(user);
  const row = await companies.findUserByUsername(c.db, user);
  if (!row) throw AppError.field('user', `No user named "${user}".`);
  return row.id;
}

/** `<group> show ID`: one object in its view, or exit 1 with `error: {"id": ["No company 7."]}`. */
export function addShow(group: Command, what: string, show: (reads: AdminReads, id: number) => Promise<unknown>): Command {
  return group.command('show').description(`print one ${what} by id`).argument('<id>', `${what} id`, int)
    .action(async (id: number) => print(await withReads((reads) => show(reads, id))));
}
