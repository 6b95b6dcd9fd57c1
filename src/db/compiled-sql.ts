import type { Compilable } from 'kysely';
import type { Executor } from './database.js';

const cache = new WeakMap<object, Map<string, string>>();

/**
 * SQL text of a hot-path query, built and compiled by Kysely once per dialect and `shape`, so each call
 * binds fresh parameters to it instead of building a query tree again (tens of microseconds for a join
 * or a multi-row insert, more than the database takes to run it). `build` must produce the same SQL for
 * the same shape, with parameters in a fixed order.
 */
export function compiledSql(db: Executor, shape: string, build: () => Compilable): string {
  // The SQL depends only on the dialect: its adapter is shared by the database and its transactions.
  const adapter = db.getExecutor().adapter;
  let byShape = cache.get(adapter);
  if (!byShape) cache.set(adapter, (byShape = new Map()));
  let text = byShape.get(shape);
  if (text === undefined) {
    text = build().compile().sql;
    byShape.set(shape, text);
  }
  return text;
}
