import {
  createEntity,
  decide,
  defineIncidentPolicy,
  type Incident,
  incidentWorkflow,
  unwrap,
} from 'opscharter';
import { describe, expect, it } from 'vitest';
import { actors, assessInput, errorOf, incidentIn, setup } from './_support.js';

describe('3.1.2 assess', () => {
  it('only the ops manager assesses; the policy may name delegates', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'reported');
    const byEngineer = errorOf(
      await ops.incidents.assess(actors.engineer, inc.id, assessInput),
      'forbidden',
    );
    expect(byEngineer.violations[0]).toMatchObject({
      ruleId: 'incident.assess.role',
      clause: '3.1.2',
      details: { required: ['ops_manager'] },
    });
    expect(byEngineer.message.zh).toContain('评估');
    const delegated = setup({ incident: { delegateRoles: ['it_head'] } });
    const other = await incidentIn(delegated.ops, 'reported');
    const r = await delegated.ops.incidents.assess(actors.itHead, other.id, assessInput);
    expect(r.ok && r.value.priority).toBe('P1');
  });

  it('takes the priority from the 3×3 matrix and stores the assessment', async () => {
    const { ops, sink } = setup();
    const cases = [
      ['high', 'high', 'P1'],
      ['high', 'low', 'P3'],
      ['medium', 'medium', 'P3'],
      ['low', 'medium', 'P4'],
      ['low', 'low', 'P5'],
    ] as const;
    for (const [impact, urgency, priority] of cases) {
      const inc = await incidentIn(ops, 'reported');
      const r = unwrap(
        await ops.incidents.assess(actors.opsManager, inc.id, { ...assessInput, impact, urgency }),
      );
      expect(r).toMatchObject({
        state: 'assessed',
        priority,
        impact,
        urgency,
        major: false,
        severity: 'critical',
        strategy: assessInput.strategy,
        actionPlan: assessInput.actionPlan,
      });
    }
    expect(sink.events.filter((e) => e.type === 'incident.assess').map((e) => e.data)).toEqual(
      cases.map(([, , priority]) => ({ priority, major: false })),
    );
  });

  it('uses the 5×5 preset or a consumer table when the policy says so', async () => {
    const five = setup({ incident: { matrix: '5x5' } });
    const a = await incidentIn(five.ops, 'reported');
    const r = await five.ops.incidents.assess(actors.opsManager, a.id, {
      ...assessInput,
      impact: 'moderate',
      urgency: 'low',
    });
    expect(r.ok && r.value.priority).toBe('P3');
    const own = setup({
      incident: {
        matrix: {
          impact: ['big', 'small'],
          urgency: ['now', 'later'],
          table: [
            ['P1', 'P2'],
            ['P4', 'P5'],
          ],
        },
      },
    });
    const c = unwrap(
      await own.ops.incidents.report(actors.reporter, {
        title: 't',
        occurredAt: '2026-03-30T08:00:00+08:00',
        location: { system: 's' },
        symptoms: 's',
        impactScope: 's',
      }),
    );
    const d = await own.ops.incidents.assess(actors.opsManager, c.id, {
      ...assessInput,
      impact: 'small',
      urgency: 'later',
    });
    expect(d.ok && d.value.priority).toBe('P5');
    const e = errorOf(
      await own.ops.incidents.assess(actors.opsManager, c.id, assessInput),
      'validation',
    );
    expect(e.issues[0]?.message.en).toBe('Impact must be one of big | small');
  });

  it('gives a major incident the major-incident priority whatever the matrix says', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'reported');
    const r = await ops.incidents.assess(actors.opsManager, inc.id, {
      ...assessInput,
      impact: 'low',
      urgency: 'low',
      major: true,
    });
    expect(r.ok && [r.value.priority, r.value.major]).toEqual(['P1', true]);
    const custom = setup({ incident: { majorIncidentPriority: 'P2' } });
    const other = await incidentIn(custom.ops, 'reported');
    const s = await custom.ops.incidents.assess(actors.opsManager, other.id, {
      ...assessInput,
      impact: 'low',
      urgency: 'low',
      major: true,
    });
    expect(s.ok && s.value.priority).toBe('P2');
  });

  it('requires a handling strategy and an action plan, and a known level, naming the field', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'reported');
    const missing = errorOf(
      await ops.incidents.assess(actors.opsManager, inc.id, {
        impact: 'high',
        urgency: 'high',
        severity: 'major',
      } as never),
      'validation',
    );
    expect(missing.issues.map((i) => i.path).sort()).toEqual(['actionPlan', 'strategy']);
    const level = errorOf(
      await ops.incidents.assess(actors.opsManager, inc.id, {
        ...assessInput,
        impact: 'huge',
        urgency: 'soonish',
      }),
      'validation',
    );
    expect(level.issues.map((i) => i.path)).toEqual(['impact', 'urgency']);
    const stored = unwrap(await ops.incidents.get(inc.id));
    expect(stored).toEqual(inc);
  });

  it('requires the severity classification (3.1.1) before or with the assessment', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'reported');
    const { severity: _omit, ...withoutSeverity } = assessInput;
    const e = errorOf(
      await ops.incidents.assess(actors.opsManager, inc.id, withoutSeverity),
      'policy_violation',
    );
    expect(e.violations[0]).toMatchObject({ ruleId: 'incident.assess.severity_required' });
    unwrap(await ops.incidents.classify(actors.engineer, inc.id, { severity: 'minor' }));
    const r = unwrap(await ops.incidents.assess(actors.opsManager, inc.id, withoutSeverity));
    expect(r.severity).toBe('minor');
  });

  it('reassesses while the incident is worked, changing the locked priority', async () => {
    const { ops, sink } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    const r = unwrap(
      await ops.incidents.reassess(actors.opsManager, inc.id, {
        impact: 'medium',
        urgency: 'low',
        reason: 'Only one branch affected',
      }),
    );
    expect(r).toMatchObject({ state: 'in_progress', priority: 'P4', impact: 'medium' });
    expect(sink.events.at(-1)).toMatchObject({
      type: 'incident.reassess',
      data: { priority: 'P4' },
    });
    expect(incidentWorkflow.states.in_progress.readonly).toContain('priority');
    errorOf(
      await ops.incidents.reassess(actors.engineer, inc.id, {
        impact: 'high',
        urgency: 'high',
        reason: 'x',
      }),
      'forbidden',
    );
  });

  it('decide alone reports an unknown level as a policy violation of the matrix rule', () => {
    const policy = { incident: defineIncidentPolicy() };
    const now = new Date('2026-03-30T01:00:00Z');
    const { entity } = createEntity<Incident>(
      'incident',
      'reported',
      'report',
      {
        id: 'INC-1',
        title: 't',
        occurredAt: now.toISOString(),
        location: { system: 'core' },
        symptoms: 's',
        impactScope: 'i',
        reportedBy: { id: 'u', name: 'n' },
        severity: 'major',
        steps: [],
        escalations: [],
        verifications: [],
      },
      actors.reporter,
      now,
    );
    const r = decide(
      incidentWorkflow,
      entity,
      { type: 'assess', input: { ...assessInput, impact: 'x' } },
      actors.opsManager,
      { now, policy },
    );
    const e = errorOf(r, 'policy_violation');
    expect(e.violations[0]).toMatchObject({
      ruleId: 'incident.assess.matrix_level',
      details: { impact: 'x' },
    });
    expect(e.violations[0]?.message.zh).toContain('优先级矩阵');
  });

  it('enforces the fields each state requires', () => {
    const policy = { incident: defineIncidentPolicy() };
    const now = new Date('2026-03-30T01:00:00Z');
    const { entity } = createEntity<Incident>(
      'incident',
      'assessed',
      'report',
      {
        id: 'INC-1',
        title: 't',
        occurredAt: now.toISOString(),
        location: { system: 'core' },
        symptoms: 's',
        impactScope: 'i',
        reportedBy: { id: 'u', name: 'n' },
        severity: 'major',
        impact: 'high',
        urgency: 'high',
        priority: 'P1',
        strategy: 's',
        steps: [],
        escalations: [],
        verifications: [],
      },
      actors.reporter,
      now,
    );
    const e = errorOf(
      decide(incidentWorkflow, entity, { type: 'start' }, actors.engineer, { now, policy }),
      'validation',
    );
    expect(e.issues).toEqual([expect.objectContaining({ path: 'actionPlan', code: 'required' })]);
  });
});
