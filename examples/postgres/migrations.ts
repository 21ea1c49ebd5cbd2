import type { AggregateSpec, WorkflowEntity } from 'opscharter/core';
import type { SqlClient } from './client.js';
import { quoteIdent, sqlType, type TableLayout, type TableOptions, tableLayout } from './layout.js';

/**
 * One step of the schema: plain SQL, run once, recorded by id. Ids sort in the order they are
 * applied (`001_base`, `002_incident`); an applied migration is never edited, a new one is added.
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/** Where `migrate` creates the tables: a PostgreSQL schema (namespace); default `public`. */
export interface MigrateOptions {
  readonly schema?: string | undefined;
}

/**
 * The first migration: a trigger function that refuses to update, delete or truncate history
 * rows, so that append-only holds for every writer of the database, not only for this adapter.
 */
export const baseMigration: Migration = {
  id: '001_opscharter_base',
  sql: `
CREATE FUNCTION opscharter_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
`,
};

/**
 * The migration that creates an aggregate's two tables: the entity (JSONB body, a real column per
 * list filter, `version` for optimistic concurrency) and its append-only history.
 *
 * @example
 * aggregateMigration('002_incident', incidentSpec, { columns: { state: 'text', priority: 'text', ci: 'text[]' } });
 */
export function aggregateMigration<E extends WorkflowEntity, F extends string>(
  id: string,
  spec: AggregateSpec<E, F>,
  options: TableOptions<F>,
): Migration {
  return { id, sql: tableSql(tableLayout(spec, options)) };
}

function tableSql(layout: TableLayout): string {
  const t = quoteIdent(layout.table);
  const h = quoteIdent(layout.history);
  const name = (suffix: string) => quoteIdent(`${layout.table}_${suffix}`);
  const filterColumns = layout.columns.map(
    (c) => `,\n  ${quoteIdent(c.column)} ${sqlType(c.type)}`,
  );
  const filterIndexes = layout.columns.map((c) =>
    c.array
      ? `CREATE INDEX ${name(`${c.column}_idx`)} ON ${t} USING gin (${quoteIdent(c.column)});`
      : `CREATE INDEX ${name(`${c.column}_idx`)} ON ${t} (${quoteIdent(c.column)}, created_at, id);`,
  );
  return `
CREATE TABLE ${t} (
  id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL CHECK (version > 0),
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  body jsonb NOT NULL${filterColumns.join('')}
);
CREATE INDEX ${name('created_idx')} ON ${t} (created_at, id);
${filterIndexes.join('\n')}
CREATE TABLE ${h} (
  entity_id text COLLATE "C" NOT NULL REFERENCES ${t} (id),
  seq integer NOT NULL CHECK (seq > 0),
  at text NOT NULL,
  actor_id text NOT NULL,
  command text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  entry jsonb NOT NULL,
  PRIMARY KEY (entity_id, seq)
);
CREATE TRIGGER ${name('history_no_update')} BEFORE UPDATE OR DELETE ON ${h}
  FOR EACH ROW EXECUTE FUNCTION opscharter_history_append_only();
CREATE TRIGGER ${name('history_no_truncate')} BEFORE TRUNCATE ON ${h}
  FOR EACH STATEMENT EXECUTE FUNCTION opscharter_history_append_only();
`;
}

/**
 * Applies the migrations not yet recorded, in the order given, and records each in
 * `opscharter_migrations` with an md5 checksum. Idempotent: a second run applies nothing. One
 * transaction under an advisory lock, so two processes starting at once apply each migration
 * once, and a failing migration leaves nothing half-applied. Throws if a recorded migration's
 * SQL changed since it was applied (write a new migration instead). Returns the ids it applied.
 *
 * @example
 * await migrate(client, storeMigrations(aggregates), { schema: 'opscharter' });
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<string[]> {
  const schema = schemaName(options.schema);
  for (let i = 1; i < migrations.length; i++) {
    const [before, after] = [migrations[i - 1]!.id, migrations[i]!.id];
    if (before >= after) throw new Error(`migration ${after} must sort after ${before}`);
  }
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`opscharter.migrate.${schema}`]);
    await tx.exec(`
CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
SET LOCAL search_path TO ${quoteIdent(schema)};
CREATE TABLE IF NOT EXISTS opscharter_migrations (
  id text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`);
    const applied: string[] = [];
    for (const m of migrations) {
      const { rows } = await tx.query<{ same: boolean }>(
        'SELECT checksum = md5($2) AS same FROM opscharter_migrations WHERE id = $1',
        [m.id, m.sql],
      );
      const recorded = rows[0];
      if (recorded) {
        if (!recorded.same) {
          throw new Error(`migration ${m.id} changed after it was applied; add a new one instead`);
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO opscharter_migrations (id, checksum) VALUES ($1, md5($2))', [
        m.id,
        m.sql,
      ]);
      applied.push(m.id);
    }
    return applied;
  });
}

/** Checks a schema name (default `public`). */
export function schemaName(schema: string | undefined): string {
  const name = schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name.length > 63) {
    throw new Error(`schema name ${JSON.stringify(name)} must match [a-z_][a-z0-9_]*`);
  }
  return name;
}
