import { defineConfig } from 'vitest/config';

/**
 * Two projects: everything on the embedded default (SQLite), and again on PostgreSQL every suite that
 * goes through the database — the API and generation tests (`SIGIL_TEST_ENGINE`, see
 * test/helpers/test-database.ts) — plus the PostgreSQL-only end-to-end tests (test/e2e/postgres-*).
 * `vitest run --project sqlite` (or `postgres`) runs one of them.
 */
const ON_BOTH_ENGINES = [
  'test/api/**/*.test.ts',
  'test/integration/generation-*.test.ts',
  'test/integration/archive-abort.test.ts',
  'test/integration/image-formats.test.ts',
  'test/integration/code-status.test.ts',
  'test/integration/scan-recorder.test.ts',
  'test/integration/scan-writer.test.ts',
  'test/integration/consumer-scan-wait.test.ts',
];
const POSTGRES_ONLY = 'test/e2e/postgres-*.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [POSTGRES_ONLY] } },
      { extends: true, test: { name: 'postgres', include: [...ON_BOTH_ENGINES, POSTGRES_ONLY], env: { SIGIL_TEST_ENGINE: 'postgres' } } },
    ],
  },
});
