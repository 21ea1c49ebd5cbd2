/**
 * The smallest SQL client the adapter needs: parameterised queries, multi-statement scripts
 * (for migrations) and transactions. `pg` (node-postgres) and `@electric-sql/pglite` each get a
 * few lines of glue (`pg-client.ts`, `pglite-client.ts`); any other driver can be wrapped the same way.
 */

/** The rows a query returned, as plain objects keyed by column name. */
export interface SqlResult<R> {
  readonly rows: R[];
}

/** What runs SQL: a connection, a pool, or an open transaction. */
export interface SqlExecutor {
  /** One statement with `$1`, `$2`… parameters. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<SqlResult<R>>;
  /** A script of several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A database the adapter can run on. */
export interface SqlClient extends SqlExecutor {
  /**
   * Runs `fn` in one transaction on one connection: commits when it resolves, rolls back and
   * rethrows when it throws. Nothing `fn` wrote is visible to others before the commit.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** The SQLSTATE of an error thrown by either driver, if it is a database error. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
