// The incident lifecycle of charter 3.1 end to end: `npm run demo`.
// A reporter reports an outage, the ops manager assesses it as P1, an engineer handles and
// recovers it, the first verification fails and reopens it, the second passes, the summary is
// written and the incident closes. A manual clock and sequential ids keep the output stable.
// `npm run demo -- --store pglite` runs the same story on an embedded PostgreSQL (PGlite)
// through the reference adapter in examples/postgres.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import {
  type Actor,
  collectingSink,
  createOps,
  definePolicy,
  type Incident,
  manualClock,
  type OpsError,
  type OpsStore,
  type SlaClock,
  sequentialIds,
  unwrap,
} from 'opscharter';
import { createMemoryStore } from 'opscharter/memory';

const zone = 'Asia/Shanghai';
const minutes = 60_000;

const reporter: Actor = {
  id: 'u-biz-1',
  name: '李娜',
  department: 'claims',
  departmentKind: 'business',
  roles: ['business_user'],
  level: 'staff',
};
const opsManager: Actor = {
  id: 'u-ops-1',
  name: '王强',
  department: 'it',
  departmentKind: 'it',
  roles: ['ops_manager'],
  level: 'manager',
};
const engineer: Actor = {
  id: 'u-ops-2',
  name: '张伟',
  department: 'it',
  departmentKind: 'it',
  roles: ['system_engineer'],
  level: 'staff',
};

/** The store named by `--store memory|pglite` (default memory). */
async function openStore(): Promise<{ store: OpsStore; name: string }> {
  const flag = process.argv.indexOf('--store');
  const name = flag >= 0 ? process.argv[flag + 1] : 'memory';
  if (name === 'memory') return { store: createMemoryStore(), name };
  if (name === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { openPostgresStore, opsAggregates, pgliteClient } = await import('./postgres/index.js');
    return {
      store: await openPostgresStore(pgliteClient(await PGlite.create()), opsAggregates),
      name,
    };
  }
  throw new Error(`--store takes memory or pglite, not ${name}`);
}

const { store, name: storeName } = await openStore();
console.log(`(store: ${storeName})`);
const clock = manualClock('2026-03-30T09:05:00+08:00');
const sink = collectingSink();
const ops = createOps({
  store,
  policy: definePolicy({ incident: { sla: { calendar: { holidays: ['2026-04-06'] } } } }),
  clock,
  ids: sequentialIds(),
  sink,
});

const local = (iso: string) => format(new TZDate(iso, zone), 'yyyy-MM-dd HH:mm');
const duration = (ms: number) => {
  const m = Math.round(Math.abs(ms) / minutes);
  return `${ms < 0 ? '-' : ''}${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
};

function buttons(incident: Incident, actor: Actor): void {
  const shown = unwrap(ops.incidents.availableCommands(incident, actor)).map((c) =>
    c.allowed ? `[${c.type}]` : `(${c.type}: ${c.violations[0]?.ruleId})`,
  );
  console.log(`    buttons for ${actor.name}: ${shown.join(' ') || '(none)'}`);
}

function clockLine(name: string, c: SlaClock): string {
  const marks = [
    c.warning ? 'WARNING' : '',
    c.breached ? 'BREACHED' : '',
    c.met ? 'met' : '',
  ].filter(Boolean);
  const due = c.clock === 'running' && c.breachAt ? `, due ${local(c.breachAt)}` : '';
  return `${name} ${c.clock} ${duration(c.elapsedMs)} of ${duration(c.targetMs)} (${Math.round(c.fraction * 100)}%${marks.length ? `, ${marks.join(', ')}` : ''})${due}`;
}

function sla(incident: Incident): void {
  const s = unwrap(ops.incidents.slaStatus(incident));
  console.log(
    `    SLA ${s.priority}: ${clockLine('response', s.response)}; ${clockLine('resolution', s.resolution)}`,
  );
}

function rejected(what: string, error: OpsError): void {
  console.log(`  ✗ rejected: ${what} → ${error.code}`);
  console.log(`      zh: ${error.message.zh}`);
  console.log(`      en: ${error.message.en}`);
  if ('violations' in error) {
    for (const v of error.violations) console.log(`      [${v.clause} ${v.ruleId}]`);
  }
}

async function step(
  label: string,
  advance: number,
  act: () => Promise<{ ok: true; value: Incident } | { ok: false; error: OpsError }>,
): Promise<Incident> {
  clock.advance(advance * minutes);
  const incident = unwrap(await act());
  console.log(`\n${local(clock.now().toISOString())}  ${label} → ${incident.state}`);
  sla(incident);
  buttons(incident, opsManager);
  buttons(incident, engineer);
  return incident;
}

console.log('opscharter quickstart: one incident through charter 3.1');

let inc = await step('李娜 reports: the claims system is down', 0, () =>
  ops.incidents.report(reporter, {
    title: '理赔系统无法访问 / Claims system unreachable',
    occurredAt: '2026-03-30T09:00:00+08:00',
    location: { system: 'claims', cis: ['claims-web-01', 'claims-db-01'] },
    symptoms: 'HTTP 502 on every page; adjusters cannot open claims',
    impactScope: 'All 300 claims adjusters, every branch',
  }),
);
const id = inc.id;

const early = await ops.incidents.assess(reporter, id, {
  impact: 'high',
  urgency: 'high',
  severity: 'critical',
  strategy: 'x',
  actionPlan: 'y',
});
if (!early.ok) rejected('the reporter tries to assess', early.error);
const unassessed = await ops.incidents.start(engineer, id);
if (!unassessed.ok) rejected('张伟 tries to start before the assessment', unassessed.error);

inc = await step('王强 assesses: impact high × urgency high', 7, () =>
  ops.incidents.assess(opsManager, id, {
    impact: 'high',
    urgency: 'high',
    severity: 'critical',
    strategy: 'Restore service first, root cause later',
    actionPlan: 'Fail over the web tier, check the database connection pool',
  }),
);
inc = await step('张伟 starts handling', 3, () => ops.incidents.start(engineer, id));
inc = await step('张伟 logs a step', 15, () =>
  ops.incidents.logStep(engineer, id, {
    action: 'Restarted claims-web-01',
    result: 'Still 502: the connection pool is exhausted',
  }),
);
inc = await step('张伟 escalates to the database vendor', 5, () =>
  ops.incidents.escalate(engineer, id, {
    to: 'vendor',
    name: 'DB vendor support',
    reason: 'Pool exhaustion after last night patch',
  }),
);
inc = await step('张伟 puts it on hold: waiting for the vendor (SLA paused)', 1, () =>
  ops.incidents.hold(engineer, id, { reason: 'waiting_vendor', detail: 'Vendor case #4711' }),
);
inc = await step('张伟 resumes: the vendor answered', 40, () => ops.incidents.resume(engineer, id));
inc = await step('张伟 logs a step', 20, () =>
  ops.incidents.logStep(engineer, id, {
    action: 'Applied the vendor hotfix, raised the pool size',
    result: 'Pages load again',
  }),
);
inc = await step('张伟 recovers the service', 5, () =>
  ops.incidents.recover(engineer, id, { restoration: 'Hotfix applied, pool raised to 200' }),
);
inc = await step('王强 verifies: FAILS, uploads still time out (reopens)', 20, () =>
  ops.incidents.verify(opsManager, id, {
    passed: false,
    result: 'Document uploads still time out',
    businessAffected: true,
    effectGone: false,
  }),
);
inc = await step('张伟 logs a step', 25, () =>
  ops.incidents.logStep(engineer, id, {
    action: 'Raised the upload proxy timeout',
    result: 'Uploads succeed',
  }),
);
inc = await step('张伟 recovers the service again', 5, () =>
  ops.incidents.recover(engineer, id, { restoration: 'Proxy timeout raised to 120 s' }),
);
inc = await step('王强 verifies: passes, claims department told', 15, () =>
  ops.incidents.verify(opsManager, id, {
    passed: true,
    result: 'All claim pages and uploads work; 20 test claims processed',
    notified: [{ name: '理赔部 / Claims department', channel: 'email' }],
    businessAffected: true,
    effectGone: true,
  }),
);

const tooSoon = await ops.incidents.close(opsManager, id);
if (!tooSoon.ok) rejected('王强 tries to close before the summary', tooSoon.error);

inc = await step('张伟 writes the summary', 60, () =>
  ops.incidents.summarise(engineer, id, {
    cause: 'Last night database patch lowered the default connection pool size',
    fix: 'Vendor hotfix, larger pool, longer upload proxy timeout',
    lessons: 'Patch notes were not read for changed defaults',
    preventiveMeasures: [
      'Check changed defaults in every patch review',
      'Alert on pool usage > 80%',
    ],
  }),
);
inc = await step('王强 closes the incident', 5, () => ops.incidents.close(opsManager, id));

console.log('\nTimeline (history):');
for (const h of inc.history) {
  console.log(
    `  ${h.seq}. ${local(h.at)}  ${h.actor.name}  ${h.command}  ${h.from ?? '∅'} → ${h.to}`,
  );
}
console.log('\nFinal SLA:');
sla(inc);
console.log(`\nEvents published: ${sink.events.map((e) => e.type).join(', ')}`);
