import { createOps, definePolicy, type PolicyInput } from 'opscharter';
import {
  type ChangeEnv,
  type ChangeRequest,
  type ChangeRequestInput,
  changeWorkflow,
} from 'opscharter/change';
import {
  collectingSink,
  createEntity,
  decide,
  manualClock,
  sequentialIds,
  unwrap,
} from 'opscharter/core';
import { createMemoryStore } from 'opscharter/memory';
import type { Actor } from 'opscharter/org';

const person = (
  id: string,
  name: string,
  roles: Actor['roles'],
  level: Actor['level'],
  extra: Partial<Actor> = {},
): Actor => ({
  id,
  name,
  department: 'it',
  departmentKind: 'it',
  roles,
  level,
  ...extra,
});

/** The people of a small insurer's change process. */
export const staff = {
  requester: person('u-eng-1', '张伟', ['system_engineer'], 'staff'),
  implementer: person('u-eng-2', '刘洋', ['system_engineer'], 'staff'),
  verifier: person('u-eng-3', '陈静', ['system_engineer'], 'staff'),
  opsManager: person('u-ops-1', '王强', ['ops_manager'], 'manager'),
  opsManager2: person('u-ops-2', '赵磊', ['ops_manager'], 'manager'),
  itHead: person('u-it-1', '孙丽', ['it_head'], 'department_head'),
  deputy: person('u-it-2', '周敏', ['it_staff'], 'department_head'),
  financeItHead: person('u-it-3', '吴刚', ['it_head'], 'department_head'),
  cio: person('u-cio', '郑华', ['cio'], 'leadership'),
  cab1: person('u-cab-1', '钱一', ['cab_member'], 'manager'),
  cab2: person('u-cab-2', '钱二', ['cab_member'], 'manager'),
  cab3: person('u-cab-3', '钱三', ['cab_member'], 'manager'),
  exec: person('u-exec', '冯总', ['executive'], 'executive'),
  leaver: person('u-ops-9', '赵敏', ['ops_manager'], 'manager', { status: 'left' }),
  claimsManager: person('u-biz-1', '李娜', ['business_manager'], 'manager', {
    department: 'claims',
    departmentKind: 'business',
  }),
  financeManager: person('u-biz-2', '黄芳', ['business_manager'], 'manager', {
    department: 'finance',
    departmentKind: 'business',
  }),
} satisfies Record<string, Actor>;

/** Who holds which approval role where. */
export const assignments = [
  { actorId: staff.opsManager.id, role: 'ops_manager', domain: '*' },
  { actorId: staff.opsManager2.id, role: 'ops_manager', domain: '*' },
  { actorId: staff.leaver.id, role: 'ops_manager', domain: '*' },
  { actorId: staff.itHead.id, role: 'it_head', domain: '*' },
  { actorId: staff.financeItHead.id, role: 'it_head', domain: 'finance' },
  { actorId: staff.cio.id, role: 'cio', domain: '*' },
  { actorId: staff.cab1.id, role: 'cab_member', domain: '*' },
  { actorId: staff.cab2.id, role: 'cab_member', domain: '*' },
  { actorId: staff.cab3.id, role: 'cab_member', domain: '*' },
  { actorId: staff.exec.id, role: 'executive', domain: '*' },
] as const;

/** The default policy plus the directory above. */
export function testPolicy(overrides: PolicyInput['change'] = {}) {
  return definePolicy({
    change: {
      ...overrides,
      authority: {
        assignments: assignments.map((a) => ({ ...a })),
        ...(overrides?.authority ?? {}),
      },
    },
  });
}

/** Questionnaire answers for each risk level. */
export const answers = {
  low: {
    impact_breadth: 'single_ci',
    business_criticality: 'internal',
    complexity: 'simple',
    rollback: 'easy',
    tested: 'fully',
    timing: 'off_peak',
  },
  medium: {
    impact_breadth: 'several_cis',
    business_criticality: 'core',
    complexity: 'simple',
    rollback: 'easy',
    tested: 'fully',
    timing: 'off_peak',
  },
  high: {
    impact_breadth: 'single_ci',
    business_criticality: 'core',
    complexity: 'simple',
    rollback: 'easy',
    tested: 'untested',
    timing: 'off_peak',
  },
  critical: {
    impact_breadth: 'enterprise',
    business_criticality: 'regulatory',
    complexity: 'complex',
    rollback: 'hard',
    tested: 'fully',
    timing: 'off_peak',
  },
} as const;

/** 2026-04-08 09:00 in Shanghai: clear of every closing freeze. */
export const start = '2026-04-08T09:00:00+08:00';

/** A valid change request. */
export function requestInput(extra: Partial<ChangeRequestInput> = {}): ChangeRequestInput {
  return {
    type: 'normal',
    title: '升级理赔系统数据库补丁',
    description: 'Apply the quarterly patch to the claims database',
    reason: 'Vendor security fix',
    expectedEffect: 'Patch level 19.22, no functional change',
    scope: {
      cis: ['claims-db'],
      services: ['claims'],
      departments: ['claims'],
      domains: ['claims'],
    },
    plan: {
      steps: ['Stop the application', 'Apply the patch', 'Start and smoke-test'],
      windowStart: '2026-04-10T22:00:00+08:00',
      windowEnd: '2026-04-11T02:00:00+08:00',
      implementer: { id: staff.implementer.id, name: staff.implementer.name },
    },
    backupPlan: 'RMAN full backup before the patch',
    rollbackPlan: 'Restore from the backup and roll back the patch',
    testPlan: 'Smoke tests of claim registration and payment',
    ...extra,
  };
}

/** Ops wired to a memory store, a manual clock and a collecting sink. */
export function setup(overrides: PolicyInput['change'] = {}) {
  const clock = manualClock(start);
  const sink = collectingSink();
  const policy = testPolicy(overrides);
  const ops = createOps({ store: createMemoryStore(), policy, clock, ids: sequentialIds(), sink });
  return { ops, clock, sink, policy };
}

/** Files a normal change and takes it through pre-review and evaluation to awaiting approval. */
export async function toApproval(
  ops: ReturnType<typeof setup>['ops'],
  level: keyof typeof answers,
  extra: Partial<ChangeRequestInput> = {},
): Promise<ChangeRequest> {
  const c = unwrap(await ops.changes.request(staff.requester, requestInput(extra)));
  unwrap(await ops.changes.preReview(staff.opsManager2, c.id, { outcome: 'accept' }));
  unwrap(
    await ops.changes.evaluate(staff.opsManager2, c.id, {
      answers: answers[level],
      technicalFeasibility: 'Feasible, vendor-documented',
      businessImpact: 'Claims offline for four hours at night',
      riskMeasures:
        level === 'high' || level === 'critical' ? ['Standby DBA on call', 'Vendor hotline'] : [],
    }),
  );
  return unwrap(await ops.changes.submitForApproval(staff.requester, c.id));
}

/** A change entity built without a service, for pure-function tests. */
export function changeEntity(
  level: keyof typeof answers | undefined,
  extra: Partial<ChangeRequest> = {},
): ChangeRequest {
  const input = requestInput();
  const { entity } = createEntity<ChangeRequest>(
    'change',
    'submitted',
    'request',
    {
      id: 'CHG-X',
      ...input,
      scope: { services: [], departments: [], ...input.scope },
      requester: { id: staff.requester.id, name: staff.requester.name },
      revision: 1,
      approvals: [],
      escalations: [],
      linkedIncidentIds: [],
    } as never,
    staff.requester,
    new Date(start),
  );
  const base: ChangeRequest = {
    ...entity,
    state: 'awaiting_approval',
    approvalRequestedAt: new Date(start).toISOString(),
  };
  if (level === undefined) return { ...base, ...extra };
  return {
    ...base,
    evaluation: {
      by: { id: staff.opsManager2.id, name: staff.opsManager2.name },
      at: new Date(start).toISOString(),
      answers: answers[level],
      risk: { level, score: 0, drivers: [] },
      technicalFeasibility: 'ok',
      businessImpact: 'ok',
      riskMeasures: ['m'],
    },
    ...extra,
  };
}

/** Decides an approval purely, for tests that chain approvals without a store. */
export function approvePure(change: ChangeRequest, actor: Actor, env: ChangeEnv, at = start) {
  return decide(changeWorkflow, change, { type: 'approve', input: {} }, actor, {
    now: new Date(at),
    policy: env,
  });
}
