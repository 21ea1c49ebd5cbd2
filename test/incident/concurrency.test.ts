import {
  collectingSink,
  createOps,
  definePolicy,
  type IncidentCommand,
  type IncidentRepository,
  manualClock,
  sequentialIds,
  unwrap,
} from 'opscharter';
import { createMemoryStore } from 'opscharter/memory';
import { describe, expect, it } from 'vitest';
import { actors, assessInput, reportInput } from './_support.js';

/**
 * Ops on a memory store whose next `readers` incident reads are held until all of them have
 * read: the commands then decide on the same version, whatever the scheduling of the store's
 * promises.
 */
function racingOps() {
  const store = createMemoryStore();
  const sink = collectingSink();
  let held: { readers: number; waiting: (() => void)[] } | undefined;
  const incidents: IncidentRepository = {
    ...store.incidents,
    async get(id) {
      const r = await store.incidents.get(id);
      const barrier = held;
      if (barrier) {
        await new Promise<void>((release) => {
          barrier.waiting.push(release);
          if (barrier.waiting.length < barrier.readers) return;
          // Released once: later reads (a retry, a check after the race) pass straight through.
          held = undefined;
          for (const go of barrier.waiting) go();
        });
      }
      return r;
    },
  };
  const ops = createOps({
    store: { ...store, incidents },
    policy: definePolicy(),
    clock: manualClock('2026-03-30T09:00:00+08:00'),
    ids: sequentialIds(),
    sink,
  });
  const race = (readers: number) => {
    held = { readers, waiting: [] };
  };
  return { ops, sink, race };
}

const classify: IncidentCommand = { type: 'classify', input: { severity: 'major' } };
const assess: IncidentCommand = { type: 'assess', input: assessInput };
const assessLow: IncidentCommand = {
  type: 'assess',
  input: { ...assessInput, impact: 'low', urgency: 'low', severity: 'minor' },
};

describe('two commands decided on the same incident version', () => {
  for (const [title, first, second] of [
    ['assess and assess', assess, assessLow],
    ['classify and assess', classify, assess],
    ['assess and classify', assess, classify],
  ] as const) {
    it(`${title}: exactly one wins, the other is a conflict, and the store holds the winner only`, async () => {
      const { ops, sink, race } = racingOps();
      const reported = unwrap(await ops.incidents.report(actors.reporter, reportInput()));
      const published = sink.events.length;
      race(2);
      const results = await Promise.all([
        ops.incidents.execute(actors.opsManager, reported.id, first),
        ops.incidents.execute(actors.opsManager, reported.id, second),
      ]);
      const won = results.filter((r) => r.ok);
      const lost = results.filter((r) => !r.ok);
      expect(won).toHaveLength(1);
      expect(lost.map((r) => !r.ok && r.error.code)).toEqual(['conflict']);
      const winner = unwrap(won[0]!);
      const stored = unwrap(await ops.incidents.get(reported.id));
      expect(stored).toEqual(winner);
      expect(stored.version).toBe(reported.version + 1);
      // One history entry more than the report: the winner's command, and not the loser's.
      expect(stored.history.map((h) => h.command)).toEqual([
        ...reported.history.map((h) => h.command),
        winner.history.at(-1)!.command,
      ]);
      expect(sink.events.slice(published).map((e) => e.command)).toEqual([
        winner.history.at(-1)!.command,
      ]);
    });
  }

  it('the loser succeeds when it retries on the version it reads again', async () => {
    const { ops, race } = racingOps();
    const reported = unwrap(await ops.incidents.report(actors.reporter, reportInput()));
    race(2);
    const [a, b] = await Promise.all([
      ops.incidents.classify(actors.opsManager, reported.id, { severity: 'major' }),
      ops.incidents.classify(actors.opsManager, reported.id, { severity: 'minor' }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const retried = unwrap(
      await ops.incidents.classify(actors.opsManager, reported.id, { severity: 'minor' }),
    );
    expect(retried.version).toBe(reported.version + 2);
    expect(retried.severity).toBe('minor');
  });
});
