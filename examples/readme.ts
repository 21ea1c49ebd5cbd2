import {
  type Actor,
  createOps,
  definePolicy,
  formatViolations,
  slaStatus,
  unwrap,
} from 'opscharter';
import { createMemoryStore } from 'opscharter/memory';

const ops = createOps({ store: createMemoryStore(), policy: definePolicy() });
const it = { department: 'it', departmentKind: 'it', level: 'manager' } as const;
const manager: Actor = { ...it, id: 'u1', name: '王强', roles: ['ops_manager'] };
const engineer: Actor = {
  ...it,
  id: 'u2',
  name: '张伟',
  roles: ['system_engineer'],
  level: 'staff',
};

const inc = unwrap(
  await ops.incidents.report(engineer, {
    title: '理赔系统无法登录 Claims system login fails',
    occurredAt: new Date().toISOString(),
    location: { system: 'claims', cis: ['claims-web-01'] },
    symptoms: 'HTTP 502 on login',
    impactScope: 'all branch offices',
  }),
);
const denied = await ops.incidents.assess(engineer, inc.id, {
  impact: 'high',
  urgency: 'high',
  severity: 'critical',
  strategy: 'fail over',
  actionPlan: 'switch to standby',
});
if (!denied.ok && denied.error.code === 'forbidden')
  console.log(formatViolations(denied.error.violations, 'zh'));
const assessed = unwrap(
  await ops.incidents.assess(manager, inc.id, {
    impact: 'high',
    urgency: 'high',
    severity: 'critical',
    strategy: 'fail over',
    actionPlan: 'switch to standby',
  }),
);
console.log(assessed.priority, slaStatus(assessed, new Date(), ops.policy.incident).response);
console.log(
  ops.incidents.availableCommands(assessed, engineer).map((c) => `${c.type}: ${c.allowed}`),
);
