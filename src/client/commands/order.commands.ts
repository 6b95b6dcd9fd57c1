import { type Command, Option } from 'commander';
import type { Page } from '../api-client.js';
import { downloadArchive, formatBytes } from '../download-archive.js';
import { ClientError, EXIT } from '../exit-codes.js';
import { printJson, printPage } from '../output.js';
import { createProgress } from '../progress.js';
import { progressLabel, waitForOrder, type WaitOutcome } from '../wait-for-order.js';
import type { Workorder } from '../workorder.js';
import { ORDER_COLUMNS, printOrder } from './order-output.js';
import { registerOrderCreate } from './order-create.commands.js';
import { type CommandContext, nonNegativeInt, type PageOptions, positiveInt, seconds } from './parsers.js';

const STATES = ['new', 'ready to print', 'printed', 'completed', 'canceled'];

const WAIT_EXIT: Record<Exclude<WaitOutcome, 'generated'>, number> = { failed: EXIT.generationFailed, canceled: EXIT.canceled, timeout: EXIT.timeout };

export function registerOrderCommands(program: Command, context: CommandContext): void {
  const order = program.command('order').description('work orders: create, confirm, list, show, wait for, download, cancel')
    .addHelpText('after', '\nExample:\n  sigil-client order create-sid --quantity 100 --reference SID-7 --json\n  sigil-client order wait 12 && sigil-client order download 12');
  registerOrderCreate(order, context);

  order.command('list').description('work orders visible to you, newest first (GET /api/v2/workorders/)')
    .addOption(new Option('--state <state>', 'only orders in this state').choices(STATES))
    .option('--search <text>', 'match reference and remarks')
    .option('--archived', 'archived orders instead of the others', false)
    .option('--limit <n>', 'page size (server default 20, at most 1000)', positiveInt)
    .option('--offset <n>', 'index of the first order', nonNegativeInt)
    .option('--json', 'print the API\'s page as JSON', false)
    .addHelpText('after', '\nExample:\n  sigil-client order list --state new --search Tk-022 --limit 50')
    .action(async (o: PageOptions & { state?: string; search?: string; archived: boolean }) => {
      const page = await context.api().json<Page<Workorder>>('GET', '/api/v2/workorders/', {
        query: { state: o.state, search: o.search, is_archived: o.archived ? 1 : undefined, limit: o.limit, offset: o.offset },
      });
      printPage(page, o.offset ?? 0, o.json, ORDER_COLUMNS);
    });

  order.command('show').description('one work order (GET /api/v2/workorders/{id}/)')
    .argument('<id>', 'work order id', positiveInt)
    .option('--json', 'print the API\'s work order as JSON', false)
    .addHelpText('after', '\nExample:\n  sigil-client order show 12 --json')
    .action(async (id: number, o: { json: boolean }) => printOrder(await context.api().json<Workorder>('GET', `/api/v2/workorders/${id}/`), o.json));

  order.command('confirm').description('printing partner: confirm press and calibrated substrate; generation starts (PATCH …/{id}/printer-confirm/)')
    .argument('<id>', 'work order id', positiveInt)
    .requiredOption('--equipment <id>', 'your equipment (press) id (required; see "sigil-client equipment")', positiveInt)
    .option('--substrate <id>', 'substrate calibrated for the equipment (required unless the order names one; see "sigil-client substrates")', positiveInt)
    .option('--external-id <text>', 'your own reference for the job')
    .option('--json', 'print the API\'s work order as JSON', false)
    .addHelpText('after', '\nExample:\n  sigil-client order confirm 12 --equipment 3 --substrate 5 --external-id tk_001')
    .action(async (id: number, o: { equipment: number; substrate?: number; externalId?: string; json: boolean }) => {
      const body = { equipment: o.equipment, substrate: o.substrate, external_id: o.externalId };
      printOrder(await context.api().json<Workorder>('PATCH', `/api/v2/workorders/${id}/printer-confirm/`, { body }), o.json);
    });

  order.command('cancel').description('cancel an order that is not printed yet; its codes are blacklisted (POST …/{id}/cancel/)')
    .argument('<id>', 'work order id', positiveInt)
    .option('--json', 'print the API\'s work order as JSON', false)
    .addHelpText('after', '\nExample:\n  sigil-client order cancel 12')
    .action(async (id: number, o: { json: boolean }) => printOrder(await context.api().json<Workorder>('POST', `/api/v2/workorders/${id}/cancel/`), o.json));

  order.command('wait').description('poll an order until its codes are generated; exit 3 failed, 4 canceled, 5 timeout')
    .argument('<id>', 'work order id', positiveInt)
    .option('--timeout <s>', 'give up after this many seconds (exit 5; default: wait forever)', seconds)
    .option('--interval <s>', 'seconds between polls', seconds, 2)
    .option('--progress', 'draw the progress bar even when stderr is not a terminal (also SIGIL_FORCE_TTY=1)', false)
    .option('--json', 'print the final work order as JSON', false)
    .addHelpText('after', '\nProgress goes to stderr: a bar on a terminal, else a line whenever the state or percentage changes.\n\n'
      + 'Example:\n  sigil-client order wait 12 --timeout 600 && sigil-client order download 12')
    .action(async (id: number, o: { timeout?: number; interval: number; progress: boolean; json: boolean }) => {
      const progress = createProgress({ tty: o.progress || context.tty });
      const { order: last, outcome } = await waitForOrder(context.api(), id, { intervalMs: o.interval * 1000, timeoutMs: (o.timeout ?? 0) * 1000, progress });
      if (o.json) printJson(last);
      if (outcome === 'generated') {
        if (!o.json) process.stdout.write(`work order ${id}: ${last.quantity} codes generated; download with: sigil-client order download ${id}\n`);
        return;
      }
      const why = { failed: `generation failed${last.codegen_error ? `: ${last.codegen_error}` : ''}`, canceled: 'the order was canceled', timeout: `still ${progressLabel(last)} after ${o.timeout} s` };
      throw new ClientError([`error: work order ${id}: ${why[outcome]}`], WAIT_EXIT[outcome]);
    });

  order.command('download').description('download the zip, resuming an interrupted download, and check its SHA-256 (exit 6 on a mismatch)')
    .argument('<id>', 'work order id', positiveInt)
    .option('-o, --output <file>', 'where to save it (default: the server\'s file name, workorder_<id>_<key>.zip, here)')
    .option('--progress', 'draw the progress bar even when stderr is not a terminal (also SIGIL_FORCE_TTY=1)', false)
    .option('--json', 'print {file, bytes, sha256, resumed_from, verified} as JSON', false)
    .addHelpText('after', '\nThe zip is written to <file>.part and renamed once complete and verified; a <file>.part left by an\n'
      + 'interrupted run is resumed (HTTP Range).\n\nExample:\n  sigil-client order download 12 -o codes.zip')
    .action(async (id: number, o: { output?: string; progress: boolean; json: boolean }) => {
      const progress = createProgress({ tty: o.progress || context.tty, plainStep: 10 });
      const result = await downloadArchive(context.api(), id, {
        file: o.output, progress, onResume: (bytes, part) => process.stderr.write(`resuming ${part} at ${formatBytes(bytes)}\n`),
      });
      if (o.json) return printJson(result);
      if (!result.verified) process.stderr.write('warning: the server gave no SHA-256 for this archive; it was not verified\n');
      process.stdout.write(`saved ${result.file} (${formatBytes(result.bytes)}, sha256 ${result.sha256}${result.verified ? ', verified' : ''})\n`);
    });
}
