import { type Incident, type IncidentFilter, IncidentIdSchema } from 'opscharter/incident';
import type { RepositoryConformanceOptions } from 'opscharter/testing';

const priorities = ['P1', 'P2', 'P3'] as const;
const states = ['reported', 'assessed', 'in_progress'] as const;

export function makeEntity(n: number): Incident {
  const at = new Date(Date.UTC(2026, 2, 30, 1, 0, n)).toISOString();
  const state = states[n % 3]!;
  return {
    id: IncidentIdSchema.parse(`INC-${String(n).padStart(6, '0')}`),
    state,
    version: 0,
    createdAt: at,
    updatedAt: at,
    history: [
      { seq: 1, at, actor: { id: 'u1', name: 'n' }, command: 'report', from: null, to: state },
    ],
    title: `incident ${n}`,
    occurredAt: at,
    location: { system: n % 2 ? 'core' : 'claims', cis: [`ci-${n % 4}`, 'shared-ci'] },
    symptoms: 's',
    impactScope: 'i',
    reportedBy: { id: `u${n % 2}`, name: 'n' },
    ...(state === 'reported' ? {} : { priority: priorities[n % 3]!, severity: 'major' as const }),
    major: n % 5 === 0,
    steps: [],
    escalations: [],
    verifications: [],
  };
}

export function advance(entity: Incident, n: number): Incident {
  const at = new Date(Date.parse(entity.updatedAt) + n * 1000).toISOString();
  return {
    ...entity,
    updatedAt: at,
    history: [
      ...entity.history,
      {
        seq: entity.history.length + 1,
        at,
        actor: { id: 'u2', name: 'e' },
        command: 'classify',
        from: entity.state,
        to: entity.state,
      },
    ],
  };
}

/** The conformance options of the incident aggregate, shared by every store's test. */
export const incidentConformance: Omit<
  RepositoryConformanceOptions<Incident, IncidentFilter>,
  'name' | 'makeRepository'
> = {
  makeEntity,
  advance,
  makeInvalid: (n) => ({ ...makeEntity(n), priority: 'P9' }),
  filterCases: [
    { where: { state: 'in_progress' }, matches: (e) => e.state === 'in_progress' },
    {
      where: { priority: ['P1', 'P2'] },
      matches: (e) => e.priority === 'P1' || e.priority === 'P2',
    },
    { where: { ci: 'ci-1' }, matches: (e) => e.location.cis?.includes('ci-1') ?? false },
    {
      where: { system: 'core', major: true },
      matches: (e) => e.location.system === 'core' && e.major === true,
    },
    { where: { severity: 'major' }, matches: (e) => e.severity === 'major' },
    { where: { reporter: 'u1' }, matches: (e) => e.reportedBy.id === 'u1' },
  ],
};
