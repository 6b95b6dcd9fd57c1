import { Command, InvalidArgumentError } from 'commander';
import { serve, work } from '../app/serve.js';
import { loadConfig } from '../config/load-config.js';
import { seedDemo } from '../domain/admin/seed-demo.js';
import { addCatalogCommands } from './catalog-commands.js';
import { int, markRequiredOptions, print, withContainer } from './cli-support.js';
import { addTenantCommands } from './tenant-commands.js';

const EXAMPLE = `
Example: an installation from scratch (create, list and show print JSON):
  $ sigil migrate
  $ sigil company create --name "Acme" --type brand_owner
  $ sigil user create --company 1 --username acme-admin
  $ sigil token create --user acme-admin --name ci
  $ sigil company list --type brand_owner
  $ sigil template show 1
"sigil <command> --help" describes a command and its options.`;

/** The `sigil` command tree (nothing runs until it is parsed). */
export function buildProgram(): Command {
  const program = markRequiredOptions(new Command('sigil'))
    .description('Sigil: secure serialized codes (Scantrust API v2 compatible) — the operator\'s admin CLI, on the database directly')
    .addHelpText('after', EXAMPLE);

  program.command('serve').description('serve the API (and run the job worker in-process)').action(async () => {
    await serve(loadConfig());
  });

  program.command('worker').description('run only the job worker (no HTTP); pair with SIGIL_RUN_WORKER=false serve')
    .option('--concurrency <n>', 'jobs run at once by this process (default: SIGIL_JOB_CONCURRENCY, 2)', int)
    .action(async (o: { concurrency?: number }) => {
      const config = loadConfig();
      if (o.concurrency === undefined) return work(config);
      if (o.concurrency < 1 || o.concurrency > 64) throw new InvalidArgumentError('--concurrency must be between 1 and 64');
      return work(Object.freeze({ ...config, jobConcurrency: o.concurrency }));
    });

  program.command('migrate').description('create the installation if there is none and apply pending database migrations').action(async () => {
    await withContainer(async () => undefined, { create: true }); // building the container migrates under the migrator's lock
    process.stdout.write('database is up to date\n');
  });

  program.command('seed-demo').description('create demo companies, catalogue and tokens (idempotent)')
    .option('--json', 'print the result as one JSON line', false)
    .action(async (options: { json: boolean }) => {
      const result = await withContainer((c) => seedDemo(c.db, c.admin), { create: true });
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else print(result);
    });

  addTenantCommands(program);
  addCatalogCommands(program);
  return program;
}
