#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ApiClient } from '../client/api-client.js';
import { registerCatalogCommands } from '../client/commands/catalog.commands.js';
import { registerOrderCommands } from '../client/commands/order.commands.js';
import { ClientError, EXIT, EXIT_CODES_HELP } from '../client/exit-codes.js';
import { resolveConnection } from '../client/profile.js';
import { loadClientEnv } from '../config/client-config.js';

const env = loadClientEnv();

const program = new Command('sigil-client')
  .description('Sigil API client over HTTP: order codes, confirm, wait for and download them, list the catalogue')
  .option('--url <url>', 'server base URL (default: SIGIL_URL, else the profile\'s "url")')
  .option('--token <key>', 'UAT key (default: SIGIL_TOKEN, else the profile\'s "token"); prefer the variable: options show in ps')
  .exitOverride()
  .showHelpAfterError('(add --help for usage)')
  .addHelpText('after', `
Connection: --url/--token, else SIGIL_URL/SIGIL_TOKEN, else the profile file ${env.profilePath}
(SIGIL_PROFILE), a JSON object {"url": "http://127.0.0.1:8000", "token": "<UAT key>"}.
Every command prints a compact table by default and the API's JSON with --json; errors go to stderr.
${EXIT_CODES_HELP}

Example (the seed workflow):
  export SIGIL_URL=http://127.0.0.1:8000 SIGIL_TOKEN=<brand owner key>
  sigil-client templates
  sigil-client order create-sg --template 1 --product P2 --quantity 10 --reference Tk-022 --json
  SIGIL_TOKEN=<partner key> sigil-client order confirm 12 --equipment 1 --substrate 1
  sigil-client order wait 12 && sigil-client order download 12 -o Tk-022.zip`);

let api: ApiClient | undefined;
const context = {
  api: () => (api ??= new ApiClient(resolveConnection(program.opts<{ url?: string; token?: string }>(), env))),
  tty: env.forceTty || process.stderr.isTTY === true,
};
registerOrderCommands(program, context);
registerCatalogCommands(program, context);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander already printed the message or the help
    return;
  }
  if (error instanceof ClientError) {
    process.stderr.write(`${error.lines.join('\n')}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = EXIT.error;
});
