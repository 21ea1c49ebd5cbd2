import type { FilterValue, Repository } from '../core/repository.js';
import type { Result } from '../core/result.js';
import type { WorkflowEntity } from '../core/workflow/history.js';
import { check, deepEqual } from './assert.js';

/** What the suite needs to exercise a repository of one aggregate. */
export interface RepositoryConformanceOptions<E extends WorkflowEntity, F extends string> {
  /** Shown in check names: `incident (memory)`. */
  readonly name: string;
  /** A fresh, empty repository for each check. */
  readonly makeRepository: () => Repository<E, F> | Promise<Repository<E, F>>;
  /**
   * A valid entity never saved (version 0). Different `n` give different ids and increasing
   * `createdAt`; entities should vary in the fields the filter cases use.
   */
  readonly makeEntity: (n: number) => E;
  /** A valid next version of the entity: one more history entry, as an accepted command makes. */
  readonly advance: (entity: E, n: number) => E;
  /** Filters to try, each with the predicate an entity must meet to be listed. */
  readonly filterCases: readonly {
    readonly where: { readonly [K in F]?: FilterValue | readonly FilterValue[] };
    readonly matches: (entity: E) => boolean;
  }[];
  /** A value that fails the entity schema, with the id it claims. */
  readonly makeInvalid: (n: number) => { readonly id: string } & Record<string, unknown>;
}

/** One named check of the suite. */
export interface ConformanceCheck {
  readonly name: string;
  run(): Promise<void>;
}

/** The test-runner functions the suite registers its checks with (vitest, jest, node:test, mocha). */
export interface TestRunnerApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/**
 * The repository conformance suite as named async checks, with no test runner behind it. Every
 * implementation (the in-memory store, PostgreSQL, a consumer's own) must pass all of them.
 *
 * @example
 * for (const c of repositoryConformanceChecks(options)) await c.run();
 */
export function repositoryConformanceChecks<E extends WorkflowEntity, F extends string>(
  options: RepositoryConformanceOptions<E, F>,
): ConformanceCheck[] {
  const { makeEntity, advance } = options;
  const fresh = async () => options.makeRepository();
  const saveNew = async (repo: Repository<E, F>, n: number) =>
    value(await repo.save(makeEntity(n), { expectedVersion: 0 }), `save of new entity ${n}`);

  const checks: [string, () => Promise<void>][] = [
    [
      'round trip: a saved entity reads back equal, at version 1',
      async () => {
        const repo = await fresh();
        const entity = makeEntity(1);
        const saved = await saveNew(repo, 1);
        check(saved.version === 1, `first save should give version 1, got ${saved.version}`);
        check(
          deepEqual({ ...entity, version: 1 }, saved),
          'save changed the entity beyond version',
        );
        const read = value(await repo.get(entity.id), 'get');
        check(deepEqual(read, saved), 'get did not return what save stored');
      },
    ],
    [
      'get of an unknown id is not_found',
      async () => {
        const repo = await fresh();
        const read = await repo.get('no-such-id');
        check(!read.ok && read.error.code === 'not_found', 'expected not_found');
      },
    ],
    [
      'every save bumps the version by one',
      async () => {
        const repo = await fresh();
        let current = await saveNew(repo, 1);
        for (let i = 2; i <= 4; i++) {
          current = value(
            await repo.save(advance(current, i), { expectedVersion: current.version }),
            `save ${i}`,
          );
          check(
            current.version === i,
            `save ${i} should give version ${i}, got ${current.version}`,
          );
        }
      },
    ],
    [
      'a save with a stale version is a conflict and changes nothing',
      async () => {
        const repo = await fresh();
        const v1 = await saveNew(repo, 1);
        const v2 = value(await repo.save(advance(v1, 1), { expectedVersion: 1 }), 'second save');
        const stale = await repo.save(advance(v1, 2), { expectedVersion: 1 });
        check(!stale.ok && stale.error.code === 'conflict', 'stale save should be a conflict');
        const read = value(await repo.get(v1.id), 'get');
        check(deepEqual(read, v2), 'a rejected save changed the stored entity');
      },
    ],
    [
      'creating an id that exists is a conflict',
      async () => {
        const repo = await fresh();
        await saveNew(repo, 1);
        const again = await repo.save(makeEntity(1), { expectedVersion: 0 });
        check(!again.ok && again.error.code === 'conflict', 'second create should be a conflict');
      },
    ],
    [
      'concurrent saves of one version: exactly one wins',
      async () => {
        const repo = await fresh();
        const v1 = await saveNew(repo, 1);
        const attempts = [1, 2, 3, 4, 5].map((i) => advance(v1, 10 + i));
        const results = await Promise.all(
          attempts.map((e) => repo.save(e, { expectedVersion: 1 })),
        );
        const winners = results.filter((r) => r.ok);
        check(winners.length === 1, `expected exactly one winner, got ${winners.length}`);
        for (const r of results) {
          check(r.ok || r.error.code === 'conflict', 'losers must get a conflict');
        }
        const read = value(await repo.get(v1.id), 'get');
        const winner = winners[0];
        check(
          winner?.ok === true && deepEqual(read, winner.value),
          'stored entity is not the winner',
        );
      },
    ],
    [
      'no save loses an update: read-modify-write with retries keeps every change',
      async () => {
        const repo = await fresh();
        const v1 = await saveNew(repo, 1);
        const writers = 4;
        const perWriter = 5;
        const writer = async (w: number) => {
          for (let k = 0; k < perWriter; k++) {
            for (;;) {
              const current = value(await repo.get(v1.id), 'get');
              const saved = await repo.save(advance(current, w * 100 + k), {
                expectedVersion: current.version,
              });
              if (saved.ok) break;
              check(saved.error.code === 'conflict', `unexpected ${saved.error.code}`);
            }
          }
        };
        await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
        const read = value(await repo.get(v1.id), 'get');
        const expected = v1.history.length + writers * perWriter;
        check(read.version === 1 + writers * perWriter, `version ${read.version}`);
        check(
          read.history.length === expected,
          `history has ${read.history.length}, want ${expected}`,
        );
      },
    ],
    [
      'history never shrinks: a save that drops or edits an entry is refused',
      async () => {
        const repo = await fresh();
        const v1 = await saveNew(repo, 1);
        const v2 = value(await repo.save(advance(v1, 1), { expectedVersion: 1 }), 'save');
        const dropped = { ...advance(v2, 2), history: v2.history.slice(0, 1) } as E;
        const r1 = await repo.save(dropped, { expectedVersion: 2 });
        check(!r1.ok, 'a save that shortens the history must be refused');
        const first = v2.history[0]!;
        const edited = {
          ...v2,
          history: [{ ...first, command: `${first.command}-edited` }, ...v2.history.slice(1)],
        } as E;
        const r2 = await repo.save(edited, { expectedVersion: 2 });
        check(!r2.ok, 'a save that edits a history entry must be refused');
        const read = value(await repo.get(v1.id), 'get');
        check(deepEqual(read, v2), 'a refused save changed the stored entity');
      },
    ],
    [
      'a new entity whose history does not start at seq 1 is refused, and nothing is stored',
      async () => {
        const repo = await fresh();
        const made = makeEntity(1);
        const first = made.history[0]!;
        const skipped = { ...made, history: [{ ...first, seq: 2 }, ...made.history.slice(1)] } as E;
        const saved = await repo.save(skipped, { expectedVersion: 0 });
        check(!saved.ok && saved.error.code === 'validation', 'expected a validation error');
        const read = await repo.get(made.id);
        check(!read.ok && read.error.code === 'not_found', 'the refused entity was stored');
      },
    ],
    [
      'an invalid entity is a validation error and nothing is stored',
      async () => {
        const repo = await fresh();
        const bad = options.makeInvalid(1);
        const saved = await repo.save(bad as unknown as E, { expectedVersion: 0 });
        check(!saved.ok && saved.error.code === 'validation', 'expected a validation error');
        const read = await repo.get(bad.id);
        check(!read.ok && read.error.code === 'not_found', 'the invalid entity was stored');
      },
    ],
    [
      'list filters return exactly the matching entities',
      async () => {
        const repo = await fresh();
        const all: E[] = [];
        for (let n = 1; n <= 30; n++) all.push(await saveNew(repo, n));
        for (const filter of options.filterCases) {
          const listed = await listAll(repo, { where: filter.where, limit: 7 });
          const want = all.filter(filter.matches).map((e) => e.id);
          check(
            deepEqual(
              listed.map((e) => e.id),
              want,
            ),
            `filter ${JSON.stringify(filter.where)}: got ${listed.length} ids, want ${want.length}`,
          );
        }
      },
    ],
    [
      'cursor pagination: every entity once, in creation order, no gaps or repeats',
      async () => {
        const repo = await fresh();
        const ids: string[] = [];
        for (let n = 1; n <= 37; n++) ids.push((await saveNew(repo, n)).id);
        for (const limit of [1, 5, 37, 50]) {
          const listed = (await listAll(repo, { limit })).map((e) => e.id);
          check(deepEqual(listed, ids), `limit ${limit}: pages do not add up to every entity once`);
        }
        const createdFrom = makeEntity(10).createdAt;
        const createdTo = makeEntity(20).createdAt;
        const ranged = (await listAll(repo, { createdFrom, createdTo, limit: 4 })).map((e) => e.id);
        check(deepEqual(ranged, ids.slice(9, 19)), 'createdFrom/createdTo range is wrong');
      },
    ],
    [
      'entities created at one instant list by id, compared by code point as PostgreSQL orders UTF-8',
      async () => {
        const repo = await fresh();
        const first = makeEntity(1);
        // By UTF-16 unit the emoji (a surrogate pair, 0xD83D…) would sort before U+FF5E; by
        // code point, and by UTF-8 byte as PostgreSQL's "C" collation sorts, it comes last.
        const suffixes = ['\u{1F600}', '\uFF5E', 'z', '\u00E9'];
        for (const [i, suffix] of suffixes.entries()) {
          const entity = { ...makeEntity(i + 1), id: `${first.id}-${suffix}` };
          const sameInstant = { ...entity, createdAt: first.createdAt };
          value(await repo.save(sameInstant, { expectedVersion: 0 }), `save of ${entity.id}`);
        }
        const want = ['z', '\u00E9', '\uFF5E', '\u{1F600}'].map((s) => `${first.id}-${s}`);
        const listed = (await listAll(repo, { limit: 2 })).map((e) => e.id);
        check(
          deepEqual(listed, want),
          `order ${JSON.stringify(listed)}, want ${JSON.stringify(want)}`,
        );
      },
    ],
    [
      'a malformed list query is a validation error',
      async () => {
        const repo = await fresh();
        const bad = [
          { limit: 0 },
          { limit: 501 },
          { cursor: '%%%not a cursor' },
          { where: { no_such_filter: 'x' } },
          { createdFrom: 'yesterday' },
        ];
        for (const query of bad) {
          const r = await repo.list(query as never);
          check(!r.ok && r.error.code === 'validation', `${JSON.stringify(query)} was accepted`);
        }
      },
    ],
    [
      'what goes in and comes out are copies: changing them changes nothing stored',
      async () => {
        const repo = await fresh();
        const input = makeEntity(1);
        const saved = value(await repo.save(input, { expectedVersion: 0 }), 'save');
        const expected = structuredClone(saved);
        for (const entity of [input, saved, value(await repo.get(saved.id), 'get')]) {
          (entity.history as unknown as unknown[]).push({ seq: 99 });
          (entity as { state: string }).state = 'tampered';
        }
        const again = value(await repo.get(saved.id), 'get');
        check(deepEqual(again, expected), 'mutating a saved or read entity changed the stored one');
      },
    ],
  ];
  return checks.map(([name, run]) => ({ name: `${options.name}: ${name}`, run }));
}

/**
 * Registers the conformance suite with a test runner's `describe` and `it`.
 *
 * @example
 * import { describe, it } from 'vitest';
 * describeRepositoryConformance({ describe, it }, { name: 'incident (sqlite)', ... });
 */
export function describeRepositoryConformance<E extends WorkflowEntity, F extends string>(
  runner: TestRunnerApi,
  options: RepositoryConformanceOptions<E, F>,
): void {
  runner.describe(`repository conformance: ${options.name}`, () => {
    for (const c of repositoryConformanceChecks(options)) runner.it(c.name, () => c.run());
  });
}

function value<T>(result: Result<T, { code: string }>, what: string): T {
  check(result.ok, `${what} failed: ${result.ok ? '' : result.error.code}`);
  return result.value;
}

async function listAll<E extends WorkflowEntity, F extends string>(
  repo: Repository<E, F>,
  query: Parameters<Repository<E, F>['list']>[0],
): Promise<E[]> {
  const out: E[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const r = value(await repo.list({ ...query, cursor }), 'list');
    out.push(...r.items);
    if (r.nextCursor === undefined) return out;
    cursor = r.nextCursor;
  }
  throw new Error('list did not end after 1000 pages');
}
