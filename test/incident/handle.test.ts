import { incidentWorkflow, unwrap } from 'opscharter';
import { describe, expect, it } from 'vitest';
import { actors, errorOf, incidentIn, minute, setup } from './_support.js';

describe('3.1.3 handle', () => {
  it('takes the incident into work, assigned to the actor or to whom it names', async () => {
    const { ops } = setup();
    const a = await incidentIn(ops, 'assessed');
    const r = unwrap(await ops.incidents.start(actors.engineer, a.id));
    expect(r.assignee).toEqual({ id: actors.engineer.id, name: actors.engineer.name });
    const b = await incidentIn(ops, 'assessed');
    const s = unwrap(
      await ops.incidents.start(actors.opsManager, b.id, {
        assignee: { id: actors.networkEngineer.id, name: actors.networkEngineer.name },
      }),
    );
    expect(s.assignee?.id).toBe(actors.networkEngineer.id);
    errorOf(
      await ops.incidents.start(actors.reporter, (await incidentIn(ops, 'assessed')).id),
      'forbidden',
    );
  });

  it('logs every step with its result, who and when', async () => {
    const { ops, clock } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    clock.advance(10 * minute);
    unwrap(await ops.incidents.logStep(actors.engineer, inc.id, { action: 'a1', result: 'r1' }));
    clock.advance(5 * minute);
    const r = unwrap(
      await ops.incidents.logStep(actors.networkEngineer, inc.id, { action: 'a2', result: 'r2' }),
    );
    expect(r.steps).toEqual([
      {
        at: '2026-03-30T01:10:00.000Z',
        by: { id: 'u-ops-2', name: '张伟' },
        action: 'a1',
        result: 'r1',
      },
      {
        at: '2026-03-30T01:15:00.000Z',
        by: { id: 'u-ops-3', name: '刘洋' },
        action: 'a2',
        result: 'r2',
      },
    ]);
    const e = errorOf(
      await ops.incidents.logStep(actors.engineer, inc.id, { action: 'a3' } as never),
      'validation',
    );
    expect(e.issues[0]?.path).toBe('result');
    errorOf(
      await ops.incidents.logStep(actors.reporter, inc.id, { action: 'a', result: 'r' }),
      'forbidden',
    );
  });

  it('records escalations to a support team, outside experts or a vendor', async () => {
    const { ops, sink } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    unwrap(
      await ops.incidents.escalate(actors.engineer, inc.id, {
        to: 'support_team',
        name: 'DBA team',
        reason: 'Locks',
      }),
    );
    const r = unwrap(
      await ops.incidents.escalate(actors.engineer, inc.id, {
        to: 'outside_experts',
        name: 'Oracle ACS',
        reason: 'Unknown bug',
      }),
    );
    expect(r.state).toBe('in_progress');
    expect(r.escalations.map((e) => [e.to, e.name])).toEqual([
      ['support_team', 'DBA team'],
      ['outside_experts', 'Oracle ACS'],
    ]);
    expect(sink.events.at(-1)).toMatchObject({
      type: 'incident.escalate',
      data: { to: 'outside_experts', name: 'Oracle ACS' },
    });
    const bad = errorOf(
      await ops.incidents.escalate(actors.engineer, inc.id, {
        to: 'friends',
        name: 'x',
        reason: 'y',
      } as never),
      'validation',
    );
    expect(bad.issues[0]?.path).toBe('to');
  });

  it('puts the incident on hold with a reason and resumes it, clearing the hold', async () => {
    const { ops } = setup();
    const held = await incidentIn(ops, 'on_hold');
    expect(held.hold).toMatchObject({ reason: 'waiting_vendor', detail: 'case 1' });
    errorOf(
      await ops.incidents.logStep(actors.engineer, held.id, { action: 'a', result: 'r' }),
      'invalid_transition',
    );
    const r = unwrap(await ops.incidents.resume(actors.engineer, held.id));
    expect(r.state).toBe('in_progress');
    expect(r.hold).toBeUndefined();
  });

  it('lists every command with scope all: those of other states say where they apply', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    const all = unwrap(ops.incidents.availableCommands(inc, actors.engineer, { scope: 'all' }));
    const buttons = unwrap(ops.incidents.availableCommands(inc, actors.engineer));
    expect(all.length).toBe(incidentWorkflow.compiled.size);
    expect(all.filter((c) => c.violations[0]?.ruleId !== 'incident.workflow.not_in_state')).toEqual(
      buttons,
    );
    expect(all.find((c) => c.type === 'assess')).toMatchObject({
      allowed: false,
      violations: [
        expect.objectContaining({
          ruleId: 'incident.workflow.not_in_state',
          message: {
            zh: '「评估」只能在「已报告」状态下执行',
            en: 'Assess applies only in state Reported',
          },
          details: { command: 'assess', state: 'in_progress', appliesIn: ['reported'] },
        }),
      ],
    });
  });

  it('requires a logged step before recovery, unless the policy waives it', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    const buttons = unwrap(ops.incidents.availableCommands(inc, actors.engineer));
    expect(buttons.find((b) => b.type === 'recover')).toMatchObject({
      allowed: false,
      violations: [
        expect.objectContaining({ ruleId: 'incident.recover.steps_logged', clause: '3.1.3' }),
      ],
    });
    const e = errorOf(
      await ops.incidents.recover(actors.engineer, inc.id, { restoration: 'r' }),
      'policy_violation',
    );
    expect(e.violations[0]?.ruleId).toBe('incident.recover.steps_logged');
    const relaxed = setup({ incident: { stepsRequiredBeforeRecover: false } });
    const other = await incidentIn(relaxed.ops, 'in_progress');
    const r = await relaxed.ops.incidents.recover(actors.engineer, other.id, { restoration: 'r' });
    expect(r.ok && r.value.state).toBe('recovered');
  });
});
