import fc from 'fast-check';
import {
  type Actor,
  availableCommands,
  decide,
  incidentWorkflow,
  type OpsError,
  type Result,
  unwrap,
} from 'opscharter';
import { describe, expect, it } from 'vitest';
import { requestInput, setup, staff, toApproval } from '../change/fixtures.js';
import { assessInput, reportInput } from '../incident/_support.js';
import { compliantSnapshot } from '../security/fixtures.js';
import { malformedActor, malformedDate, namesField } from '../support/malformed.js';

type Ops = ReturnType<typeof setup>['ops'];
type Outcome = Result<unknown, OpsError> | Promise<Result<unknown, OpsError>>;

/** Every stored aggregate, as JSON: what a rejected call must leave as it was. */
async function contents(ops: Ops): Promise<string> {
  const pages = [
    unwrap(await ops.incidents.list({ limit: 500 })),
    unwrap(await ops.changes.list({ limit: 500 })),
    unwrap(await ops.security.listWaivers({ limit: 500 })),
    unwrap(await ops.security.listReports({ limit: 500 })),
  ];
  for (const page of pages) expect(page.nextCursor).toBeUndefined();
  return JSON.stringify(pages.map((p) => p.items));
}

/** One incident, one change awaiting approval and one requested waiver, in one store. */
async function world() {
  const { ops, sink } = setup();
  const incident = unwrap(await ops.incidents.report(staff.requester, reportInput()));
  const change = await toApproval(ops, 'medium');
  const waiver = unwrap(
    await ops.security.requestWaiver(staff.requester, {
      ruleId: 'security.account.shared_enabled',
      subject: 'shared-1',
      reason: '柜面共享终端,有视频监控',
      expiresAt: '2026-06-30T00:00:00+08:00',
    }),
  );
  const ctx = { now: new Date('2026-04-08T01:00:00Z'), policy: ops.policy };
  return { ops, sink, incident, change, waiver, ctx };
}

type World = Awaited<ReturnType<typeof world>>;

/** Every entry point that takes an actor from outside, called with this one. */
function actorCalls({ ops, incident, change, waiver, ctx }: World, actor: Actor) {
  const classify = { type: 'classify', input: { severity: 'critical' } } as const;
  const calls: Record<string, () => Outcome> = {
    'decide(incidentWorkflow)': () => decide(incidentWorkflow, incident, classify, actor, ctx),
    'incidents.report': () => ops.incidents.report(actor, reportInput()),
    'incidents.assess': () => ops.incidents.assess(actor, incident.id, assessInput),
    'incidents.execute': () => ops.incidents.execute(actor, incident.id, classify),
    'incidents.availableCommands': () => ops.incidents.availableCommands(incident, actor),
    'changes.request': () => ops.changes.request(actor, requestInput()),
    'changes.approve': () => ops.changes.approve(actor, change.id),
    'changes.availableCommands': () => ops.changes.availableCommands(change, actor),
    'changes.canApprove': () => ops.changes.canApprove(actor, change),
    'security.run': () => ops.security.run(actor, compliantSnapshot()),
    'security.approveWaiver': () => ops.security.approveWaiver(actor, waiver.id),
    'security.availableWaiverCommands': () => ops.security.availableWaiverCommands(waiver, actor),
    'monitoring.acknowledge': () =>
      ops.monitoring.acknowledge(actor, 'fp', { reason: 'known', until: new Date() }),
    'monitoring.expireSilence': () => ops.monitoring.expireSilence(actor, 'SIL-1'),
  };
  return calls;
}

/** Every entry point that takes an instant from outside, with the field it must name. */
function dateCalls({ ops, incident, ctx }: World, at: unknown) {
  const d = at as Date;
  const calls: Record<string, [() => Outcome, string]> = {
    'decide(incidentWorkflow) ctx.now': [
      () =>
        decide(
          incidentWorkflow,
          incident,
          { type: 'classify', input: { severity: 'critical' } },
          staff.opsManager,
          { ...ctx, now: d },
        ),
      'ctx.now',
    ],
    'incidents.slaStatus': [() => ops.incidents.slaStatus(incident, d), 'at'],
    'changes.approvedWindows': [() => ops.changes.approvedWindows(['claims-db'], d), 'at'],
  };
  // Monitoring reads a missing instant (null too) as the clock's now.
  if (at !== null) {
    calls['monitoring.evaluate'] = [() => ops.monitoring.evaluate([], d), 'at'];
    calls['monitoring.run'] = [() => ops.monitoring.run(d), 'at'];
    calls['monitoring.tick'] = [() => ops.monitoring.tick(d), 'at'];
    calls['monitoring.explain'] = [() => ops.monitoring.explain('system_cpu_usage', {}, d), 'at'];
  }
  return calls;
}

describe('malformed actors and instants at the boundaries', () => {
  it('every entry point that takes an actor answers validation naming the field, and stores and publishes nothing', async () => {
    const w = await world();
    const before = await contents(w.ops);
    const published = w.sink.events.length;
    await fc.assert(
      fc.asyncProperty(malformedActor(staff.opsManager), async ({ value, field }) => {
        for (const [name, call] of Object.entries(actorCalls(w, value as Actor))) {
          const r = await call();
          expect({ name, names: namesField(r, field) }).toEqual({ name, names: true });
        }
        expect(await contents(w.ops)).toBe(before);
        expect(w.sink.events).toHaveLength(published);
      }),
      { numRuns: 150 },
    );
  });

  it('the kernel availableCommands refuses every button for a malformed actor, naming the field', async () => {
    const { incident, ctx } = await world();
    const types = availableCommands(incidentWorkflow, incident, staff.opsManager, ctx).map(
      (c) => c.type,
    );
    fc.assert(
      fc.property(malformedActor(staff.opsManager), ({ value, field }) => {
        const list = availableCommands(incidentWorkflow, incident, value as Actor, ctx);
        expect(list.map((c) => c.type)).toEqual(types);
        for (const c of list) {
          expect(c.allowed).toBe(false);
          const issues = c.violations[0]?.details?.issues as { path: string }[];
          expect(issues.some((i) => i.path === field || i.path.startsWith(`${field}.`))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every entry point that takes an instant answers validation naming it, and stores nothing', async () => {
    const w = await world();
    const before = await contents(w.ops);
    await fc.assert(
      fc.asyncProperty(malformedDate({ undefinedIsValid: true }), async (at) => {
        for (const [name, [call, field]] of Object.entries(dateCalls(w, at))) {
          const r = await call();
          expect({ name, names: namesField(r, field) }).toEqual({ name, names: true });
        }
        expect(await contents(w.ops)).toBe(before);
      }),
      { numRuns: 150 },
    );
  });

  it('the same entry points accept a well-formed actor and instant', async () => {
    const w = await world();
    expect(
      unwrap(w.ops.incidents.availableCommands(w.incident, staff.opsManager)).length,
    ).toBeGreaterThan(0);
    expect(unwrap(w.ops.incidents.slaStatus(w.incident, new Date())).priority).toBe('P3');
    expect(unwrap(w.ops.incidents.slaStatus(w.incident)).priority).toBe('P3');
    expect(unwrap(await w.ops.changes.canApprove(staff.itHead, w.change)).allowed).toBeTypeOf(
      'boolean',
    );
    expect(unwrap(await w.ops.changes.approvedWindows(['claims-db'], new Date()))).toEqual([]);
  });

  it('the calls that take an entity answer validation naming its field for a malformed one, never throw', async () => {
    const w = await world();
    // Near misses (a portal's half-loaded page) and anything at all, with a valid actor.
    const entity = (base: object) =>
      fc.oneof(
        fc.anything(),
        fc.constant({ ...base, history: [] }),
        fc.constant({ state: (base as { state: string }).state, history: [] }),
        fc
          .dictionary(fc.constantFrom('state', 'history', 'id', 'version'), fc.anything())
          .map((patch) => ({ ...base, ...patch })),
      );
    const calls = [
      [
        'incident',
        entity(w.incident),
        (e: unknown) => w.ops.incidents.availableCommands(e as never, staff.opsManager),
      ],
      [
        'change',
        entity(w.change),
        (e: unknown) => w.ops.changes.availableCommands(e as never, staff.opsManager),
      ],
      [
        'security_waiver',
        entity(w.waiver),
        (e: unknown) => w.ops.security.availableWaiverCommands(e as never, staff.opsManager),
      ],
      ['incident', entity(w.incident), (e: unknown) => w.ops.incidents.slaStatus(e as never)],
      [
        'change',
        entity(w.change),
        (e: unknown) => w.ops.changes.canApprove(staff.itHead, e as never),
      ],
    ] as const;
    for (const [name, arbitrary, call] of calls) {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (value) => {
          const r: Result<unknown, OpsError> = await call(value);
          if (r.ok) return; // a patch that kept the entity well formed
          expect(r.error.code).toBe('validation');
          if (r.error.code !== 'validation') return;
          for (const issue of r.error.issues) expect(issue.path.split('.')[0]).toBe(name);
          expect(r.error.message.zh.length * r.error.message.en.length).toBeGreaterThan(0);
        }),
        { numRuns: 150 },
      );
    }
    const half = unwrap(w.ops.incidents.availableCommands(w.incident, staff.opsManager));
    expect(half.length).toBeGreaterThan(0);
    const r = w.ops.incidents.availableCommands(
      { state: 'in_progress', history: [] } as never,
      staff.opsManager,
    );
    expect(!r.ok && r.error.code).toBe('validation');
  });
});
