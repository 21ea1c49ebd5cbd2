import type { Repository } from 'opscharter/core';
import { createMemoryRepository } from 'opscharter/memory';
import { repositoryConformanceChecks } from 'opscharter/testing';
import { describe, expect, it } from 'vitest';
import { newTicket, renamed, type Ticket, ticketSpec } from '../support/ticket.js';

/** A repository that overwrites silently: the bug the suite exists to catch. */
function lastWriteWins(): Repository<Ticket, 'state' | 'priority' | 'ci'> {
  const inner = createMemoryRepository(ticketSpec);
  return {
    ...inner,
    async save(entity) {
      const current = await inner.get(entity.id);
      // Yield between read and write, as a network round trip does: saves now race.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const latest = await inner.get(entity.id);
      if (latest.ok && current.ok && latest.value.version !== current.value.version) {
        return inner.save(entity, { expectedVersion: latest.value.version });
      }
      return inner.save(entity, { expectedVersion: current.ok ? current.value.version : 0 });
    },
  };
}

describe('the conformance suite catches broken repositories', () => {
  it('fails a repository that ignores the expected version', async () => {
    const checks = repositoryConformanceChecks({
      name: 'broken',
      makeRepository: lastWriteWins,
      makeEntity: (n) => newTicket(n),
      advance: renamed,
      filterCases: [],
      makeInvalid: (n) => ({ ...newTicket(n), priority: 'urgent' }),
    });
    const failed: string[] = [];
    for (const c of checks) {
      await c.run().catch(() => failed.push(c.name));
    }
    expect(failed).toEqual(
      expect.arrayContaining([
        'broken: a save with a stale version is a conflict and changes nothing',
        'broken: concurrent saves of one version: exactly one wins',
        'broken: creating an id that exists is a conflict',
        'broken: no save loses an update: read-modify-write with retries keeps every change',
      ]),
    );
  });
});
