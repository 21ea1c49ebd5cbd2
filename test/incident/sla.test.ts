import { definePolicy, slaStatus, unwrap } from 'opscharter';
import { describe, expect, it } from 'vitest';
import { actors, assessInput, hour, incidentIn, minute, reportInput, setup } from './_support.js';

const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => sh(local).toISOString();

describe('SLA from the history', () => {
  it('runs the response clock until the assessment and the resolution clock until recovery', async () => {
    const { ops, clock } = setup();
    const inc = unwrap(await ops.incidents.report(actors.reporter, reportInput()));
    const before = unwrap(ops.incidents.slaStatus(inc));
    expect(before).toMatchObject({ priority: 'P3', assessed: false });
    expect(before.response).toMatchObject({ clock: 'running', elapsedMs: 0, targetMs: 4 * hour });
    clock.advance(10 * minute);
    const assessed = unwrap(await ops.incidents.assess(actors.opsManager, inc.id, assessInput));
    const s = unwrap(ops.incidents.slaStatus(assessed));
    expect(s.priority).toBe('P1');
    expect(s.response).toMatchObject({
      clock: 'stopped',
      elapsedMs: 10 * minute,
      targetMs: 15 * minute,
      met: true,
      breached: false,
    });
    // Stopped at 10 of 15 minutes, before the 75 % mark: no warning was, or will be, reached.
    expect(s.response.warningAt).toBeUndefined();
    expect(s.resolution).toMatchObject({
      clock: 'running',
      elapsedMs: 10 * minute,
      remainingMs: 230 * minute,
    });
    expect(s.resolution.warningAt).toBe(iso('2026-03-30T12:00:00'));
    expect(s.resolution.breachAt).toBe(iso('2026-03-30T13:00:00'));
  });

  it('marks the warning at 75 % and the breach at 100 %', async () => {
    const { ops, clock } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    const at = (t: string) => unwrap(ops.incidents.slaStatus(inc, sh(t))).resolution;
    expect(at('2026-03-30T11:59:00')).toMatchObject({ warning: false, breached: false });
    expect(at('2026-03-30T12:00:00')).toMatchObject({
      warning: true,
      breached: false,
      fraction: 0.75,
    });
    const late = at('2026-03-30T13:30:00');
    expect(late).toMatchObject({
      warning: true,
      breached: true,
      remainingMs: -30 * minute,
      met: false,
    });
    expect(late.warningAt).toBe(iso('2026-03-30T12:00:00'));
    expect(late.breachAt).toBe(iso('2026-03-30T13:00:00'));
    clock.set(sh('2026-03-30T13:30:00'));
    const strict = setup({ incident: { sla: { warningAt: 0.5, breachAt: 0.9 } } });
    const other = await incidentIn(strict.ops, 'in_progress');
    expect(
      unwrap(strict.ops.incidents.slaStatus(other, sh('2026-03-30T11:00:00'))).resolution.warning,
    ).toBe(true);
    expect(
      unwrap(strict.ops.incidents.slaStatus(other, sh('2026-03-30T12:36:00'))).resolution.breached,
    ).toBe(true);
  });

  it('pauses on hold (waiting for a vendor) and resumes', async () => {
    const { ops, clock } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    clock.set(sh('2026-03-30T10:00:00'));
    const held = unwrap(
      await ops.incidents.hold(actors.engineer, inc.id, { reason: 'waiting_vendor', detail: 'v' }),
    );
    const paused = unwrap(ops.incidents.slaStatus(held, sh('2026-03-30T11:30:00'))).resolution;
    expect(paused).toMatchObject({ clock: 'paused', elapsedMs: hour });
    expect(paused.breachAt).toBeUndefined();
    clock.set(sh('2026-03-30T12:00:00'));
    const resumed = unwrap(await ops.incidents.resume(actors.engineer, inc.id));
    const r = unwrap(ops.incidents.slaStatus(resumed, sh('2026-03-30T13:00:00'))).resolution;
    expect(r).toMatchObject({ clock: 'running', elapsedMs: 2 * hour });
    expect(r.warningAt).toBe(iso('2026-03-30T14:00:00'));
    expect(r.breachAt).toBe(iso('2026-03-30T15:00:00'));
    // The same history read at an earlier instant gives the earlier status: nothing is stored.
    expect(
      unwrap(ops.incidents.slaStatus(resumed, sh('2026-03-30T09:30:00'))).resolution.elapsedMs,
    ).toBe(30 * minute);
  });

  it('stops at recovery, runs again when a failed verification reopens', async () => {
    const { ops, clock } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    unwrap(await ops.incidents.logStep(actors.engineer, inc.id, { action: 'a', result: 'r' }));
    clock.set(sh('2026-03-30T10:00:00'));
    const recovered = unwrap(
      await ops.incidents.recover(actors.engineer, inc.id, { restoration: 'r' }),
    );
    clock.set(sh('2026-03-30T15:00:00'));
    expect(unwrap(ops.incidents.slaStatus(recovered)).resolution).toMatchObject({
      clock: 'stopped',
      elapsedMs: hour,
      met: true,
    });
    const reopened = unwrap(
      await ops.incidents.verify(actors.opsManager, inc.id, {
        passed: false,
        result: 'no',
        businessAffected: true,
        effectGone: false,
      }),
    );
    const r = unwrap(ops.incidents.slaStatus(reopened, sh('2026-03-30T16:00:00'))).resolution;
    expect(r).toMatchObject({ clock: 'running', elapsedMs: 2 * hour });
  });

  it('counts business hours in Asia/Shanghai across a weekend and a holiday', async () => {
    const { ops } = setup(
      { incident: { sla: { calendar: { holidays: ['2026-04-06'] } } } },
      '2026-04-03T16:00:00+08:00',
    );
    const inc = unwrap(
      await ops.incidents.report(
        actors.reporter,
        reportInput({ occurredAt: '2026-04-03T15:50:00+08:00' }),
      ),
    );
    // Friday 16:00-18:00 counts, the weekend and the Monday holiday do not, Tuesday 09:00-10:00 does.
    const s = unwrap(ops.incidents.slaStatus(inc, sh('2026-04-07T10:00:00')));
    expect(s.priority).toBe('P3');
    expect(s.response).toMatchObject({ calendar: 'business', elapsedMs: 3 * hour, warning: true });
    expect(s.response.warningAt).toBe(iso('2026-04-07T10:00:00'));
    expect(s.response.breachAt).toBe(iso('2026-04-07T11:00:00'));
    const friday = unwrap(ops.incidents.slaStatus(inc, sh('2026-04-03T17:00:00')));
    expect(friday.response.breachAt).toBe(iso('2026-04-07T11:00:00'));
    // 27 working hours: Friday 2, Tuesday 9, Wednesday 9, Thursday 7.
    expect(friday.resolution.breachAt).toBe(iso('2026-04-09T16:00:00'));
  });

  it('recomputes against the new priority when it changes', async () => {
    const { ops, clock } = setup();
    const inc = unwrap(await ops.incidents.report(actors.reporter, reportInput()));
    clock.advance(10 * minute);
    unwrap(
      await ops.incidents.assess(actors.opsManager, inc.id, {
        ...assessInput,
        impact: 'low',
        urgency: 'medium',
      }),
    );
    const working = unwrap(await ops.incidents.start(actors.engineer, inc.id));
    const p4 = unwrap(ops.incidents.slaStatus(working, sh('2026-03-30T13:30:00')));
    expect(p4.priority).toBe('P4');
    expect(p4.resolution).toMatchObject({
      calendar: 'business',
      targetMs: 45 * hour,
      breached: false,
    });
    clock.set(sh('2026-03-30T13:30:00'));
    const raised = unwrap(
      await ops.incidents.reassess(actors.opsManager, inc.id, {
        impact: 'high',
        urgency: 'high',
        reason: 'All branches affected',
      }),
    );
    const p1 = unwrap(ops.incidents.slaStatus(raised));
    expect(p1.priority).toBe('P1');
    expect(p1.resolution).toMatchObject({ calendar: 'always', targetMs: 4 * hour, breached: true });
    expect(p1.resolution.breachAt).toBe(iso('2026-03-30T13:00:00'));
    expect(p1.response).toMatchObject({ elapsedMs: 10 * minute, met: true });
  });

  it('is a pure function of the incident, the instant and the policy', async () => {
    const { ops } = setup();
    const inc = await incidentIn(ops, 'in_progress');
    const policy = definePolicy({ incident: { sla: { runningStates: ['reported'] } } }).incident;
    expect(slaStatus(inc, sh('2026-03-30T12:00:00'), policy).resolution).toMatchObject({
      clock: 'paused',
      elapsedMs: 0,
    });
    expect(slaStatus(inc, sh('2026-03-30T08:00:00'), policy).resolution.elapsedMs).toBe(0);
  });
});
