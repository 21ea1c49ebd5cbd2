import type { Pool, PoolClient } from 'pg';
import type { SqlClient, SqlExecutor } from './client.js';

/**
 * Wraps a node-postgres `Pool` as a `SqlClient`. Queries outside a transaction go to any pooled
 * connection; a transaction holds one connection from `BEGIN` to `COMMIT` or `ROLLBACK`.
 *
 * A pool, not a single `pg.Client`: a client shared by concurrent callers would run their
 * statements inside each other's transactions.
 *
 * @example
 * import pg from 'pg';
 * const client = pgClient(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 */
export function pgClient(pool: Pool): SqlClient {
  return {
    ...executor(pool),
    async transaction(fn) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query('BEGIN');
        const result = await fn(executor(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch (rollbackError) {
          // A connection that cannot roll back is not given back to the pool.
          broken =
            rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        connection.release(broken);
      }
    },
  };
}

function executor(target: Pool | PoolClient): SqlExecutor {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query(sql, params as unknown[]);
      return { rows: result.rows as R[] };
    },
    async exec(sql) {
      // Without parameters node-postgres uses the simple protocol, which runs several statements.
      await target.query(sql);
    },
  };
}
