import { incidentSpec } from 'opscharter/incident';
import { createMemoryRepository } from 'opscharter/memory';
import { describeRepositoryConformance } from 'opscharter/testing';
import { describe, expect, it } from 'vitest';

import { incidentConformance } from './conformance-options.js';

describeRepositoryConformance(
  { describe, it },
  {
    name: 'incident (memory)',
    makeRepository: () => createMemoryRepository(incidentSpec),
    ...incidentConformance,
  },
);

describe('incident repository filters', () => {
  it('refuses an unknown filter, naming it', async () => {
    const repo = createMemoryRepository(incidentSpec);
    const r = await repo.list({ where: { colour: 'red' } as never });
    expect(!r.ok && r.error.code).toBe('validation');
    expect(!r.ok && r.error.issues[0]?.path).toBe('where');
  });
});
