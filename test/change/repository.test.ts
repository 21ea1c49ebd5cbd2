import { changeSpec } from 'opscharter/change';
import { createMemoryRepository } from 'opscharter/memory';
import { describeRepositoryConformance } from 'opscharter/testing';
import { describe, it } from 'vitest';
import { changeConformance } from './conformance-options.js';

describe('change repository', () => {
  describeRepositoryConformance(
    { describe, it },
    {
      name: 'change (memory)',
      makeRepository: () => createMemoryRepository(changeSpec),
      ...changeConformance,
    },
  );
});
