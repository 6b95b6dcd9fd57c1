import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { companyView, userView } from '../domain/admin/admin-views.js';
import type { CompanyType } from '../domain/auth/principal.js';
import { AppError } from '../shared/app-error.js';
import { addShow, bool, int, list, print, resolveUserId, withContainer, withReads } from './cli-support.js';

/** `sigil company | user | token | consumer-key …`: tenants and their credentials. */
export function addTenantCommands(program: Command): void {
  const company = program.command('company').description('companies (tenants): brand owners, printing partners, the platform');
  company.command('create').description('create a company')
    .requiredOption('--name <name>', 'display name').requiredOption('--type <type>', 'brand_owner | printing_partner | platform')
    .option('--slug <slug>', 'unique short name (default: from the name)').option('--country <iso2>', 'country code, e.g. CH')
    .option('--city <city>', 'city').option('--website <url>', 'website')
    .option('--secure-workflow <bool>', 'SSC orders go ready to print → printed → completed', bool, false)
    .action(async (o) => print(companyView(await withContainer((c) => c.admin.createCompany({ ...o, hasSecureWorkflow: o.secureWorkflow })))));
  company.command('list').description('every company, oldest first')
    .option('--type <type>', 'only brand_owner | printing_partner | platform')
    .action(async (o: { type?: string }) => {
      const types = ['brand_owner', 'printing_partner', 'platform'];
      if (o.type !== undefined && !types.includes(o.type)) throw AppError.field('type', `"${o.type}" is not a valid choice (${types.join(', ')}).`);
      print(await withReads((reads) => reads.listCompanies(o.type as CompanyType | undefined)));
    });
  addShow(company, 'company', (reads, id) => reads.showCompany(id));

  const user = program.command('user').description('users of a company (they own tokens)');
  user.command('create').description('create a user').requiredOption('--company <id>', 'company id', int)
    .requiredOption('--username <name>', 'unique login name').option('--email <email>', 'e-mail address')
    .option('--password-stdin', 'read the password from standard input', false)
    .option('--permissions <list>', 'comma-separated (default: all permissions)', list)
    .action(async (o) => {
      const password = o.passwordStdin ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : undefined;
      const row = await withContainer((c) => c.admin.createUser({ company: o.company, username: o.username, email: o.email, password, permissions: o.permissions }));
      print(userView(row));
    });
  user.command('list').description('users (never their passwords), oldest first').option('--company <id>', 'only this company\'s', int)
    .action(async (o: { company?: number }) => print(await withReads((reads) => reads.listUsers(o.company))));
  addShow(user, 'user', (reads, id) => reads.showUser(id));

  const token = program.command('token').description('User Authorization Tokens (UAT)');
  token.command('create').description('issue a token; its key is printed only now')
    .requiredOption('--user <id|username>', 'the user the token acts as').requiredOption('--name <name>', 'what the token is for')
    .option('--permissions <list>', 'comma-separated (default: all permissions)', list)
    .option('--expires <date>', 'ISO date or date-time the token stops working')
    .option('--expires-in-days <days>', 'alternative to --expires', int)
    .action(async (o) => {
      let expiresAt: Date | null = null;
      if (o.expires) {
        expiresAt = new Date(o.expires);
        if (Number.isNaN(expiresAt.getTime())) throw AppError.field('expires', 'Not a valid date.');
      } else if (o.expiresInDays) expiresAt = new Date(Date.now() + o.expiresInDays * 86_400_000);
      const created = await withReads(async (reads, c) => {
        const { id, key } = await c.admin.createToken({ user: await resolveUserId(c, o.user), name: o.name, permissions: o.permissions, expiresAt });
        return { ...(await reads.showToken(id)), key };
      });
      print({ ...created, note: 'The key is shown only now; store it safely. Send it as "Authorization: UAT <key>".' });
    });
  token.command('revoke').description('revoke a token at once').argument('<id>', 'token id', int).action(async (id: number) => {
    await withContainer((c) => c.admin.revokeToken(id));
    process.stdout.write(`token ${id} revoked\n`);
  });
  token.command('list').description('tokens (prefix, dates, revoked; never the key), oldest first')
    .option('--user <id|username>', 'only this user\'s').option('--company <id>', 'only the tokens of this company\'s users', int)
    .action(async (o: { user?: string; company?: number }) => {
      print(await withReads(async (reads, c) => reads.listTokens({ userId: o.user ? await resolveUserId(c, o.user) : undefined, companyId: o.company })));
    });
  addShow(token, 'token', (reads, id) => reads.showToken(id));

  const consumerKey = program.command('consumer-key').description('Consumer API keys of brand owners (header X-ScanTrust-Consumer-Api-Key)');
  consumerKey.command('create').description('issue a key; it is printed only now').requiredOption('--company <id>', 'brand owner id', int)
    .action(async (o: { company: number }) => print(await withReads(async (reads, c) => {
      const { id, key } = await c.consumerKeys.create(o.company);
      return { ...(await reads.showConsumerKey(id)), key };
    })));
  consumerKey.command('list').description('keys (prefix, dates, revoked; never the key), oldest first').option('--company <id>', 'brand owner id', int)
    .action(async (o: { company?: number }) => print(await withReads((reads) => reads.listConsumerKeys(o.company))));
  consumerKey.command('revoke').description('revoke a key at once').argument('<id>', 'consumer key id', int).action(async (id: number) => {
    await withContainer((c) => c.consumerKeys.revoke(id));
    process.stdout.write(`consumer key ${id} revoked\n`);
  });
  addShow(consumerKey, 'consumer key', (reads, id) => reads.showConsumerKey(id));
}
