import { unwrap } from 'opscharter';
import { describe, expect, it } from 'vitest';
import { actors, errorOf, incidentIn, setup, summaryInput } from './_support.js';

describe('3.1.5 summarise and close', () => {
  it('requires the summary before close, and says so on the button', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'verified');
    const close = unwrap(ops.incidents.availableCommands(inc, actors.opsManager)).find(
      (c) => c.type === 'close',
    );
    expect(close).toMatchObject({
      allowed: false,
      clause: '3.1.5',
      violations: [expect.objectContaining({ ruleId: 'incident.close.summary_required' })],
    });
    const e = errorOf(await ops.incidents.close(actors.opsManager, inc.id), 'policy_violation');
    expect(e.message).toEqual({
      zh: '违反制度:关闭前须完成事件总结',
      en: 'Policy violation: The incident must be summarised before it closes',
    });
    const summarised = unwrap(await ops.incidents.summarise(actors.engineer, inc.id, summaryInput));
    expect(summarised.summary).toEqual(summaryInput);
    const closed = unwrap(await ops.incidents.close(actors.opsManager, inc.id));
    expect(closed.state).toBe('closed');
  });

  it('needs cause, fix, lessons and at least one preventive measure', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'verified');
    const e = errorOf(
      await ops.incidents.summarise(actors.engineer, inc.id, {
        ...summaryInput,
        lessons: '',
        preventiveMeasures: [],
      }),
      'validation',
    );
    expect(e.issues.map((i) => i.path).sort()).toEqual(['lessons', 'preventiveMeasures']);
  });

  it('closes without a summary when the policy does not require one', async () => {
    const { ops } = setup({ incident: { summaryRequired: false } });
    const inc = await incidentIn(ops, 'verified');
    const r = await ops.incidents.close(actors.opsManager, inc.id);
    expect(r.ok && r.value.state).toBe('closed');
  });

  it('only the ops manager closes; a closed incident takes no command', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'summarised');
    errorOf(await ops.incidents.close(actors.engineer, inc.id), 'forbidden');
    const closed = unwrap(await ops.incidents.close(actors.opsManager, inc.id));
    expect(unwrap(ops.incidents.availableCommands(closed, actors.opsManager))).toEqual([]);
    errorOf(await ops.incidents.start(actors.engineer, inc.id), 'invalid_transition');
  });

  it('cancels a report that is no incident, with a reason', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'reported');
    errorOf(await ops.incidents.cancel(actors.engineer, inc.id, { reason: 'dup' }), 'forbidden');
    const r = unwrap(
      await ops.incidents.cancel(actors.opsManager, inc.id, { reason: 'Duplicate of INC-1' }),
    );
    expect(r).toMatchObject({ state: 'cancelled', cancelReason: 'Duplicate of INC-1' });
    expect(unwrap(ops.incidents.slaStatus(r)).resolution.clock).toBe('stopped');
  });

  it('runs any command by name, as a portal button sends it', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'verified');
    const r = await ops.incidents.execute(actors.engineer, inc.id, {
      type: 'summarise',
      input: summaryInput,
      note: 'from the portal',
    });
    expect(r.ok && r.value.history.at(-1)).toMatchObject({
      command: 'summarise',
      note: 'from the portal',
    });
    const e = errorOf(
      await ops.incidents.execute(actors.engineer, inc.id, { type: 'explode' as never }),
      'validation',
    );
    expect(e.issues[0]?.path).toBe('type');
  });
});
