import {
  type Actor,
  collectingSink,
  createOps,
  definePolicy,
  type Incident,
  manualClock,
  type OpsError,
  type PolicyInput,
  type ReportIncidentInput,
  sequentialIds,
  unwrap,
} from 'opscharter';
import { createMemoryStore } from 'opscharter/memory';
import { people } from '../support/actors.js';

export const minute = 60_000;
export const hour = 60 * minute;

/** The actors of the incident tests. */
export const actors = {
  ...people,
  networkEngineer: {
    id: 'u-ops-3',
    name: '刘洋',
    department: 'it',
    departmentKind: 'it',
    roles: ['network_engineer'],
    level: 'staff',
  },
  itHead: {
    id: 'u-it-1',
    name: '陈静',
    department: 'it',
    departmentKind: 'it',
    roles: ['it_head'],
    level: 'department_head',
  },
  employee: {
    id: 'u-hr-1',
    name: '周杰',
    department: 'hr',
    departmentKind: 'other',
    roles: ['employee'],
    level: 'staff',
  },
} satisfies Record<string, Actor>;

/** A valid report (3.1.1). */
export function reportInput(extra: Partial<ReportIncidentInput> = {}): ReportIncidentInput {
  return {
    title: '核心业务系统无法登录',
    occurredAt: '2026-03-30T08:55:00+08:00',
    location: { system: 'core', cis: ['core-app-01'] },
    symptoms: 'Login page returns 500',
    impactScope: 'All branch counters',
    ...extra,
  };
}

export const assessInput = {
  impact: 'high',
  urgency: 'high',
  severity: 'critical',
  strategy: 'Restore first',
  actionPlan: 'Fail over the app tier',
} as const;

export const verifyPass = {
  passed: true,
  result: 'All checks green',
  notified: [{ name: 'Claims department', channel: 'email' }],
  businessAffected: true,
  effectGone: true,
} as const;

export const summaryInput = {
  cause: 'Expired certificate',
  fix: 'Renewed the certificate',
  lessons: 'Track expiry dates',
  preventiveMeasures: ['Alert 30 days before expiry'],
} as const;

/** A fresh ops with a memory store, a manual clock at Monday 2026-03-30 09:00 Shanghai. */
export function setup(policy: PolicyInput = {}, start = '2026-03-30T09:00:00+08:00') {
  const clock = manualClock(start);
  const sink = collectingSink();
  const store = createMemoryStore();
  const ops = createOps({ store, policy: definePolicy(policy), clock, ids: sequentialIds(), sink });
  return { ops, clock, sink, store };
}

type Ops = ReturnType<typeof setup>['ops'];

/** Drives an incident to a state through the service, the way the demo does. */
export async function incidentIn(
  ops: Ops,
  state:
    | 'reported'
    | 'assessed'
    | 'in_progress'
    | 'on_hold'
    | 'recovered'
    | 'verified'
    | 'summarised'
    | 'closed',
): Promise<Incident> {
  const { opsManager, engineer } = actors;
  let inc = unwrap(await ops.incidents.report(actors.reporter, reportInput()));
  if (state === 'reported') return inc;
  inc = unwrap(await ops.incidents.assess(opsManager, inc.id, assessInput));
  if (state === 'assessed') return inc;
  inc = unwrap(await ops.incidents.start(engineer, inc.id));
  if (state === 'in_progress') return inc;
  if (state === 'on_hold') {
    return unwrap(
      await ops.incidents.hold(engineer, inc.id, { reason: 'waiting_vendor', detail: 'case 1' }),
    );
  }
  inc = unwrap(await ops.incidents.logStep(engineer, inc.id, { action: 'restart', result: 'ok' }));
  inc = unwrap(await ops.incidents.recover(engineer, inc.id, { restoration: 'restarted' }));
  if (state === 'recovered') return inc;
  inc = unwrap(await ops.incidents.verify(opsManager, inc.id, verifyPass));
  if (state === 'verified') return inc;
  inc = unwrap(await ops.incidents.summarise(engineer, inc.id, summaryInput));
  if (state === 'summarised') return inc;
  return unwrap(await ops.incidents.close(opsManager, inc.id));
}

/** Asserts a result is an error with this code and returns the error, narrowed. */
export function errorOf<C extends OpsError['code']>(
  r: { ok: true; value: unknown } | { ok: false; error: OpsError },
  code: C,
): Extract<OpsError, { code: C }> {
  if (r.ok) throw new Error(`expected ${code}, got ok`);
  if (r.error.code !== code) {
    throw new Error(`expected ${code}, got ${r.error.code}: ${JSON.stringify(r.error)}`);
  }
  return r.error as Extract<OpsError, { code: C }>;
}
