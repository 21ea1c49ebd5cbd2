import { unwrap } from 'opscharter';
import { describe, expect, it } from 'vitest';
import { actors, errorOf, incidentIn, setup, verifyPass } from './_support.js';

describe('3.1.4 recover and verify', () => {
  it('records the restoration, who and when', async () => {
    const { ops } = setup();
    const r = await incidentIn(ops, 'recovered');
    expect(r.recovery).toEqual({
      at: '2026-03-30T01:00:00.000Z',
      by: { id: actors.engineer.id, name: actors.engineer.name },
      restoration: 'restarted',
    });
  });

  it('reopens on a failed verification, then verifies on a second recovery', async () => {
    const { ops, sink } = setup();
    const inc = await incidentIn(ops, 'recovered');
    const failed = unwrap(
      await ops.incidents.verify(actors.opsManager, inc.id, {
        passed: false,
        result: 'Uploads still fail',
        businessAffected: true,
        effectGone: false,
      }),
    );
    expect(failed.state).toBe('in_progress');
    expect(failed.verifications).toHaveLength(1);
    expect(failed.verifications[0]).toMatchObject({ passed: false, notified: [] });
    unwrap(await ops.incidents.recover(actors.engineer, inc.id, { restoration: 'proxy fixed' }));
    const passed = unwrap(await ops.incidents.verify(actors.opsManager, inc.id, verifyPass));
    expect(passed.state).toBe('verified');
    expect(passed.verifications.map((v) => v.passed)).toEqual([false, true]);
    expect(passed.verifications[1]).toMatchObject({
      notified: [{ name: 'Claims department', channel: 'email' }],
      businessAffected: true,
      effectGone: true,
    });
    expect(sink.events.at(-1)).toMatchObject({
      type: 'incident.verify',
      to: 'verified',
      data: { passed: true, notified: verifyPass.notified },
    });
    expect(passed.history.map((h) => h.to).slice(-4)).toEqual([
      'recovered',
      'in_progress',
      'recovered',
      'verified',
    ]);
  });

  it('refuses a pass while the effect remains, or without saying who was told', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'recovered');
    const e = errorOf(
      await ops.incidents.verify(actors.opsManager, inc.id, {
        ...verifyPass,
        effectGone: false,
        notified: [],
      }),
      'policy_violation',
    );
    expect(e.violations.map((v) => [v.ruleId, v.clause])).toEqual([
      ['incident.verify.effect_gone', '3.1.4'],
      ['incident.verify.notified', '3.1.4'],
    ]);
    expect(unwrap(await ops.incidents.get(inc.id))).toEqual(inc);
    const quiet = setup({ incident: { notificationRequired: false } });
    const other = await incidentIn(quiet.ops, 'recovered');
    const r = await quiet.ops.incidents.verify(actors.opsManager, other.id, {
      ...verifyPass,
      notified: [],
    });
    expect(r.ok && r.value.state).toBe('verified');
  });

  it('requires the verification facts, naming the missing ones', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'recovered');
    const e = errorOf(
      await ops.incidents.verify(actors.opsManager, inc.id, {
        passed: true,
        result: 'ok',
      } as never),
      'validation',
    );
    expect(e.issues.map((i) => i.path).sort()).toEqual(['businessAffected', 'effectGone']);
    errorOf(await ops.incidents.verify(actors.reporter, inc.id, verifyPass), 'forbidden');
  });
});
