/**
 * Code inserts on PostgreSQL with millions of codes already in the table:
 * `npm run bench:insert [-- --existing 10000000 --batches 10]`.
 *
 * A fresh database with Sigil's schema gets `--existing` codes with random extended IDs (loaded on the
 * server, then the unique index is built), and then, for each method, `--batches` batches of 20 000
 * codes with fresh random legacy IDs, first on the empty table (the baseline, measured in the same
 * run) and then on the loaded one:
 * - values: today's path, 1 000-row multi-row INSERTs (8 parameters a row), one transaction a batch;
 * - unnest: one `INSERT … SELECT FROM unnest(…) ON CONFLICT (extended_id) DO NOTHING RETURNING` a batch;
 * - unnest, no ID index: the same without the unique index on extended_id — what drawing IDs as a
 *   keyed permutation (unique by construction) would allow.
 * It prints codes/s, the loaded/empty ratio of each method, and the bytes per million codes.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { generateExtendedId } from '../src/codegen/ids/extended-id.js';
import type { Db } from '../src/db/database.js';
import { openPostgres } from '../src/db/dialects/postgres.js';
import { migrateOrThrow } from '../src/db/migrate.js';
import { insertCodesSkippingConflicts } from '../src/db/repositories/codes.repository.js';
import type { NewCodeRow } from '../src/db/tables/workorders.table.js';
import { pooledRandomBytes } from '../src/shared/random.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const EXISTING = option('existing', 10_000_000);
const BATCHES = option('batches', 10);
const BATCH = 20_000;
const ADMIN_URL = process.env.SIGIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Method = 'values' | 'unnest' | 'unnest-plain';
const randomBytes = pooledRandomBytes({ bytes: (n) => cryptoRandomBytes(n) });
let nextWorkorder = 0;
let workorderIds: number[] = [];

function batchRows(workorderId: number, first: number): NewCodeRow[] {
  const now = new Date().toISOString();
  return Array.from({ length: BATCH }, (_, i) => ({
    workorder_id: workorderId, sequence_number: first + i, batch_number: Math.ceil((first + i) / BATCH),
    extended_id: generateExtendedId('legacy', randomBytes), serial_number: null, activation_status: 0, blacklist_reason: 0, creation_date: now,
  })).sort((a, b) => (a.extended_id < b.extended_id ? -1 : 1));
}

async function insertBatch(db: Db, method: Method, rows: NewCodeRow[]): Promise<number> {
  if (method === 'values') {
    return db.transaction().execute(async (trx) => {
      let inserted = 0;
      for (let i = 0; i < rows.length; i += 1000) inserted += await insertCodesSkippingConflicts(trx, rows.slice(i, i + 1000));
      return inserted;
    });
  }
  const column = <K extends keyof NewCodeRow>(key: K) => rows.map((row) => row[key]);
  // 'unnest-plain' has no conflict arbiter: without the ID index, IDs must be unique by construction.
  const result = await db.executeQuery(CompiledQuery.raw(`
    insert into codes (workorder_id, sequence_number, batch_number, extended_id, serial_number, activation_status, blacklist_reason, creation_date)
    select * from unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::text[], $6::int[], $7::int[], $8::timestamptz[])
    ${method === 'unnest' ? 'on conflict (extended_id) do nothing' : ''}
    returning sequence_number`, [
    column('workorder_id'), column('sequence_number'), column('batch_number'), column('extended_id'), column('serial_number'),
    column('activation_status'), column('blacklist_reason'), column('creation_date'),
  ]));
  return result.rows.length;
}

/** Codes per second over `BATCHES` batches into a workorder of its own. */
async function measure(db: Db, method: Method): Promise<number> {
  const workorderId = workorderIds[nextWorkorder++]!;
  const started = process.hrtime.bigint();
  for (let b = 0; b < BATCHES; b++) {
    const inserted = await insertBatch(db, method, batchRows(workorderId, b * BATCH + 1));
    if (inserted !== BATCH) throw new Error(`inserted ${inserted} of ${BATCH}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (BATCHES * BATCH) / seconds;
}

async function main(): Promise<void> {
  const name = `sigil_bench_insert_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString());
  const db = handle.db;
  try {
    await migrateOrThrow(db, handle.capabilities);
    const company = await sql<{ id: number }>`insert into companies (uuid, name, slug, company_type) values ('bench', 'Bench', 'bench', 'brand_owner') returning id`.execute(db);
    const companyId = company.rows[0]!.id;
    workorderIds = [];
    for (let i = 0; i < 8; i++) {
      const order = await sql<{ id: number }>`
        insert into workorders (company_id, kind, reference, state, codegen_status, quantity, use_serial_number, is_hybrid, is_static_print,
          is_fp_serialized, activate_on_complete, url_prefix, extended_id_style, has_secure_workflow, creation_date, updated_date)
        values (${companyId}, 'sid', ${`bench-${i}`}, 'new', 6, 10000000, 0, 0, 0, 1, 0, 'https://x/q/', 'legacy', 0, now(), now())
        returning id`.execute(db);
      workorderIds.push(order.rows[0]!.id);
    }
    const results: Record<string, { empty: number; loaded: number }> = {};
    const row = (label: string, method: Method, phase: 'empty' | 'loaded') => measure(db, method).then((rate) => {
      (results[label] ??= { empty: 0, loaded: 0 })[phase] = rate;
      console.log(`${phase.padEnd(6)} ${label.padEnd(22)} ${Math.round(rate).toLocaleString('en')} codes/s`);
    });

    await row('values (today)', 'values', 'empty');
    await row('unnest', 'unnest', 'empty');

    console.log(`loading ${EXISTING.toLocaleString('en')} codes with random IDs…`);
    const loadStarted = Date.now();
    await sql`alter table codes drop constraint codes_extended_id_key`.execute(db);
    await sql`
      insert into codes (workorder_id, sequence_number, batch_number, extended_id, serial_number, activation_status, blacklist_reason, creation_date)
      select ${workorderIds[7]!}, g, (g - 1) / 20000 + 1, upper(substr(md5(random()::text) || md5(random()::text), 1, 21)), null, 0, 0, now()
      from generate_series(1, ${EXISTING}::int) g`.execute(db);
    await sql`alter table codes add constraint codes_extended_id_key unique (extended_id)`.execute(db);
    await sql`vacuum analyze codes`.execute(db);
    console.log(`loaded in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s`);

    await row('values (today)', 'values', 'loaded');
    await row('unnest', 'unnest', 'loaded');
    const sizes = await sql<{ table: string; id_index: string; count: string }>`
      select pg_total_relation_size('codes') as table, pg_relation_size('codes_extended_id_key') as id_index, count(*) as count from codes`.execute(db);
    const { table, id_index: idIndex, count } = sizes.rows[0]!;
    const perMillion = (bytes: string) => `${((Number(bytes) / Number(count)) * 1e6 / 2 ** 20).toFixed(0)} MiB`;
    console.log(`codes: ${Number(count).toLocaleString('en')} rows; table with indexes ${perMillion(table)} per million codes, of which the extended-ID index ${perMillion(idIndex)}`);

    await sql`alter table codes drop constraint codes_extended_id_key`.execute(db);
    await row('unnest, no ID index', 'unnest-plain', 'loaded');

    console.log('\nmethod                 empty → loaded (codes/s), loaded/empty');
    for (const [label, { empty, loaded }] of Object.entries(results)) {
      const from = empty > 0 ? Math.round(empty).toLocaleString('en') : '–';
      console.log(`${label.padEnd(22)} ${from.padStart(9)} → ${Math.round(loaded).toLocaleString('en').padStart(9)}   ${empty > 0 ? (loaded / empty).toFixed(2) : ''}`);
    }
    const withIndex = results.unnest?.loaded ?? 0;
    const without = results['unnest, no ID index']?.loaded ?? 0;
    console.log(`loaded: unnest without the ID index / with it: ${(without / withIndex).toFixed(2)}`);
  } finally {
    await handle.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
