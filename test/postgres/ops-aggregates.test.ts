import { describeRepositoryConformance } from 'opscharter/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  createPostgresRepository,
  migrate,
  opsAggregates,
  storeMigrations,
} from '../../examples/postgres/index.js';
import { changeConformance } from '../change/conformance-options.js';
import { incidentConformance } from '../incident/conformance-options.js';
import { storedReportConformance, waiverConformance } from '../security/conformance-options.js';
import { type Backend, backends } from './backends.js';

// The library's own aggregates on the adapter: the same conformance suite, the same sample
// entities and filters as the in-memory store passes.
for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: Backend;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });
    const fresh = async () => {
      const schema = db.freshSchema();
      await migrate(db.client, storeMigrations(opsAggregates), { schema });
      return schema;
    };

    describeRepositoryConformance(
      { describe, it },
      {
        name: `incident (postgres, ${backend.name})`,
        makeRepository: async () =>
          createPostgresRepository(db.client, opsAggregates.incidents.spec, {
            ...opsAggregates.incidents,
            schema: await fresh(),
          }),
        ...incidentConformance,
      },
    );
    describeRepositoryConformance(
      { describe, it },
      {
        name: `change (postgres, ${backend.name})`,
        makeRepository: async () =>
          createPostgresRepository(db.client, opsAggregates.changes.spec, {
            ...opsAggregates.changes,
            schema: await fresh(),
          }),
        ...changeConformance,
      },
    );
    describeRepositoryConformance(
      { describe, it },
      {
        name: `security waiver (postgres, ${backend.name})`,
        makeRepository: async () =>
          createPostgresRepository(db.client, opsAggregates.waivers.spec, {
            ...opsAggregates.waivers,
            schema: await fresh(),
          }),
        ...waiverConformance,
      },
    );
    describeRepositoryConformance(
      { describe, it },
      {
        name: `audit report (postgres, ${backend.name})`,
        makeRepository: async () =>
          createPostgresRepository(db.client, opsAggregates.auditReports.spec, {
            ...opsAggregates.auditReports,
            schema: await fresh(),
          }),
        ...storedReportConformance,
      },
    );
  });
}
