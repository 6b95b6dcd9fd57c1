import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The one switch between engines for the API and generation suites: `SIGIL_TEST_ENGINE=postgres` runs
 * them on PostgreSQL (a fresh database per test app on the server at `SIGIL_TEST_PG_URL`), anything
 * else on a fresh SQLite file. `npm test` runs both (see vitest.config.ts).
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.SIGIL_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** A database where the test user may CREATE DATABASE. */
export const TEST_PG_ADMIN_URL = process.env.SIGIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Fixed for tests: with DATABASE_URL set, Sigil refuses to start without one. */
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';

export interface TestDatabase {
  /** Environment that points Sigil at this database (empty for SQLite: the data dir holds it). */
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function withAdmin<T>(action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** An empty PostgreSQL database of its own; `drop` removes it (closing any connection left to it). */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `sigil_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`create database ${name}`));
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), SIGIL_SECRET_KEY: TEST_SECRET_KEY },
    drop: () => withAdmin(async (client) => {
      await client.query(`drop database if exists ${name} with (force)`);
    }),
  };
}

/** The database the suites run on: a fresh PostgreSQL database, or nothing extra for SQLite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_ENGINE === 'postgres') return createPostgresDatabase();
  return { env: {}, drop: async () => undefined };
}
