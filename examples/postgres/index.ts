/**
 * A reference PostgreSQL adapter for opscharter's repositories: copy it into your service and
 * adapt it. Runs on node-postgres against a server and on PGlite (embedded) in tests.
 * See `docs/postgres.md`.
 *
 * @module postgres
 */

export * from './aggregates.js';
export * from './client.js';
export * from './layout.js';
export * from './migrations.js';
export * from './pg-client.js';
export * from './pglite-client.js';
export * from './repository.js';
export * from './store.js';
