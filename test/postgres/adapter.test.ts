import fc from 'fast-check';
import type { ListQuery, Repository } from 'opscharter/core';
import { createMemoryRepository } from 'opscharter/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  columnValue,
  createPostgresRepository,
  createPostgresStore,
  migrate,
  openPostgresStore,
  pgClient,
  postgresAggregate,
  type SqlClient,
  type SqlExecutor,
  sqlState,
  sqlType,
  storeMigrations,
  tableLayout,
} from '../../examples/postgres/index.js';
import { type Backend, backends, freshWorkItems } from './backends.js';
import {
  advanceWorkItem,
  newWorkItem,
  type WorkItem,
  type WorkItemFilter,
  workItemColumns,
  workItemSpec,
} from './work-item.js';

/** A client that records every statement and can be told to fail some of them. */
function instrumented(client: SqlClient, fail: (sql: string) => boolean = () => false) {
  const statements: { sql: string; params: readonly unknown[]; inTransaction: boolean }[] = [];
  const wrap = (target: SqlExecutor, inTransaction: boolean): SqlExecutor => ({
    async query(sql, params = []) {
      statements.push({ sql, params, inTransaction });
      if (fail(sql)) throw new Error(`killed: ${sql.slice(0, 30)}`);
      return target.query(sql, params);
    },
    exec: (sql) => target.exec(sql),
  });
  const wrapped: SqlClient = {
    ...wrap(client, false),
    transaction: (fn) => client.transaction((tx) => fn(wrap(tx, true))),
  };
  return { client: wrapped, statements };
}

const isHistoryInsert = (sql: string) => /^INSERT INTO \S+"work_item_history"/.test(sql);

async function count(db: Backend, schema: string, table: string): Promise<number> {
  const { rows } = await db.client.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM "${schema}"."${table}"`,
  );
  return rows[0]!.n;
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`postgres adapter on ${backend.name}`, () => {
    let db: Backend;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    describe('transactions: the save and its history append commit together or not at all', () => {
      it('a create killed at the history insert stores neither row', async () => {
        const { schema, repo } = await freshWorkItems(db);
        const broken = instrumented(db.client, isHistoryInsert);
        const failing = createPostgresRepository(broken.client, workItemSpec, {
          columns: workItemColumns,
          schema,
        });
        await expect(failing.save(newWorkItem(1), { expectedVersion: 0 })).rejects.toThrow(
          /killed/,
        );
        // Halfway: the entity row was written in the same transaction before the history failed.
        const inTx = broken.statements.filter((s) => s.inTransaction).map((s) => s.sql);
        expect(inTx[0]).toMatch(/^INSERT INTO \S+"work_item"/);
        expect(isHistoryInsert(inTx[inTx.length - 1]!)).toBe(true);
        const read = await repo.get(newWorkItem(1).id);
        expect(!read.ok && read.error.code).toBe('not_found');
        expect(await count(db, schema, 'work_item')).toBe(0);
        expect(await count(db, schema, 'work_item_history')).toBe(0);
      });

      it('an update killed at the history insert leaves the stored version as it was', async () => {
        const { schema, repo } = await freshWorkItems(db);
        const v1 = (await repo.save(newWorkItem(1), { expectedVersion: 0 })) as { value: WorkItem };
        const broken = instrumented(db.client, isHistoryInsert);
        const failing = createPostgresRepository(broken.client, workItemSpec, {
          columns: workItemColumns,
          schema,
        });
        await expect(
          failing.save(advanceWorkItem(v1.value, 2), { expectedVersion: 1 }),
        ).rejects.toThrow(/killed/);
        expect(broken.statements.some((s) => s.inTransaction && /^UPDATE/.test(s.sql))).toBe(true);
        const read = await repo.get(v1.value.id);
        expect(read.ok && read.value).toEqual(v1.value);
        expect(await count(db, schema, 'work_item_history')).toBe(1);
        // The entity is not stuck: the next save of version 1 goes through.
        const next = await repo.save(advanceWorkItem(v1.value, 3), { expectedVersion: 1 });
        expect(next.ok && next.value.version).toBe(2);
      });

      it('a history row the database itself refuses rolls the entity update back', async () => {
        const { schema, repo } = await freshWorkItems(db);
        await db.client.exec(`
CREATE FUNCTION "${schema}".refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.command = 'step-13' THEN RAISE EXCEPTION 'boom' USING ERRCODE = 'check_violation'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refuse_boom BEFORE INSERT ON "${schema}".work_item_history
  FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_boom();`);
        const v1 = (await repo.save(newWorkItem(1), { expectedVersion: 0 })) as { value: WorkItem };
        const v2 = (await repo.save(advanceWorkItem(v1.value, 12), { expectedVersion: 1 })) as {
          value: WorkItem;
        };
        // Two entries at once; the second is refused, so neither is stored, nor the new body.
        const twoMore = advanceWorkItem(advanceWorkItem(v2.value, 14), 13);
        const failed = await repo.save(twoMore, { expectedVersion: 2 }).catch((e: unknown) => e);
        expect(sqlState(failed)).toBe('23514');
        const read = await repo.get(v1.value.id);
        expect(read.ok && read.value).toEqual(v2.value);
        expect(await count(db, schema, 'work_item_history')).toBe(2);
      });
    });

    describe('history in its own append-only table', () => {
      it('each save inserts only its new entries; reads join them back in order', async () => {
        const { schema } = await freshWorkItems(db);
        const spy = instrumented(db.client);
        const repo = createPostgresRepository(spy.client, workItemSpec, {
          columns: workItemColumns,
          schema,
        });
        let current = (await repo.save(newWorkItem(1), { expectedVersion: 0 })) as {
          value: WorkItem;
        };
        for (let i = 2; i <= 5; i++) {
          current = (await repo.save(advanceWorkItem(current.value, i), {
            expectedVersion: current.value.version,
          })) as { value: WorkItem };
        }
        const appended = spy.statements
          .filter((s) => isHistoryInsert(s.sql))
          .map((s) => (JSON.parse(s.params[1] as string) as { seq: number }[]).map((e) => e.seq));
        expect(appended).toEqual([[1], [2], [3], [4], [5]]);
        const { rows } = await db.client.query<{ seq: number; command: string }>(
          `SELECT seq, command FROM "${schema}".work_item_history ORDER BY seq`,
        );
        expect(rows.map((r) => r.command)).toEqual([
          'open',
          'step-2',
          'step-3',
          'step-4',
          'step-5',
        ]);
        const read = await repo.get(current.value.id);
        expect(read.ok && read.value.history.map((h) => h.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(read.ok && read.value).toEqual(current.value);
      });

      it('the database refuses to update, delete or truncate history rows', async () => {
        const { schema, repo } = await freshWorkItems(db);
        await repo.save(newWorkItem(1), { expectedVersion: 0 });
        const h = `"${schema}".work_item_history`;
        for (const sql of [
          `UPDATE ${h} SET command = 'rewritten'`,
          `DELETE FROM ${h}`,
          `TRUNCATE ${h}`,
        ]) {
          const failed = await db.client.query(sql).catch((e: unknown) => e);
          expect(sqlState(failed), sql).toBe('23001');
        }
        expect(await count(db, schema, 'work_item_history')).toBe(1);
      });

      it('a new entity whose history does not start at 1 is refused and nothing is stored', async () => {
        const { schema, repo } = await freshWorkItems(db);
        const first = newWorkItem(1).history[0]!;
        const bad = { ...newWorkItem(1), history: [{ ...first, seq: 2 }] };
        const saved = await repo.save(bad, { expectedVersion: 0 });
        expect(!saved.ok && saved.error.code === 'validation' && saved.error.issues[0]?.path).toBe(
          'history',
        );
        expect(await count(db, schema, 'work_item')).toBe(0);
      });
    });

    describe('bad input and bad rows are typed errors, never a crash', () => {
      it('a row whose body fails the schema is a validation error naming the id', async () => {
        const { schema, repo } = await freshWorkItems(db);
        for (let n = 1; n <= 3; n++) await repo.save(newWorkItem(n), { expectedVersion: 0 });
        const broken = newWorkItem(2).id;
        await db.client.query(
          `UPDATE "${schema}".work_item SET body = jsonb_set(body, '{priority}', '"urgent"') WHERE id = $1`,
          [broken],
        );
        const read = await repo.get(broken);
        expect(read.ok).toBe(false);
        if (read.ok) return;
        expect(read.error.code).toBe('validation');
        expect(read.error.message.en).toContain(broken);
        expect(read.error.message.zh).toContain(broken);
        expect(read.error.code === 'validation' && read.error.issues.map((i) => i.path)).toEqual([
          'priority',
        ]);
        const listed = await repo.list();
        expect(!listed.ok && listed.error.message.en).toContain(broken);
        // The other rows still read.
        expect((await repo.get(newWorkItem(1).id)).ok).toBe(true);
        const firstPage = await repo.list({ limit: 1 });
        expect(firstPage.ok && firstPage.value.items.map((w) => w.id)).toEqual([newWorkItem(1).id]);
      });

      it('a body that is not an object, or a bad history row, is a validation error naming the id', async () => {
        const { schema, repo } = await freshWorkItems(db);
        await repo.save(newWorkItem(1), { expectedVersion: 0 });
        await repo.save(newWorkItem(2), { expectedVersion: 0 });
        const [a, b] = [newWorkItem(1).id, newWorkItem(2).id];
        await db.client.query(
          `UPDATE "${schema}".work_item SET body = '"garbage"'::jsonb WHERE id = $1`,
          [a],
        );
        await db.client.query(
          `INSERT INTO "${schema}".work_item_history (entity_id, seq, at, actor_id, command, to_state, entry)
           VALUES ($1, 2, 'x', 'u', 'c', 'open', '{"seq": 2, "at": "yesterday"}')`,
          [b],
        );
        const readA = await repo.get(a);
        expect(!readA.ok && readA.error.code === 'validation' && readA.error.message.en).toContain(
          a,
        );
        const readB = await repo.get(b);
        expect(!readB.ok && readB.error.code === 'validation' && readB.error.message.en).toContain(
          b,
        );
        expect(
          !readB.ok && readB.error.code === 'validation' && readB.error.issues.map((i) => i.path),
        ).toContain('history.1.at');
      });

      it('text PostgreSQL cannot hold (NUL) is a validation error naming the field', async () => {
        const { schema, repo } = await freshWorkItems(db);
        const saved = await repo.save(
          { ...newWorkItem(1), title: 'a\u0000b' },
          { expectedVersion: 0 },
        );
        expect(!saved.ok && saved.error.code === 'validation' && saved.error.issues[0]?.path).toBe(
          'title',
        );
        expect(await count(db, schema, 'work_item')).toBe(0);
        const read = await repo.get('WI-\u0000');
        expect(!read.ok && read.error.code).toBe('not_found');
        const notText = await repo.get(42 as unknown as string);
        expect(!notText.ok && notText.error.code).toBe('not_found');
        const listed = await repo.list({ where: { state: 'open\u0000' } });
        expect(listed.ok && listed.value.items).toEqual([]);
        const cursor = encodeURIComponent(JSON.stringify(['2026\u0000', 'x']));
        const paged = await repo.list({ cursor });
        expect(!paged.ok && paged.error.code === 'validation' && paged.error.issues[0]?.path).toBe(
          'cursor',
        );
      });

      it('a negative or fractional expected version is a conflict, as in memory', async () => {
        const { repo } = await freshWorkItems(db);
        await repo.save(newWorkItem(1), { expectedVersion: 0 });
        for (const expectedVersion of [-1, 0.5, Number.NaN, 2 ** 31, Number.MAX_SAFE_INTEGER + 2]) {
          const saved = await repo.save(newWorkItem(1), { expectedVersion });
          expect(!saved.ok && saved.error.code === 'conflict' && saved.error.actualVersion).toBe(1);
        }
        const unknown = await repo.save(newWorkItem(2), { expectedVersion: 3 });
        expect(
          !unknown.ok && unknown.error.code === 'conflict' && unknown.error.actualVersion,
        ).toBe(undefined);
      });
    });

    describe('lists match the in-memory store exactly', () => {
      const instant = fc
        .record({
          minute: fc.integer({ min: 0, max: 6 }),
          offset: fc.constantFrom('Z', '+08:00', '-05:45'),
        })
        .map(({ minute, offset }) => {
          const z = new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString();
          return offset === 'Z' ? z : z.replace('.000Z', offset);
        });
      const item = fc
        .record({
          n: fc.integer({ min: 1, max: 25 }),
          createdAt: instant,
          cis: fc.subarray(['ci-a', 'ci-b', 'ci-c', 'Ci-a', 'ci-é']),
          state: fc.constantFrom('open', 'working', 'blocked', 'done'),
          owner: fc.option(fc.constantFrom('u-1', 'u-2', 'U-1'), { nil: undefined }),
        })
        .map(({ n, createdAt, cis, state, owner }): WorkItem => {
          const base = newWorkItem(n);
          const history = [{ ...base.history[0]!, at: createdAt }];
          const { owner: _, ...rest } = base;
          return {
            ...rest,
            createdAt,
            updatedAt: createdAt,
            history,
            cis,
            state,
            ...(owner === undefined ? {} : { owner }),
          } as WorkItem;
        });
      const filterValue = fc.oneof(
        fc.constantFrom('open', 'done', 'P1', 'P3', 'ci-a', 'ci-é', 'Ci-a', 'u-1', 'U-1', '5'),
        fc.integer({ min: 0, max: 10 }),
        fc.boolean(),
      );
      const rarely = <T>(arb: fc.Arbitrary<T>) =>
        fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });
      const query = fc.record({
        where: rarely(
          fc.dictionary(
            fc.constantFrom<WorkItemFilter>(
              'state',
              'priority',
              'ci',
              'escalated',
              'rank',
              'owner',
            ),
            fc.oneof(filterValue, fc.array(filterValue, { maxLength: 3 })),
            { minKeys: 1, maxKeys: 2 },
          ),
        ),
        createdFrom: rarely(instant),
        createdTo: rarely(instant),
        limit: fc.integer({ min: 1, max: 6 }),
      });

      async function pages(
        repo: Repository<WorkItem, WorkItemFilter>,
        q: ListQuery<WorkItemFilter>,
      ) {
        const out: { ids: string[]; more: string | undefined }[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 50; i++) {
          const page = await repo.list({ ...q, cursor });
          if (!page.ok) return page.error.code;
          out.push({ ids: page.value.items.map((w) => w.id), more: page.value.nextCursor });
          cursor = page.value.nextCursor;
          if (cursor === undefined) break;
        }
        return out;
      }

      it('same saves, same queries: same pages and cursors (property)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(item, { minLength: 1, maxLength: 15 }),
            fc.array(query, { minLength: 1, maxLength: 4 }),
            async (items, queries) => {
              const { repo } = await freshWorkItems(db);
              const memory = createMemoryRepository(workItemSpec);
              for (const w of items) {
                const [a, b] = [
                  await repo.save(w, { expectedVersion: 0 }),
                  await memory.save(w, { expectedVersion: 0 }),
                ];
                expect(a.ok ? 'ok' : a.error.code).toBe(b.ok ? 'ok' : b.error.code);
              }
              for (const q of queries) {
                expect(await pages(repo, q)).toEqual(await pages(memory, q));
              }
            },
          ),
          { numRuns: 25 },
        );
      });
    });

    describe('store', () => {
      const items = postgresAggregate(workItemSpec, {
        migration: '002_work_item',
        columns: workItemColumns,
      });
      const archived = postgresAggregate(workItemSpec, {
        migration: '003_archived_item',
        table: 'archived_item',
        columns: workItemColumns,
      });

      it('openPostgresStore migrates and builds a repository per aggregate, each on its tables', async () => {
        const schema = db.freshSchema();
        const store = await openPostgresStore(db.client, { items, archived }, { schema });
        await store.items.save(newWorkItem(1), { expectedVersion: 0 });
        const there = await store.items.get(newWorkItem(1).id);
        const elsewhere = await store.archived.get(newWorkItem(1).id);
        expect(there.ok).toBe(true);
        expect(!elsewhere.ok && elsewhere.error.code).toBe('not_found');
        // Opening again applies nothing and sees the same rows.
        const again = createPostgresStore(db.client, { items, archived }, { schema });
        expect((await again.items.get(newWorkItem(1).id)).ok).toBe(true);
        expect(await migrate(db.client, storeMigrations({ archived, items }), { schema })).toEqual(
          [],
        );
      });

      it('storeMigrations puts the base first, then the aggregates by migration id', () => {
        expect(storeMigrations({ archived, items }).map((m) => m.id)).toEqual([
          '001_opscharter_base',
          '002_work_item',
          '003_archived_item',
        ]);
      });
    });
  });
}

describe('table layout', () => {
  it('resolves column names and types from the spec and the mapping', () => {
    const layout = tableLayout(workItemSpec, { columns: workItemColumns });
    expect(layout.table).toBe('work_item');
    expect(layout.history).toBe('work_item_history');
    expect(layout.columns.find((c) => c.filter === 'owner')?.column).toBe('owner_id');
    expect(layout.columns.find((c) => c.filter === 'ci')).toMatchObject({
      array: true,
      jsType: 'string',
    });
  });

  it('refuses a mapping that does not fit the spec', () => {
    const { owner: _, ...missing } = workItemColumns;
    const bad: [string, () => unknown][] = [
      ['missing filter', () => tableLayout(workItemSpec, { columns: missing as never })],
      [
        'unknown filter',
        () =>
          tableLayout(workItemSpec, { columns: { ...workItemColumns, colour: 'text' } as never }),
      ],
      [
        'bad table name',
        () => tableLayout(workItemSpec, { columns: workItemColumns, table: 'Work Item' }),
      ],
      [
        'long table name',
        () => tableLayout(workItemSpec, { columns: workItemColumns, table: 'x'.repeat(41) }),
      ],
      [
        'fixed column',
        () =>
          tableLayout(workItemSpec, {
            columns: { ...workItemColumns, owner: { type: 'text', column: 'version' } },
          }),
      ],
      [
        'same column twice',
        () =>
          tableLayout(workItemSpec, {
            columns: { ...workItemColumns, owner: { type: 'text', column: 'state' } },
          }),
      ],
    ];
    for (const [what, make] of bad) expect(make, what).toThrow();
  });
});

describe('filter columns', () => {
  const layout = tableLayout(workItemSpec, {
    columns: { ...workItemColumns, rank: 'integer[]', escalated: 'boolean[]' },
  });
  const column = (filter: string) => layout.columns.find((c) => c.filter === filter)!;

  it('stores scalars as one value, arrays as arrays, nothing as NULL', () => {
    expect(columnValue(column('state'), 'open')).toBe('open');
    expect(columnValue(column('rank'), 3)).toEqual([3]);
    expect(columnValue(column('escalated'), [true, false])).toEqual([true, false]);
    expect(columnValue(column('owner'), undefined)).toBeNull();
    expect(layout.columns.map((c) => sqlType(c.type))).toEqual([
      'text COLLATE "C"',
      'text COLLATE "C"',
      'text[] COLLATE "C"',
      'boolean[]',
      'bigint[]',
      'text COLLATE "C"',
    ]);
  });

  it('throws when the spec yields what the column cannot hold: a mapping mistake', () => {
    expect(() => columnValue(column('state'), 3)).toThrow(/yielded 3/);
    expect(() => columnValue(column('state'), ['a', 'b'])).toThrow(/2 values/);
    expect(() => columnValue(column('rank'), [1.5])).toThrow(/yielded 1.5/);
    expect(() =>
      tableLayout(workItemSpec, {
        columns: { ...workItemColumns, owner: { type: 'text', column: 'o'.repeat(60) } },
      }),
    ).toThrow(/too long/);
  });

  it('reads the SQLSTATE of database errors only', () => {
    expect(sqlState(Object.assign(new Error('x'), { code: '23505' }))).toBe('23505');
    expect(sqlState(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(sqlState('23505')).toBeUndefined();
  });
});

describe('pgClient glue (a stand-in pool, so it runs without a server)', () => {
  function fakePool(failOn: string[] = []) {
    const log: string[] = [];
    const released: unknown[] = [];
    const run = async (sql: string) => {
      log.push(sql);
      if (failOn.includes(sql)) throw new Error(`${sql} failed`);
      return { rows: [{ sql }] };
    };
    const pool = {
      query: run,
      connect: async () => ({ query: run, release: (e?: unknown) => released.push(e) }),
    };
    return { pool: pool as unknown as Parameters<typeof pgClient>[0], log, released };
  }

  it('runs a transaction on one connection, commits, and gives the connection back', async () => {
    const { pool, log, released } = fakePool();
    const rows = await pgClient(pool).transaction(async (tx) => (await tx.query('SELECT 1')).rows);
    expect(rows).toEqual([{ sql: 'SELECT 1' }]);
    expect(log).toEqual(['BEGIN', 'SELECT 1', 'COMMIT']);
    expect(released).toEqual([undefined]);
  });

  it('rolls back and rethrows; a connection that cannot roll back is discarded', async () => {
    const failing = fakePool(['SELECT 1']);
    await expect(pgClient(failing.pool).transaction((tx) => tx.query('SELECT 1'))).rejects.toThrow(
      /SELECT 1 failed/,
    );
    expect(failing.log).toEqual(['BEGIN', 'SELECT 1', 'ROLLBACK']);
    expect(failing.released).toEqual([undefined]);

    const stuck = fakePool(['SELECT 1', 'ROLLBACK']);
    await expect(pgClient(stuck.pool).transaction((tx) => tx.query('SELECT 1'))).rejects.toThrow(
      /SELECT 1 failed/,
    );
    expect(stuck.released).toHaveLength(1);
    expect(stuck.released[0]).toBeInstanceOf(Error);
  });
});
