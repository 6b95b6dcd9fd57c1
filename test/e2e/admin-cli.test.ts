import { createTestDatabase } from '../helpers/test-database.js';
import { describeAdminCli } from './admin-cli.suite.js';

// The embedded default (SQLite); test/e2e/postgres-admin-cli.test.ts runs the same on PostgreSQL.
describeAdminCli('SQLite', createTestDatabase);
