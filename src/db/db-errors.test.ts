import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isUniqueViolation, WORKORDER_REFERENCE_UNIQUE } from './db-errors.js';

describe('isUniqueViolation', () => {
  it('recognises the SQLite error of the constraint, and only that one', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE workorders (id INTEGER PRIMARY KEY, company_id INT, reference TEXT, other TEXT UNIQUE,
      CONSTRAINT workorders_company_reference_uq UNIQUE (company_id, reference))`);
    db.exec(`INSERT INTO workorders (company_id, reference, other) VALUES (1, 'R', 'x')`);
    const caught = (sql: string) => {
      try {
        db.exec(sql);
      } catch (error) {
        return error;
      }
      throw new Error('no error');
    };
    expect(isUniqueViolation(caught(`INSERT INTO workorders (company_id, reference) VALUES (1, 'R')`), WORKORDER_REFERENCE_UNIQUE)).toBe(true);
    expect(isUniqueViolation(caught(`INSERT INTO workorders (company_id, reference, other) VALUES (2, 'R', 'x')`), WORKORDER_REFERENCE_UNIQUE)).toBe(false);
    expect(isUniqueViolation(new Error('boom'), WORKORDER_REFERENCE_UNIQUE)).toBe(false);
  });

  it('recognises PostgreSQL unique_violation by constraint name', () => {
    expect(isUniqueViolation({ code: '23505', constraint: 'workorders_company_reference_uq' }, WORKORDER_REFERENCE_UNIQUE)).toBe(true);
    expect(isUniqueViolation({ code: '23505', constraint: 'codes_extended_id_key' }, WORKORDER_REFERENCE_UNIQUE)).toBe(false);
  });
});
