import {
  approvedImplementationWindows,
  ChangeIdSchema,
  changeCalendar,
  freezePeriods,
  isInFreezeWindow,
  scheduleConflicts,
  withinMaintenanceWindows,
} from 'opscharter/change';
import { describe, expect, it } from 'vitest';
import { changeEntity, staff, testPolicy } from './fixtures.js';

const policy = testPolicy({
  calendar: {
    blackouts: [
      {
        id: 'golden-week',
        title: { zh: '国庆封网', en: 'Golden week' },
        start: '2026-10-01T00:00:00+08:00',
        end: '2026-10-08T00:00:00+08:00',
      },
    ],
    maintenanceWindows: { 'claims-db': [{ days: [5, 6], start: '22:00', end: '04:00' }] },
  },
});
const cal = policy.change.calendar;

describe('freeze calendar (3.3.4)', () => {
  it('computes month-, quarter- and year-end closing periods in Asia/Shanghai', () => {
    const periods = freezePeriods('2026-12-20T00:00:00+08:00', '2027-01-10T00:00:00+08:00', cal);
    const ye = periods.find((p) => p.kind === 'year_end');
    expect(ye).toMatchObject({
      id: 'year_end:2026-12',
      start: '2026-12-24T16:00:00.000Z', // 25 Dec 00:00 in Shanghai
      end: '2027-01-07T16:00:00.000Z', // 8 Jan 00:00 in Shanghai
    });
    expect(periods.map((p) => p.kind).sort()).toEqual(['month_end', 'quarter_end', 'year_end']);
  });

  it('answers for an instant, whatever the machine zone', () => {
    // 31 March 23:30 in Shanghai is still March: month- and quarter-end closing.
    expect(isInFreezeWindow('2026-03-31T15:30:00Z', cal)?.kind).toBe('quarter_end');
    expect(isInFreezeWindow('2026-04-08T09:00:00+08:00', cal)).toBeUndefined();
    expect(isInFreezeWindow('2026-10-06T12:00:00+08:00', cal)?.kind).toBe('blackout');
  });

  it('reads the calendar in another zone when configured', () => {
    const ny = testPolicy({ calendar: { timeZone: 'America/New_York' } }).change.calendar;
    // 3 May 11:00 in Shanghai is 2 May 23:00 in New York: inside New York's month-end freeze
    // (to 3 May 00:00 local), past Shanghai's (to 3 May 00:00 Shanghai).
    expect(isInFreezeWindow('2026-05-03T11:00:00+08:00', ny)?.kind).toBe('month_end');
    expect(isInFreezeWindow('2026-05-03T11:00:00+08:00', cal)).toBeUndefined();
  });

  it('can be switched off per kind', () => {
    const off = testPolicy({
      calendar: {
        monthEnd: { enabled: false, daysBefore: 1, daysAfter: 1 },
        quarterEnd: { enabled: false, daysBefore: 1, daysAfter: 1 },
      },
    }).change.calendar;
    expect(freezePeriods('2026-03-25T00:00:00Z', '2026-04-05T00:00:00Z', off)).toEqual([]);
  });
});

describe('maintenance windows', () => {
  it('accepts a window inside a weekly window running over midnight, in local time', () => {
    // Friday 10 April 2026 22:00 to Saturday 02:00, Shanghai.
    const w = cal.maintenanceWindows['claims-db']!;
    expect(
      withinMaintenanceWindows(
        '2026-04-10T22:00:00+08:00',
        '2026-04-11T02:00:00+08:00',
        w,
        'Asia/Shanghai',
      ),
    ).toBe(true);
    expect(
      withinMaintenanceWindows(
        '2026-04-08T22:00:00+08:00',
        '2026-04-09T02:00:00+08:00',
        w,
        'Asia/Shanghai',
      ),
    ).toBe(false);
    expect(
      withinMaintenanceWindows(
        '2026-04-11T03:00:00+08:00',
        '2026-04-11T05:00:00+08:00',
        w,
        'Asia/Shanghai',
      ),
    ).toBe(false);
  });
});

describe('scheduleConflicts (3.3.4)', () => {
  const base = changeEntity('low');

  it('reports a window in a freeze, unless the type is exempt', () => {
    const plan = {
      ...base.plan,
      windowStart: '2026-03-31T20:00:00+08:00',
      windowEnd: '2026-03-31T23:00:00+08:00',
    };
    const found = scheduleConflicts({ ...base, plan }, [], policy.change).map((v) => v.ruleId);
    expect(found).toContain('change.schedule.freeze');
    expect(
      scheduleConflicts({ ...base, type: 'emergency', plan }, [], policy.change).map(
        (v) => v.ruleId,
      ),
    ).not.toContain('change.schedule.freeze');
  });

  it("reports a window outside the CI's maintenance windows", () => {
    const plan = {
      ...base.plan,
      windowStart: '2026-04-08T22:00:00+08:00',
      windowEnd: '2026-04-08T23:00:00+08:00',
    };
    const found = scheduleConflicts({ ...base, plan }, [], policy.change);
    expect(found.map((v) => v.ruleId)).toEqual(['change.schedule.maintenance_window']);
  });

  it('reports overlapping approved changes on the same CI or implementer only', () => {
    const other = {
      ...changeEntity('low'),
      id: ChangeIdSchema.parse('CHG-Y'),
      state: 'approved' as const,
    };
    expect(scheduleConflicts(base, [other], policy.change)[0]).toMatchObject({
      ruleId: 'change.schedule.overlap',
      details: { other: 'CHG-Y', cis: ['claims-db'] },
    });
    const elsewhere = {
      ...other,
      scope: { ...other.scope, cis: ['web'] },
      plan: { ...other.plan, implementer: { id: 'someone', name: 'x' } },
    };
    expect(scheduleConflicts(base, [elsewhere], policy.change)).toEqual([]);
    const sameImplementer = { ...other, scope: { ...other.scope, cis: ['web'] } };
    expect(scheduleConflicts(base, [sameImplementer], policy.change)[0]?.details?.implementer).toBe(
      staff.implementer.id,
    );
    expect(scheduleConflicts(base, [{ ...other, state: 'closed' }], policy.change)).toEqual([]);
    expect(scheduleConflicts(base, [{ ...base, state: 'approved' }], policy.change)).toEqual([]);
  });
});

describe('change calendar and approved windows', () => {
  const a = { ...changeEntity('low'), id: ChangeIdSchema.parse('A'), state: 'approved' as const };
  const b = {
    ...changeEntity('low'),
    id: ChangeIdSchema.parse('B'),
    state: 'closed' as const,
    scope: { ...a.scope, cis: ['web'] },
    plan: {
      ...a.plan,
      windowStart: '2026-04-20T22:00:00+08:00',
      windowEnd: '2026-04-20T23:00:00+08:00',
    },
  };

  it('lists changes by window, CI and state', () => {
    const q = { from: '2026-04-01T00:00:00+08:00', to: '2026-05-01T00:00:00+08:00' };
    expect(changeCalendar([b, a], q).map((e) => e.id)).toEqual(['A', 'B']);
    expect(changeCalendar([a, b], { ...q, cis: ['web'] }).map((e) => e.id)).toEqual(['B']);
    expect(changeCalendar([a, b], { ...q, states: ['approved'] }).map((e) => e.id)).toEqual(['A']);
    expect(changeCalendar([a, b], { ...q, to: '2026-04-02T00:00:00+08:00' })).toEqual([]);
  });

  it('gives the approved windows on given CIs, optionally open at an instant', () => {
    expect(approvedImplementationWindows([a, b], ['claims-db', 'web'])).toEqual([
      { changeId: 'A', ci: 'claims-db', start: a.plan.windowStart, end: a.plan.windowEnd },
    ]);
    expect(
      approvedImplementationWindows([a], ['claims-db'], new Date('2026-04-10T23:00:00+08:00')),
    ).toHaveLength(1);
    expect(
      approvedImplementationWindows([a], ['claims-db'], new Date('2026-04-12T23:00:00+08:00')),
    ).toEqual([]);
  });
});
