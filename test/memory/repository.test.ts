import { createMemoryRepository } from 'opscharter/memory';
import { describeRepositoryConformance } from 'opscharter/testing';
import { describe, expect, it } from 'vitest';
import { newTicket, renamed, ticketSpec } from '../support/ticket.js';

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
