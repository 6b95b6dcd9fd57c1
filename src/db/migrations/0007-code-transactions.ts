import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/dialect.types.js';

/**
 * Activation and blacklisting by people (SCM uploads): who last changed a code's status and when, and
 * one code transaction per upload — synchronous, or a task run as a job in chunks — with its progress.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  const { id: idType, bigint, timestamp } = caps.types;
  await db.schema.alterTable('codes').addColumn('activated_at', timestamp).execute();
  await db.schema.alterTable('codes').addColumn('activated_by_user_id', idType).execute();
  await db.schema.alterTable('codes').addColumn('scm_updated_at', timestamp).execute();
  await db.schema.alterTable('codes').addColumn('scm_updated_by_user_id', idType).execute();

  await db.schema.createTable('code_transactions')
    .addColumn('id', idType, caps.autoIncrementId)
    // The brand owner whose codes change (a printing partner's changes are on one order of one brand owner).
    .addColumn('company_id', idType, (c) => c.notNull().references('companies.id'))
    .addColumn('actor_company_id', idType, (c) => c.notNull().references('companies.id'))
    .addColumn('created_by_user_id', idType, (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('constraints', 'text', (c) => c.notNull())
    .addColumn('scm_data', 'text', (c) => c.notNull())
    .addColumn('codes_total', bigint)
    .addColumn('codes_processed', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('codes_affected', bigint, (c) => c.notNull().defaultTo(0))
    // Codes named that do not exist for the caller, or belong to a canceled order.
    .addColumn('codes_skipped', bigint, (c) => c.notNull().defaultTo(0))
    // How far a task has got: the index into its list of IDs, or the last sequence number of its order.
    .addColumn('progress_cursor', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('creation_date', timestamp, (c) => c.notNull())
    .addColumn('started_at', timestamp)
    .addColumn('completed_at', timestamp)
    .execute();
  await db.schema.createIndex('code_transactions_company_idx').on('code_transactions').columns(['company_id', 'id']).execute();
  await db.schema.createIndex('code_transactions_actor_idx').on('code_transactions').columns(['actor_company_id', 'id']).execute();
}
