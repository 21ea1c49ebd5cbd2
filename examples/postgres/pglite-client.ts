import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor } from './client.js';

/**
 * Wraps an embedded PGlite database (PostgreSQL compiled to WebAssembly, in-process, no server)
 * as a `SqlClient`. PGlite has one connection and runs one transaction at a time; queries
 * issued while a transaction is open wait for it, so callers never see each other's writes early.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * const client = pgliteClient(await PGlite.create());
 */
export function pgliteClient(db: PGliteInterface): SqlClient {
  return {
    ...executor(db),
    transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
  };
}

function executor(target: PGliteInterface | Transaction): SqlExecutor {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<R>(sql, params as unknown[]);
      return { rows: result.rows };
    },
    async exec(sql) {
      await target.exec(sql);
    },
  };
}
