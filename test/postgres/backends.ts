import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  aggregateMigration,
  baseMigration,
  createPostgresRepository,
  migrate,
  pgClient,
  pgliteClient,
  type SqlClient,
} from '../../examples/postgres/index.js';
import { workItemColumns, workItemSpec } from './work-item.js';

/** A database the tests run on, with fresh schemas handed out one per check. */
export interface Backend {
  readonly client: SqlClient;
  /** A new, unused schema name; dropped again by `close` on a server. */
  freshSchema(): string;
  close(): Promise<void>;
}

/** The server the suite also runs against, if any: `DATABASE_URL=postgres://… npm test`. */
export const databaseUrl = process.env.DATABASE_URL;

/** How a skipped server run says why. */
export const serverSuiteName = databaseUrl
  ? 'PostgreSQL server at DATABASE_URL'
  : 'PostgreSQL server (skipped: set DATABASE_URL=postgres://user@host/db to run)';

/**
 * An embedded PGlite database, in memory, gone when closed. Booting PGlite runs initdb in
 * WebAssembly (2 to 3 s on an idle core, over 10 s on a busy one); booting from a dump of a fresh
 * data directory takes a fraction of that, so the first boot leaves one in the temp directory
 * (keyed by PGlite's version) for the test files after it.
 */
export async function openPglite(): Promise<Backend> {
  const db = await bootPglite();
  let n = 0;
  return {
    client: pgliteClient(db),
    freshSchema: () => `check_${++n}`,
    close: () => db.close(),
  };
}

async function bootPglite(): Promise<PGlite> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  const { version } = JSON.parse(
    readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8'),
  ) as { version: string };
  const cache = path.join(tmpdir(), `opscharter-test-pglite-${version}.tar`);
  if (existsSync(cache)) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([readFileSync(cache)]) });
    } catch {
      // A damaged cache: boot from scratch below and write it again.
    }
  }
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('none');
  const partial = `${cache}.${process.pid}`;
  writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
  renameSync(partial, cache);
  return db;
}

/** A pool on the server at `DATABASE_URL`; schemas are unique to this run and dropped on close. */
export async function openServer(url: string): Promise<Backend> {
  const pg = loadPg();
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  const run = `oc_test_${process.pid}_${Date.now().toString(36)}`;
  const schemas: string[] = [];
  return {
    client: pgClient(pool),
    freshSchema: () => {
      const schema = `${run}_${schemas.length + 1}`;
      schemas.push(schema);
      return schema;
    },
    async close() {
      for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** The backends to run a suite on: PGlite always, the server when `DATABASE_URL` is set. */
export const backends: readonly { name: string; open: () => Promise<Backend>; skip: boolean }[] = [
  { name: 'PGlite', open: openPglite, skip: false },
  { name: serverSuiteName, open: () => openServer(databaseUrl ?? ''), skip: !databaseUrl },
];

/** Loads node-postgres only when a server is configured: PGlite runs need no driver. */
function loadPg(): typeof import('pg') {
  return createRequire(import.meta.url)('pg');
}

/** The migrations of the test aggregate. */
export function workItemMigrations(options: { table?: string } = {}) {
  return [
    baseMigration,
    aggregateMigration('002_work_item', workItemSpec, { columns: workItemColumns, ...options }),
  ];
}

/** A migrated fresh schema and a work-item repository on it (over `client`, default the backend's). */
export async function freshWorkItems(db: Backend, client: SqlClient = db.client) {
  const schema = db.freshSchema();
  await migrate(db.client, workItemMigrations(), { schema });
  const repo = createPostgresRepository(client, workItemSpec, { columns: workItemColumns, schema });
  return { schema, repo };
}
