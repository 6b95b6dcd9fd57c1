import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import type { DialectCapabilities } from './dialects/dialect.types.js';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-partner-archive.js';
import * as m0003 from './migrations/0003-template-image-format.js';
import * as m0004 from './migrations/0004-worker-heartbeats.js';
import * as m0005 from './migrations/0005-generation-batches.js';
import * as m0006 from './migrations/0006-scans.js';
import * as m0007 from './migrations/0007-code-transactions.js';
import * as m0008 from './migrations/0008-consumer-keys.js';
import * as m0009 from './migrations/0009-documents.js';
import * as m0010 from './migrations/0010-archive-retention.js';

interface MigrationModule {
  up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void>;
}

/** Every migration, in order. Append new files here; never edit or reorder shipped ones. */
const MIGRATIONS: ReadonlyArray<readonly [string, MigrationModule]> = [
  ['0001-initial', m0001],
  ['0002-partner-archive', m0002],
  ['0003-template-image-format', m0003],
  ['0004-worker-heartbeats', m0004],
  ['0005-generation-batches', m0005],
  ['0006-scans', m0006],
  ['0007-code-transactions', m0007],
  ['0008-consumer-keys', m0008],
  ['0009-documents', m0009],
  ['0010-archive-retention', m0010],
];

/** Every migration's name, in order. */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);

/** Applies pending migrations (Kysely's migrator takes its own lock); returns the result set. */
export async function migrateToLatest(db: Db, caps: DialectCapabilities): Promise<MigrationResultSet> {
  const migrations: Record<string, Migration> = {};
  for (const [name, module] of MIGRATIONS) migrations[name] = { up: (kdb) => module.up(kdb, caps) };
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return migrator.migrateToLatest();
}

export async function migrateOrThrow(db: Db, caps: DialectCapabilities): Promise<string[]> {
  const { error, results } = await migrateToLatest(db, caps);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
