import { createOps, formatViolations, slaStatus, unwrap } from 'opscharter';
import { createMemoryStore } from 'opscharter/memory';

const ops = createOps({ store: createMemoryStore() });
const it = (id: string, name: string, role: 'ops_manager' | 'system_engineer') =>
  ({ id, name, department: 'it', departmentKind: 'it', roles: [role], level: 'staff' }) as const;
const manager = { ...it('u1', '王强', 'ops_manager'), level: 'manager' } as const;
const engineer = it('u2', '张伟', 'system_engineer');

const { id } = unwrap(
  await ops.incidents.report(engineer, {
    ...{ title: '理赔系统无法登录', symptoms: 'HTTP 502', impactScope: 'all branches' },
    ...{ occurredAt: new Date().toISOString(), location: { system: 'claims' } },
  }),
);
const plan = { impact: 'high', urgency: 'high', strategy: 'fail over', actionPlan: 'standby' };
const denied = await ops.incidents.assess(engineer, id, { ...plan, severity: 'critical' });
if (!denied.ok && denied.error.code === 'forbidden')
  console.log(formatViolations(denied.error.violations, 'zh')); // [3.1.2 incident.assess.role] 无权执行「评估」
const inc = unwrap(await ops.incidents.assess(manager, id, { ...plan, severity: 'critical' }));
console.log(inc.priority, slaStatus(inc, new Date(), ops.policy.incident).response.remainingMs);
const buttons = unwrap(ops.incidents.availableCommands(inc, engineer)); // a Result: the actor is validated
console.log(buttons.map((c) => `${c.type}: ${c.allowed}`));
