import fc from 'fast-check';
import {
  type Actor,
  createEntity,
  decide,
  definePolicy,
  type Incident,
  type IncidentCommandType,
  incidentStates,
  incidentWorkflow,
  unwrap,
} from 'opscharter';
import { describe, expect, it } from 'vitest';
import {
  actors,
  assessInput,
  incidentIn,
  minute,
  reportInput,
  setup,
  summaryInput,
  verifyPass,
} from './_support.js';

/** Mostly ops staff, so that sequences get far; also people who may not act. */
const actorArb = fc.oneof(
  { arbitrary: fc.constant(actors.opsManager), weight: 4 },
  { arbitrary: fc.constant(actors.engineer), weight: 4 },
  { arbitrary: fc.constant(actors.networkEngineer), weight: 1 },
  { arbitrary: fc.constant(actors.reporter), weight: 1 },
  { arbitrary: fc.constant(actors.employee), weight: 1 },
  { arbitrary: fc.constant(actors.leaver), weight: 1 },
);
const actorPool: Actor[] = [
  actors.reporter,
  actors.opsManager,
  actors.engineer,
  actors.networkEngineer,
  actors.employee,
  actors.leaver,
];

const level = fc.constantFrom('high', 'medium', 'low');
const text = fc.constantFrom('a', 'restart the pool', '重启应用');
const cmd = <T extends IncidentCommandType>(type: T, input?: fc.Arbitrary<unknown>) =>
  input ? fc.record({ type: fc.constant(type), input }) : fc.record({ type: fc.constant(type) });

/** Valid-looking inputs per command, weighted towards progress; a few are malformed on purpose. */
const commandArb: fc.Arbitrary<{ type: IncidentCommandType; input?: unknown }> = fc.oneof(
  {
    arbitrary: cmd(
      'classify',
      fc.record({ severity: fc.constantFrom('critical', 'major', 'minor', 'low') }),
    ),
    weight: 3,
  },
  {
    arbitrary: cmd(
      'assess',
      fc.record(
        {
          impact: level,
          urgency: level,
          severity: fc.constantFrom('critical', 'minor'),
          major: fc.boolean(),
          strategy: text,
          actionPlan: text,
        },
        { requiredKeys: ['impact', 'urgency', 'severity', 'strategy', 'actionPlan'] },
      ),
    ),
    weight: 9,
  },
  {
    arbitrary: cmd('reassess', fc.record({ impact: level, urgency: level, reason: text })),
    weight: 3,
  },
  { arbitrary: cmd('start'), weight: 9 },
  { arbitrary: cmd('log_step', fc.record({ action: text, result: text })), weight: 9 },
  {
    weight: 3,
    arbitrary: cmd(
      'escalate',
      fc.record({
        to: fc.constantFrom('support_team', 'outside_experts', 'vendor'),
        name: text,
        reason: text,
      }),
    ),
  },
  {
    arbitrary: cmd('hold', fc.record({ reason: fc.constant('waiting_vendor'), detail: text })),
    weight: 3,
  },
  { arbitrary: cmd('resume'), weight: 6 },
  { arbitrary: cmd('recover', fc.record({ restoration: text })), weight: 9 },
  {
    arbitrary: cmd(
      'verify',
      fc.record({
        passed: fc.boolean(),
        result: text,
        notified: fc.constantFrom([], [{ name: 'claims' }]),
        businessAffected: fc.boolean(),
        effectGone: fc.boolean(),
      }),
    ),
    weight: 9,
  },
  { arbitrary: cmd('summarise', fc.constant(summaryInput)), weight: 6 },
  { arbitrary: cmd('close'), weight: 6 },
  { arbitrary: cmd('cancel', fc.record({ reason: text })), weight: 1 },
  {
    arbitrary: fc.record({
      type: fc.constantFrom<IncidentCommandType>('assess', 'log_step', 'verify'),
      input: fc.constantFrom({}, null, 'x'),
    }),
    weight: 3,
  },
);

const stepArb = fc.record({ command: commandArb, actor: actorArb });

function freshIncident(now: Date): Incident {
  return createEntity<Incident>(
    'incident',
    'reported',
    'report',
    {
      id: 'INC-000001',
      title: 't',
      occurredAt: now.toISOString(),
      location: { system: 'core' },
      symptoms: 's',
      impactScope: 'i',
      reportedBy: { id: 'u', name: 'n' },
      steps: [],
      escalations: [],
      verifications: [],
    },
    actors.reporter,
    now,
  ).entity;
}

/** Where the workflow's own data says a command leads from a state. */
const targetsOf = (type: string, from: string): readonly string[] =>
  incidentWorkflow.compiled.get(type)!.targets.get(from) ?? [];

describe('incident workflow properties', () => {
  const policy = definePolicy();

  it('random commands by random actors stay in the workflow; rejected ones change nothing', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 120, size: 'max' }), (steps) => {
        const start = Date.parse('2026-03-30T01:00:00Z');
        let incident = freshIncident(new Date(start));
        let accepted = 0;
        steps.forEach(({ command, actor }, i) => {
          const before = structuredClone(incident);
          const r = decide(incidentWorkflow, incident, command as never, actor, {
            now: new Date(start + (i + 1) * minute),
            policy,
          });
          expect(incident).toEqual(before);
          if (!r.ok) return;
          const next = r.value.next;
          expect(incidentWorkflow.compiled.get(command.type)!.from.has(incident.state)).toBe(true);
          expect(targetsOf(command.type, incident.state)).toContain(next.state);
          expect(incidentStates).toContain(next.state);
          expect(r.value.events).toHaveLength(1);
          accepted++;
          incident = next;
        });
        expect(incident.history).toHaveLength(accepted + 1);
        expect(incident.history.map((h) => h.seq)).toEqual(incident.history.map((_, i) => i + 1));
      }),
      { numRuns: 150 },
    );
  });

  it('through the service and the memory store: history and version count accepted commands', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 80, size: 'max' }), async (steps) => {
        const { ops, clock, sink } = setup();
        const first = unwrap(await ops.incidents.report(actors.reporter, reportInput()));
        let accepted = 0;
        for (const { command, actor } of steps) {
          clock.advance(minute);
          const before = unwrap(await ops.incidents.get(first.id));
          const events = sink.events.length;
          const r = await ops.incidents.execute(actor, first.id, command);
          const after = unwrap(await ops.incidents.get(first.id));
          if (r.ok) {
            accepted++;
            expect(after.version).toBe(before.version + 1);
            expect(after).toEqual(r.value);
          } else {
            expect(after).toEqual(before);
            expect(sink.events).toHaveLength(events);
          }
          expect(incidentStates).toContain(after.state);
        }
        const last = unwrap(await ops.incidents.get(first.id));
        expect(last.history).toHaveLength(accepted + 1);
        expect(last.version).toBe(accepted + 1);
        expect(sink.events).toHaveLength(accepted + 1);
      }),
      { numRuns: 60 },
    );
  });
});

/** A valid input and its required fields, per command with input. */
const validInputs: Record<string, { input: Record<string, unknown>; required: string[] }> = {
  classify: { input: { severity: 'major' }, required: ['severity'] },
  assess: { input: { ...assessInput }, required: ['impact', 'urgency', 'strategy', 'actionPlan'] },
  reassess: {
    input: { impact: 'low', urgency: 'low', reason: 'r' },
    required: ['impact', 'urgency', 'reason'],
  },
  log_step: { input: { action: 'a', result: 'r' }, required: ['action', 'result'] },
  escalate: { input: { to: 'vendor', name: 'n', reason: 'r' }, required: ['to', 'name', 'reason'] },
  hold: { input: { reason: 'waiting_vendor', detail: 'd' }, required: ['reason', 'detail'] },
  recover: { input: { restoration: 'r' }, required: ['restoration'] },
  verify: {
    input: { ...verifyPass },
    required: ['passed', 'result', 'businessAffected', 'effectGone'],
  },
  summarise: {
    input: { ...summaryInput },
    required: ['cause', 'fix', 'lessons', 'preventiveMeasures'],
  },
  cancel: { input: { reason: 'r' }, required: ['reason'] },
  report: {
    input: { ...reportInput() },
    required: ['title', 'occurredAt', 'location', 'symptoms', 'impactScope'],
  },
};

const wrongValue = fc.oneof(
  fc.integer(),
  fc.constant(null),
  fc.constant(''),
  fc.constant({ x: 1 }),
  fc.double({ noNaN: false }),
);

/** A malformed input and the field its error must name. */
const malformedArb = fc.constantFrom(...Object.keys(validInputs)).chain((type) => {
  const { input, required } = validInputs[type]!;
  return fc.oneof(
    fc
      .record({
        type: fc.constant(type),
        field: fc.constantFrom(...Object.keys(input)),
        value: wrongValue,
      })
      .map(({ field, value }) => ({ type, input: { ...input, [field]: value }, field })),
    fc.constantFrom(...required).map((field) => {
      const { [field]: _drop, ...rest } = input;
      return { type, input: rest, field };
    }),
    fc
      .string({ minLength: 1 })
      .filter((k) => !(k in input) && k !== '__proto__')
      .map((k) => ({ type, input: { ...input, [k]: 1 }, field: '' })),
  );
});

describe('malformed input', () => {
  it('always gives a validation error naming the field, never throws, stores nothing', async () => {
    const { ops, sink } = setup();
    const incident = await incidentIn(ops, 'assessed');
    const published = sink.events.length;
    await fc.assert(
      fc.asyncProperty(
        malformedArb,
        fc.constantFrom(...actorPool),
        async ({ type, input, field }, actor) => {
          const r =
            type === 'report'
              ? await ops.incidents.report(actor, input as never)
              : await ops.incidents.execute(actor, incident.id, {
                  type: type as IncidentCommandType,
                  input,
                });
          if (r.ok) throw new Error(`accepted malformed ${type}: ${JSON.stringify(input)}`);
          if (type === 'report' && actor.status === 'left') {
            expect(r.error.code).toBe('forbidden');
            return;
          }
          expect(r.error.code).toBe('validation');
          if (r.error.code !== 'validation') return;
          const paths = r.error.issues.map((i) => i.path);
          if (field === '')
            expect(r.error.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
          else expect(paths.some((p) => p === field || p.startsWith(`${field}.`))).toBe(true);
          for (const i of r.error.issues) expect(i.message.zh && i.message.en).toBeTruthy();
        },
      ),
      { numRuns: 400 },
    );
    expect(unwrap(await ops.incidents.get(incident.id))).toEqual(incident);
    const all = unwrap(await ops.incidents.list());
    expect(all.items).toHaveLength(1);
    expect(sink.events).toHaveLength(published);
  });

  it('never throws on arbitrary values for the actor, the input or the command', async () => {
    const { ops } = setup();
    const incident = await incidentIn(ops, 'reported');
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (a, b) => {
        const r1 = await ops.incidents.report(a as never, b as never);
        expect(r1.ok).toBe(false);
        const r2 = await ops.incidents.execute(actors.opsManager, incident.id, a as never);
        expect(r2.ok).toBe(false);
        const r3 = await ops.incidents.assess(b as never, incident.id, a as never);
        expect(!r3.ok && r3.error.code).toBe('validation');
      }),
      { numRuns: 200 },
    );
    expect(unwrap(await ops.incidents.get(incident.id))).toEqual(incident);
  });
});
