import { defineIncidentPolicy, definePolicy, matrix3x3 } from 'opscharter';
import { describe, expect, it } from 'vitest';

describe('incident policy', () => {
  it('has the charter defaults', () => {
    const p = definePolicy().incident;
    expect(p.matrix).toEqual(matrix3x3);
    expect(p.assessRoles).toEqual(['ops_manager']);
    expect(p.delegateRoles).toEqual([]);
    expect(p.summaryRequired).toBe(true);
    expect(p.majorIncidentPriority).toBe('P1');
    expect(p.sla.calendar).toMatchObject({
      timeZone: 'Asia/Shanghai',
      days: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '18:00',
    });
    expect(p.sla.warningAt).toBe(0.75);
    expect(p.sla.breachAt).toBe(1);
    expect(p.sla.targets.P1).toEqual({
      responseMinutes: 15,
      resolutionMinutes: 240,
      calendar: 'always',
    });
    expect(p.sla.runningStates).toEqual(['reported', 'assessed', 'in_progress']);
    expect(Object.isFrozen(p.sla.targets)).toBe(true);
  });

  it('merges overrides with the defaults', () => {
    const p = definePolicy({
      incident: {
        sla: {
          warningAt: 0.8,
          targets: { P1: { responseMinutes: 10, resolutionMinutes: 120, calendar: 'always' } },
        },
      },
    }).incident;
    expect(p.sla.warningAt).toBe(0.8);
    expect(p.sla.targets.P1.resolutionMinutes).toBe(120);
    expect(p.sla.targets.P2.resolutionMinutes).toBe(480);
    expect(defineIncidentPolicy({ matrix: '5x5' }).matrix.impact).toHaveLength(5);
  });

  it('throws at start-up on a bad policy, naming the field', () => {
    expect(() =>
      definePolicy({ incident: { sla: { calendar: { timeZone: 'Mars/Olympus' } } } }),
    ).toThrow(/incident\.sla\.calendar\.timeZone/);
    expect(() => definePolicy({ incident: { sla: { warningAt: 0.9, breachAt: 0.8 } } })).toThrow(
      /warningAt/,
    );
    expect(() =>
      definePolicy({ incident: { sla: { calendar: { start: '18:00', end: '09:00' } } } }),
    ).toThrow(/calendar\.end/);
    expect(() => defineIncidentPolicy({ assessRoles: ['king' as 'ops_manager'] })).toThrow(
      /assessRoles/,
    );
  });
});
