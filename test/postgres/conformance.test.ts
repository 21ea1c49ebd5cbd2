import { describeRepositoryConformance } from 'opscharter/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  aggregateMigration,
  baseMigration,
  createPostgresRepository,
  migrate,
} from '../../examples/postgres/index.js';
import { type Backend, backends } from './backends.js';
import {
  advanceWorkItem,
  newWorkItem,
  workItemColumns,
  workItemFilterCases,
  workItemSpec,
} from './work-item.js';

const migrations = [
  baseMigration,
  aggregateMigration('002_work_item', workItemSpec, { columns: workItemColumns }),
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: Backend;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    describeRepositoryConformance(
      { describe, it },
      {
        name: `work item (postgres, ${backend.name})`,
        // A fresh schema per check: a few milliseconds, where a fresh PGlite takes seconds.
        async makeRepository() {
          const schema = db.freshSchema();
          await migrate(db.client, migrations, { schema });
          return createPostgresRepository(db.client, workItemSpec, {
            columns: workItemColumns,
            schema,
          });
        },
        makeEntity: newWorkItem,
        advance: advanceWorkItem,
        filterCases: workItemFilterCases,
        makeInvalid: (n) => ({ ...newWorkItem(n), priority: 'urgent' }),
      },
    );
  });
}
