import { createPostgresDatabase } from '../helpers/test-database.js';
import { describeAdminCli } from './admin-cli.suite.js';

// The admin CLI on PostgreSQL (its own database; test/e2e/admin-cli.test.ts runs the same on SQLite).
describeAdminCli('PostgreSQL', createPostgresDatabase);
