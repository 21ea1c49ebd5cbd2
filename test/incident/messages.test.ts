import { decide, type Incident, incidentWorkflow, parseIncidentId, unwrap } from 'opscharter';
import { describe, expect, it } from 'vitest';
import { actors, assessInput, errorOf, incidentIn, setup } from './_support.js';

// A portal shows these messages to an ops manager: they name states, commands, fields and the
// aggregate by their titles, while the error's own fields keep the ids machines match on.
describe('incident messages', () => {
  it('names the state and the command by their titles when a command does not apply', async () => {
    const { ops } = setup();
    const incident = await incidentIn(ops, 'reported');
    const e = errorOf(
      await ops.incidents.start(actors.engineer, incident.id),
      'invalid_transition',
    );
    expect(e).toMatchObject({ from: 'reported', command: 'start' });
    expect(e.message.zh).toBe('在「已报告」状态下不能执行「开始处理」');
    expect(e.message.en).toBe('Cannot start handling in state Reported');
  });

  it('names the target state and the missing field by their titles', async () => {
    // An incident stored before `impactScope` was required (an import, an older version):
    // entering `assessed` finds it missing.
    const { ops, clock } = setup();
    const { impactScope: _, ...legacy } = await incidentIn(ops, 'reported');
    const r = decide(
      incidentWorkflow,
      legacy as Incident,
      { type: 'assess', input: assessInput },
      actors.opsManager,
      { now: clock.now(), policy: ops.policy },
    );
    const e = errorOf(r, 'validation');
    expect(e.issues).toEqual([
      {
        path: 'impactScope',
        code: 'required',
        message: {
          zh: '在「已评估」状态下必须填写「影响范围」',
          en: 'Impact scope is required in state Assessed',
        },
      },
    ]);
    expect(e.message).toEqual(e.issues[0]?.message);
  });

  it('names the aggregate by its title when the id is unknown', async () => {
    const { ops } = setup();
    const unknown = unwrap(parseIncidentId('INC-404'));
    for (const r of [
      await ops.incidents.get(unknown),
      await ops.incidents.start(actors.engineer, unknown),
    ]) {
      const e = errorOf(r, 'not_found');
      expect(e).toMatchObject({ entity: 'incident', id: 'INC-404' });
      expect(e.message.zh).toBe('未找到事件 INC-404');
      expect(e.message.en).toBe('Incident INC-404 not found');
    }
  });

  it('names the aggregate by its title when a concurrent command won', async () => {
    const { ops } = setup();
    const incident = await incidentIn(ops, 'in_progress');
    const step = { action: 'restart', result: 'ok' };
    const [first, second] = await Promise.all([
      ops.incidents.logStep(actors.engineer, incident.id, step),
      ops.incidents.logStep(actors.engineer, incident.id, step),
    ]);
    expect(first.ok).toBe(true);
    const e = errorOf(second, 'conflict');
    expect(e).toMatchObject({ entity: 'incident', id: incident.id });
    expect(e.message.zh).toMatch(new RegExp(`^事件 ${incident.id} 已被修改`));
    expect(e.message.en).toMatch(new RegExp(`^Incident ${incident.id} was changed`));
  });

  it('has a title for every field a state requires or locks', () => {
    for (const [name, state] of Object.entries(incidentWorkflow.states)) {
      for (const field of [...(state.required ?? []), ...(state.readonly ?? [])]) {
        expect(incidentWorkflow.fields?.[field], `${name}: ${field}`).toBeDefined();
      }
    }
  });
});
