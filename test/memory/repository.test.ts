import fc from 'fast-check';
import { unwrap } from 'opscharter';
import { createMemoryRepository } from 'opscharter/memory';
import { describeRepositoryConformance } from 'opscharter/testing';
import { describe, expect, it } from 'vitest';
import { newTicket, renamed, type Ticket, ticketSpec } from '../support/ticket.js';

describeRepositoryConformance(
  { describe, it },
  {
    name: 'ticket (memory)',
    makeRepository: () => createMemoryRepository(ticketSpec),
    makeEntity: (n) => newTicket(n),
    advance: renamed,
    filterCases: [
      { where: { state: 'open' }, matches: (t) => t.state === 'open' },
      { where: { priority: 3 }, matches: (t) => t.priority === 3 },
      { where: { priority: [1, 2] }, matches: (t) => t.priority === 1 || t.priority === 2 },
      { where: { ci: 'ci-b' }, matches: (t) => t.cis.includes('ci-b') },
      {
        where: { ci: ['ci-a', 'ci-c'], priority: 5 },
        matches: (t) => (t.cis.includes('ci-a') || t.cis.includes('ci-c')) && t.priority === 5,
      },
    ],
    makeInvalid: (n) => ({ ...newTicket(n), priority: 'urgent' }),
  },
);

describe('memory repository', () => {
  it('names the bad field of an invalid entity', async () => {
    const repo = createMemoryRepository(ticketSpec);
    const saved = await repo.save({ ...newTicket(1), title: '' }, { expectedVersion: 0 });
    expect(!saved.ok && saved.error.code === 'validation' && saved.error.issues[0]?.path).toBe(
      'title',
    );
  });

  it('names the filters it offers when given an unknown one', async () => {
    const repo = createMemoryRepository(ticketSpec);
    const listed = await repo.list({ where: { colour: 'red' } as never });
    expect(!listed.ok && listed.error.message.en).toMatch(/where/);
    expect(!listed.ok && listed.error.issues[0]?.message.en).toMatch(/state, priority, ci/);
  });
});

describe('memory repository, model-based', () => {
  // Clients read, then write what they read advanced by one command, in any interleaving. The
  // model: a write wins exactly when the version it read is still the stored one. So a write
  // based on a stale read is a conflict, and every accepted write is in the final history.
  const step = fc.record({ client: fc.integer({ min: 0, max: 3 }), write: fc.boolean() });

  it('no interleaving of reads and writes loses an accepted update', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const repo = createMemoryRepository(ticketSpec);
        const first = unwrap(await repo.save(newTicket(1), { expectedVersion: 0 }));
        let stored = first;
        const seen: (Ticket | undefined)[] = [first, undefined, undefined, undefined];
        let accepted = 0;
        for (const { client, write } of steps) {
          const snapshot = seen[client];
          if (!write || !snapshot) {
            seen[client] = unwrap(await repo.get(first.id));
            continue;
          }
          const r = await repo.save(renamed(snapshot, accepted + client * 1000), {
            expectedVersion: snapshot.version,
          });
          const shouldWin = snapshot.version === stored.version;
          expect(r.ok).toBe(shouldWin);
          if (r.ok) {
            accepted++;
            stored = r.value;
            seen[client] = r.value;
          } else {
            expect(r.error.code).toBe('conflict');
          }
        }
        const last = unwrap(await repo.get(first.id));
        expect(last).toEqual(stored);
        expect(last.version).toBe(1 + accepted);
        expect(last.history).toHaveLength(first.history.length + accepted);
      }),
      { numRuns: 200 },
    );
  });
});
