// Change approval end to end (charter 3.3): a medium-risk change approved, a high-risk change
// blocked with the reasons in Chinese and English, an emergency change approved retrospectively.
// Run: npx tsx --conditions=opscharter-source examples/change-approval.ts
import { createOps, definePolicy } from 'opscharter';
import type { ChangeRequestInput } from 'opscharter/change';
import {
  formatViolations,
  manualClock,
  type OpsError,
  sequentialIds,
  unwrap,
} from 'opscharter/core';
import { createMemoryStore } from 'opscharter/memory';
import type { Actor } from 'opscharter/org';

const it = (id: string, name: string, roles: Actor['roles'], level: Actor['level']): Actor => ({
  id,
  name,
  department: 'it',
  departmentKind: 'it',
  roles,
  level,
});
const engineer = it('u-eng-1', '张伟', ['system_engineer'], 'staff');
const dba = it('u-eng-2', '刘洋', ['data_engineer'], 'staff');
const tester = it('u-eng-3', '陈静', ['system_engineer'], 'staff');
const opsManager = it('u-ops-1', '王强', ['ops_manager'], 'manager');
const opsManager2 = it('u-ops-2', '赵磊', ['ops_manager'], 'manager');
const itHead = it('u-it-1', '孙丽', ['it_head'], 'department_head');
const cio = it('u-cio', '郑华', ['cio'], 'leadership');
const claims: Actor = {
  id: 'u-biz-1',
  name: '李娜',
  department: 'claims',
  departmentKind: 'business',
  roles: ['business_manager'],
  level: 'manager',
};

// The approver directory: who holds which approval role in which business domain.
const policy = definePolicy({
  change: {
    authority: {
      assignments: [
        { actorId: opsManager.id, role: 'ops_manager', domain: '*' },
        { actorId: opsManager2.id, role: 'ops_manager', domain: '*' },
        { actorId: itHead.id, role: 'it_head', domain: '*' },
        { actorId: cio.id, role: 'cio', domain: '*' },
      ],
    },
  },
});
const clock = manualClock('2026-04-08T09:00:00+08:00');
const ops = createOps({ store: createMemoryStore(), policy, clock, ids: sequentialIds() });

const request = (title: string, extra: Partial<ChangeRequestInput> = {}): ChangeRequestInput => ({
  type: 'normal',
  title,
  description: `${title}: details`,
  reason: 'Vendor security fix',
  expectedEffect: 'Patched, no functional change',
  scope: { cis: ['claims-db'], services: ['claims'], departments: ['claims'], domains: ['claims'] },
  plan: {
    steps: ['Back up', 'Apply the patch', 'Smoke-test'],
    windowStart: '2026-04-10T22:00:00+08:00',
    windowEnd: '2026-04-11T02:00:00+08:00',
    implementer: { id: dba.id, name: dba.name },
  },
  backupPlan: 'RMAN full backup',
  rollbackPlan: 'Restore the backup',
  testPlan: 'Claim registration and payment smoke tests',
  ...extra,
});

const answers = {
  medium: {
    impact_breadth: 'several_cis',
    business_criticality: 'core',
    complexity: 'simple',
    rollback: 'easy',
    tested: 'fully',
    timing: 'off_peak',
  },
  high: {
    impact_breadth: 'service_wide',
    business_criticality: 'core',
    complexity: 'moderate',
    rollback: 'hard',
    tested: 'partially',
    timing: 'off_peak',
  },
};

function explain(label: string, error: OpsError): void {
  console.log(`  ${label}: refused (${error.code})`);
  if (error.code === 'forbidden' || error.code === 'policy_violation') {
    console.log(formatViolations(error.violations, 'zh').replace(/^/gm, '    '));
    console.log(formatViolations(error.violations, 'en').replace(/^/gm, '    '));
  }
}

// 1. A medium-risk change: the ops manager, then the head of IT.
console.log('1. Medium-risk change');
const medium = unwrap(await ops.changes.request(engineer, request('Patch the claims database')));
unwrap(
  await ops.changes.preReview(opsManager2, medium.id, {
    outcome: 'accept',
    note: 'Necessary and feasible',
  }),
);
const evaluated = unwrap(
  await ops.changes.evaluate(opsManager2, medium.id, {
    answers: answers.medium,
    technicalFeasibility: 'Vendor-documented patch',
    businessImpact: 'Claims offline four hours at night',
  }),
);
const risk = evaluated.evaluation!.risk;
console.log(
  `  risk ${risk.level} (score ${risk.score}), driven by: ${risk.drivers.map((d) => d.title.en).join('; ')}`,
);
unwrap(await ops.changes.submitForApproval(engineer, medium.id));
console.log(
  `  required: ${ops.changes
    .requiredApprovals(unwrap(await ops.changes.get(medium.id)))
    .stages.map((s) => s.id)
    .join(' → ')}`,
);
unwrap(await ops.changes.approve(opsManager, medium.id));
const approved = unwrap(
  await ops.changes.approve(itHead, medium.id, { note: 'OK for Friday night' }),
);
console.log(
  `  ${approved.id}: ${approved.state} by ${approved.approvals.map((a) => a.by.name).join(', ')}`,
);

// 2. A high-risk change: blocked until every level has approved, each refusal saying why.
console.log('\n2. High-risk change');
const high = unwrap(
  await ops.changes.request(
    engineer,
    request('Migrate the claims database to new storage', {
      plan: {
        ...request('x').plan,
        windowStart: '2026-04-17T22:00:00+08:00',
        windowEnd: '2026-04-18T04:00:00+08:00',
      },
    }),
  ),
);
unwrap(await ops.changes.preReview(opsManager2, high.id, { outcome: 'accept' }));
unwrap(
  await ops.changes.evaluate(opsManager2, high.id, {
    answers: answers.high,
    technicalFeasibility: 'Tested on the staging copy',
    businessImpact: 'Claims offline six hours',
  }),
);
const noMeasures = await ops.changes.submitForApproval(engineer, high.id);
if (!noMeasures.ok) explain('submit without risk-response measures', noMeasures.error);
unwrap(
  await ops.changes.evaluate(opsManager2, high.id, {
    answers: answers.high,
    technicalFeasibility: 'Tested on the staging copy',
    businessImpact: 'Claims offline six hours',
    riskMeasures: ['Storage vendor on site', 'Rollback rehearsed on staging'],
  }),
);
unwrap(await ops.changes.submitForApproval(engineer, high.id));
const byCio = await ops.changes.approve(cio, high.id);
if (!byCio.ok) explain('the CIO approving before the ops manager and the head of IT', byCio.error);
const own = await ops.changes.approve(engineer, high.id);
if (!own.ok) explain('the requester approving their own change', own.error);
unwrap(await ops.changes.approve(opsManager, high.id));
const early = await ops.changes.startImplementation(dba, high.id, {
  backupConfirmed: true,
  backupReference: 'b',
});
if (!early.ok) explain('implementing before every level has approved', early.error);
const still = unwrap(await ops.changes.get(high.id));
console.log(
  `  ${still.id}: ${still.state}, still open: ${ops.changes.requiredApprovals(still).openStages.join(', ')}`,
);

// 3. An emergency: the ops manager's approval alone lets it go in; the full approval follows.
console.log('\n3. Emergency change');
clock.set('2026-04-10T23:30:00+08:00');
const emergency = unwrap(
  await ops.changes.request(
    engineer,
    request('Fix the payment batch that stopped', {
      type: 'emergency',
      scope: {
        cis: ['payment-batch'],
        services: ['claims'],
        departments: ['claims'],
        domains: ['claims'],
      },
      plan: {
        ...request('x').plan,
        windowStart: '2026-04-10T23:30:00+08:00',
        windowEnd: '2026-04-11T01:00:00+08:00',
        implementer: { id: tester.id, name: tester.name },
      },
    }),
  ),
);
const go = unwrap(
  await ops.changes.emergencyApprove(opsManager, emergency.id, { note: 'Payments stopped' }),
);
console.log(
  `  ${go.id}: ${go.state} by the ops manager alone; full approval due by ${go.retrospectiveDueAt}`,
);
unwrap(
  await ops.changes.startImplementation(tester, emergency.id, {
    backupConfirmed: true,
    backupReference: 'snapshot-2330',
  }),
);
unwrap(
  await ops.changes.logStep(tester, emergency.id, {
    step: 'Restart the batch with the fix',
    result: 'Payments flowing',
  }),
);
unwrap(await ops.changes.finishImplementation(tester, emergency.id, { outcome: 'succeeded' }));
clock.advance(10 * 3_600_000);
unwrap(
  await ops.changes.evaluate(opsManager2, emergency.id, {
    answers: answers.medium,
    technicalFeasibility: 'Done',
    businessImpact: 'Payments delayed two hours',
  }),
);
unwrap(await ops.changes.approve(opsManager, emergency.id, { note: 'Retrospective' }));
const retro = unwrap(await ops.changes.approve(itHead, emergency.id, { note: 'Retrospective' }));
console.log(`  retrospective approval complete: ${ops.changes.requiredApprovals(retro).complete}`);
unwrap(
  await ops.changes.verify(dba, emergency.id, {
    testResults: 'Batch ran',
    expectedEffectMet: true,
    noAdverseImpact: true,
  }),
);
unwrap(await ops.changes.confirm(claims, emergency.id, { note: 'Payments confirmed' }));
const closed = unwrap(
  await ops.changes.close(opsManager, emergency.id, { review: 'Add a batch watchdog' }),
);
console.log(
  `  ${closed.id}: ${closed.state}; findings: ${unwrap(await ops.changes.emergencyFindings()).length}`,
);
