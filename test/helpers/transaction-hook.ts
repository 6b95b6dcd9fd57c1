import type { Db } from '../../src/db/database.js';

/**
 * The real database, with one hook: `before(n)` runs just before the n-th transaction (1-based) that
 * goes through the returned handle starts — to land a competing request at an exact point of a flow.
 */
export function withTransactionHook(db: Db, before: (transactionNumber: number) => Promise<void>): Db {
  let transactions = 0;
  return new Proxy(db, {
    get(object, property) {
      if (property === 'transaction') {
        return () => ({
          execute: async <T>(fn: (trx: never) => Promise<T>) => {
            transactions += 1;
            await before(transactions);
            return object.transaction().execute(fn as never);
          },
        });
      }
      const value = Reflect.get(object, property, object) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  }) as Db;
}
