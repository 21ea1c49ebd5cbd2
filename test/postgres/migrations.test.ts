import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aggregateMigration,
  baseMigration,
  type Migration,
  migrate,
  sqlState,
} from '../../examples/postgres/index.js';
import { type Backend, backends, workItemMigrations } from './backends.js';
import { workItemColumns, workItemSpec } from './work-item.js';

async function tables(db: Backend, schema: string): Promise<string[]> {
  const { rows } = await db.client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}

async function recorded(db: Backend, schema: string): Promise<string[]> {
  const { rows } = await db.client.query<{ id: string }>(
    `SELECT id FROM "${schema}".opscharter_migrations ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`migrations on ${backend.name}`, () => {
    let db: Backend;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it('apply in order, are recorded, and a second run applies nothing', async () => {
      const schema = db.freshSchema();
      expect(await migrate(db.client, workItemMigrations(), { schema })).toEqual([
        '001_opscharter_base',
        '002_work_item',
      ]);
      expect(await tables(db, schema)).toEqual([
        'opscharter_migrations',
        'work_item',
        'work_item_history',
      ]);
      expect(await migrate(db.client, workItemMigrations(), { schema })).toEqual([]);
      expect(await recorded(db, schema)).toEqual(['001_opscharter_base', '002_work_item']);
    });

    it('a later run applies only the migrations added since', async () => {
      const schema = db.freshSchema();
      await migrate(db.client, workItemMigrations(), { schema });
      const more: Migration = {
        id: '003_work_item_title_index',
        sql: 'CREATE INDEX work_item_title_idx ON work_item ((body->>$$title$$));',
      };
      expect(await migrate(db.client, [...workItemMigrations(), more], { schema })).toEqual([
        '003_work_item_title_index',
      ]);
      expect(await recorded(db, schema)).toHaveLength(3);
    });

    it('runs started together apply each migration once', async () => {
      const schema = db.freshSchema();
      const runs = await Promise.all(
        [1, 2, 3].map(() => migrate(db.client, workItemMigrations(), { schema })),
      );
      expect(runs.flat().sort()).toEqual(['001_opscharter_base', '002_work_item']);
      expect(await recorded(db, schema)).toEqual(['001_opscharter_base', '002_work_item']);
    });

    it('refuses a migration edited after it was applied, and applies nothing of that run', async () => {
      const schema = db.freshSchema();
      await migrate(db.client, workItemMigrations(), { schema });
      const edited = [
        baseMigration,
        aggregateMigration('002_work_item', workItemSpec, {
          columns: { ...workItemColumns, rank: 'text' },
        }),
        { id: '003_extra', sql: 'CREATE TABLE extra (x integer);' },
      ];
      await expect(migrate(db.client, edited, { schema })).rejects.toThrow(/002_work_item changed/);
      expect(await tables(db, schema)).not.toContain('extra');
    });

    it('a failing migration leaves nothing half-applied', async () => {
      const schema = db.freshSchema();
      const failing = [
        ...workItemMigrations(),
        { id: '003_broken', sql: 'CREATE TABLE broken (x integer); SELECT no_such_function();' },
      ];
      const error = await migrate(db.client, failing, { schema }).catch((e: unknown) => e);
      expect(sqlState(error)).toBe('42883');
      // The whole run is one transaction: not even the good migrations before it stay.
      expect(await tables(db, schema)).toEqual([]);
      expect(await migrate(db.client, workItemMigrations(), { schema })).toHaveLength(2);
    });

    it('refuses migrations out of order or listed twice, and bad schema names', async () => {
      const [base, items] = workItemMigrations() as [Migration, Migration];
      await expect(migrate(db.client, [items, base])).rejects.toThrow(/must sort after/);
      await expect(migrate(db.client, [base, base])).rejects.toThrow(/must sort after/);
      await expect(migrate(db.client, [base], { schema: 'Robert"; DROP' })).rejects.toThrow(
        /schema name/,
      );
    });
  });
}
