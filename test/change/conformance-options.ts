import { type ChangeFilter, ChangeIdSchema, type ChangeRequest } from 'opscharter/change';
import type { RepositoryConformanceOptions } from 'opscharter/testing';
import { changeEntity, staff } from './fixtures.js';

const types = ['normal', 'emergency', 'standard'] as const;

export function makeEntity(n: number): ChangeRequest {
  const base = changeEntity(n % 2 === 0 ? 'low' : 'high');
  const at = new Date(Date.UTC(2026, 3, 1, 0, n)).toISOString();
  return {
    ...base,
    id: ChangeIdSchema.parse(`CHG-${String(n).padStart(6, '0')}`),
    version: 0,
    type: types[n % 3]!,
    createdAt: at,
    updatedAt: at,
    history: [{ ...base.history[0]!, at }],
    scope: {
      ...base.scope,
      cis: n % 4 === 0 ? ['claims-db', 'web'] : ['web'],
      domains: [n % 5 === 0 ? 'finance' : 'claims'],
    },
    plan: {
      ...base.plan,
      implementer: n % 2 === 0 ? base.plan.implementer : { id: staff.verifier.id, name: 'x' },
    },
  };
}

/** The conformance options of the change aggregate, shared by every store's test. */
export const changeConformance: Omit<
  RepositoryConformanceOptions<ChangeRequest, ChangeFilter>,
  'name' | 'makeRepository'
> = {
  makeEntity,
  advance: (e, n) => ({
    ...e,
    title: `${e.title} ${n}`,
    history: [
      ...e.history,
      {
        seq: e.history.length + 1,
        at: e.updatedAt,
        actor: { id: 'u', name: 'u' },
        command: 'amend',
        from: e.state,
        to: e.state,
      },
    ],
  }),
  filterCases: [
    { where: { type: 'emergency' }, matches: (e) => e.type === 'emergency' },
    { where: { risk: 'high' }, matches: (e) => e.evaluation?.risk.level === 'high' },
    { where: { ci: 'claims-db' }, matches: (e) => e.scope.cis.includes('claims-db') },
    { where: { domain: ['finance'] }, matches: (e) => e.scope.domains.includes('finance') },
    {
      where: { implementer: staff.verifier.id, state: 'awaiting_approval' },
      matches: (e) => e.plan.implementer.id === staff.verifier.id,
    },
    { where: { requester: 'nobody' }, matches: () => false },
    { where: { templateId: 'x' }, matches: () => false },
  ],
  makeInvalid: (n) => ({ ...makeEntity(n), type: 'sideways' }),
};
