import {
  type Actor,
  createIncident,
  decide,
  definePolicy,
  incidentWorkflow,
  parseCommand,
} from 'opscharter';

const opsManager: Actor = {
  id: 'u-ops-1',
  name: 'W',
  department: 'it',
  departmentKind: 'it',
  roles: ['ops_manager'],
  level: 'manager',
};
const engineer: Actor = { ...opsManager, id: 'u2', roles: ['system_engineer'], level: 'staff' };
const policy = definePolicy();
const start = Date.parse('2026-03-30T01:00:00Z');
const report = {
  title: 't',
  occurredAt: new Date(start).toISOString(),
  location: { system: 'core' },
  symptoms: 's',
  impactScope: 'i',
};
const p = (raw: unknown) => {
  const r = parseCommand(incidentWorkflow, raw);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const ctx = { now: new Date(start + 60000), policy };
let inc = createIncident(report, opsManager, new Date(start), `INC-1`).entity;
for (const [c, a] of [
  [
    p({
      type: 'assess',
      input: {
        impact: 'high',
        urgency: 'high',
        severity: 'critical',
        strategy: 's',
        actionPlan: 'p',
      },
    }),
    opsManager,
  ],
  [p({ type: 'start' }), engineer],
] as const) {
  const r = decide(incidentWorkflow, inc, c, a, ctx);
  if (r.ok) inc = r.value.next;
}
const log = p({ type: 'log_step', input: { action: 'restart', result: 'x' } });
for (let k = 0; k < 50; k++) {
  const r = decide(incidentWorkflow, inc, log, engineer, ctx);
  if (r.ok) inc = r.value.next;
}
console.log(
  'keys',
  Object.keys(inc).length,
  'history',
  inc.history.length,
  '%HasFastProperties n/a',
);
function time(name: string, f: () => unknown) {
  for (let i = 0; i < 2e4; i++) f();
  const t = performance.now();
  for (let i = 0; i < 2e5; i++) f();
  console.log(name, (((performance.now() - t) * 1e6) / 2e5).toFixed(0), 'ns');
}
time('spread clone', () => ({ ...inc }));
time('history slice+push', () => {
  const h = inc.history.slice();
  h.push(h[0]!);
  return h;
});
time('decide log_step (history 50)', () => decide(incidentWorkflow, inc, log, engineer, ctx));
const short = { ...inc, history: inc.history.slice(0, 3) };
time('decide log_step (history 3)', () => decide(incidentWorkflow, short, log, engineer, ctx));
const steps = (inc as any).steps;
console.log('steps len', steps?.length);
const wf: any = incidentWorkflow;
const compiled = wf.compiled.get('log_step');
const def = compiled.definition;
time('map get + set has', () => wf.compiled.get('log_step').from.has(inc.state));
time('roles fn', () => (typeof def.roles === 'function' ? def.roles(policy) : def.roles));
time('apply', () => def.apply(inc, log.input, engineer, ctx));
time('to', () => (typeof def.to === 'function' ? def.to(inc, log.input, ctx) : def.to));
time('clone+assign', () => {
  const n: any = { ...inc };
  Object.assign(n, { steps: [] });
  n.state = 'x';
  n.updatedAt = 'y';
  n.history = [];
  return n;
});
time('event obj', () => ({
  type: 'a',
  aggregate: 'b',
  id: inc.id,
  at: 'x',
  actor: { id: 'a', name: 'b' },
  command: 'c',
  from: 'd',
  to: 'e',
  data: undefined,
}));
time('toISOString', () => ctx.now.toISOString());
