import type { AggregateSpec, Repository, WorkflowEntity } from 'opscharter/core';
import type { SqlClient } from './client.js';
import type { TableOptions } from './layout.js';
import { aggregateMigration, baseMigration, type Migration, migrate } from './migrations.js';
import { createPostgresRepository } from './repository.js';

/** An aggregate as the store keeps it: its spec, its columns, and the migration creating its tables. */
export interface PostgresAggregate<E extends WorkflowEntity, F extends string>
  extends TableOptions<F> {
  readonly spec: AggregateSpec<E, F>;
  /** Id of the migration that creates its tables, after `001_opscharter_base`: `002_incident`. */
  readonly migration: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a record of aggregates of any entity and filters
type AnyAggregate = PostgresAggregate<any, any>;

/** The repositories of a record of aggregates, under the same keys. */
export type PostgresStore<A extends Record<string, AnyAggregate>> = {
  readonly [K in keyof A]: A[K] extends PostgresAggregate<infer E, infer F>
    ? Repository<E, F>
    : never;
};

/** Where the store's tables are: a PostgreSQL schema, default `public`. */
export interface PostgresStoreOptions {
  readonly schema?: string | undefined;
}

/**
 * Declares how an aggregate is stored: the column of each list filter and the id of the
 * migration that creates its tables.
 *
 * @example
 * const incidents = postgresAggregate(incidentSpec, {
 *   migration: '002_incident',
 *   columns: { state: 'text', priority: 'text', ci: 'text[]' },
 * });
 */
export function postgresAggregate<E extends WorkflowEntity, F extends string>(
  spec: AggregateSpec<E, F>,
  options: TableOptions<F> & { readonly migration: string },
): PostgresAggregate<E, F> {
  return { spec, ...options };
}

/**
 * Every migration a store of these aggregates needs, in the order they apply: the base one,
 * then one per aggregate by id.
 *
 * @example
 * await migrate(client, storeMigrations({ incidents }), { schema: 'opscharter' });
 */
export function storeMigrations(aggregates: Readonly<Record<string, AnyAggregate>>): Migration[] {
  const tables = Object.values(aggregates)
    .map((a) => aggregateMigration(a.migration, a.spec, a))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [baseMigration, ...tables];
}

/**
 * The repositories of a record of aggregates, sharing one client and schema. Run `migrate` with
 * `storeMigrations` first (or use `openPostgresStore`, which does both).
 *
 * @example
 * const store = createPostgresStore(pgClient(pool), { incidents }, { schema: 'opscharter' });
 * await store.incidents.get('INC-000001');
 */
export function createPostgresStore<A extends Record<string, AnyAggregate>>(
  client: SqlClient,
  aggregates: A,
  options: PostgresStoreOptions = {},
): PostgresStore<A> {
  const store: Record<string, Repository<WorkflowEntity, string>> = {};
  for (const [key, aggregate] of Object.entries(aggregates)) {
    store[key] = createPostgresRepository(client, aggregate.spec, { ...aggregate, ...options });
  }
  return store as PostgresStore<A>;
}

/**
 * Migrates, then builds the store: what an application calls once at start-up.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * const store = await openPostgresStore(pgliteClient(await PGlite.create()), { incidents });
 */
export async function openPostgresStore<A extends Record<string, AnyAggregate>>(
  client: SqlClient,
  aggregates: A,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore<A>> {
  await migrate(client, storeMigrations(aggregates), options);
  return createPostgresStore(client, aggregates, options);
}
