import {
  collectingSink,
  executeCommand,
  fixedClock,
  parseActor,
  saveNew,
  sequentialIds,
} from 'opscharter/core';
import { createMemoryRepository } from 'opscharter/memory';
import { describe, expect, it } from 'vitest';
import { people } from '../support/actors.js';
import { at0, newTicket, ticketPolicy, ticketSpec, tickets } from '../support/ticket.js';

function setup() {
  const repo = createMemoryRepository(ticketSpec);
  const sink = collectingSink();
  const deps = { clock: fixedClock(at0), ids: sequentialIds(), policy: ticketPolicy, sink };
  return { repo, sink, deps };
}

describe('service shell', () => {
  it('loads, decides, saves with the version read and publishes the events', async () => {
    const { repo, sink, deps } = setup();
    const created = await saveNew(repo, deps, newTicket(1), []);
    expect(created.ok && created.value.version).toBe(1);
    const r = await executeCommand(repo, tickets, deps, people.engineer, newTicket(1).id, {
      type: 'work',
    });
    expect(r.ok && r.value.version).toBe(2);
    expect(sink.events.map((e) => e.type)).toEqual(['ticket.work']);
  });

  it('stores nothing and publishes nothing when a command is rejected', async () => {
    const { repo, sink, deps } = setup();
    await saveNew(repo, deps, newTicket(1), []);
    const r = await executeCommand(repo, tickets, deps, people.reporter, newTicket(1).id, {
      type: 'work',
    });
    expect(!r.ok && r.error.code).toBe('forbidden');
    const stored = await repo.get(newTicket(1).id);
    expect(stored.ok && stored.value.version).toBe(1);
    expect(sink.events).toEqual([]);
  });

  it('names the bad field of an actor, prefixed with actor', async () => {
    const { repo, deps } = setup();
    const r = await executeCommand(
      repo,
      tickets,
      deps,
      { ...people.engineer, roles: ['wizard'] },
      'T',
      {
        type: 'work',
      },
    );
    expect(!r.ok && r.error.code === 'validation' && r.error.issues[0]?.path).toBe('actor.roles.0');
    expect(parseActor(null).ok).toBe(false);
  });

  it('reports not_found for an unknown id', async () => {
    const { repo, deps } = setup();
    const r = await executeCommand(repo, tickets, deps, people.engineer, 'nope', { type: 'work' });
    expect(!r.ok && r.error.code).toBe('not_found');
  });
});
