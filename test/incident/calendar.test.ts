import { addBusinessMs, type BusinessCalendar, businessMsBetween, definePolicy } from 'opscharter';
import { describe, expect, it } from 'vitest';

const hour = 3_600_000;
const shanghai: BusinessCalendar = definePolicy({
  incident: { sla: { calendar: { holidays: ['2026-04-06'], workdays: ['2026-04-12'] } } },
}).incident.sla.calendar;
const at = (local: string) => new Date(`${local}+08:00`);

describe('business calendar in a named zone', () => {
  it('runs under an odd-offset machine zone', () => {
    expect(new Date('2026-03-30T00:00:00Z').getTimezoneOffset()).toBe(-345);
  });

  it('counts working hours only, across a weekend', () => {
    // Friday 17:00 → Monday 10:00 Shanghai: one hour on Friday, one on Monday.
    expect(businessMsBetween(shanghai, at('2026-04-03T17:00:00'), at('2026-04-06T10:00:00'))).toBe(
      hour,
    );
    expect(businessMsBetween(shanghai, at('2026-03-27T17:00:00'), at('2026-03-30T10:00:00'))).toBe(
      2 * hour,
    );
    expect(businessMsBetween(shanghai, at('2026-03-30T07:00:00'), at('2026-03-30T20:00:00'))).toBe(
      9 * hour,
    );
    expect(businessMsBetween(shanghai, at('2026-03-30T10:00:00'), at('2026-03-30T09:00:00'))).toBe(
      0,
    );
  });

  it('skips holidays and counts make-up working days', () => {
    // Monday 2026-04-06 is a holiday; Sunday 2026-04-12 a make-up working day.
    expect(businessMsBetween(shanghai, at('2026-04-06T00:00:00'), at('2026-04-07T00:00:00'))).toBe(
      0,
    );
    expect(businessMsBetween(shanghai, at('2026-04-12T00:00:00'), at('2026-04-13T00:00:00'))).toBe(
      9 * hour,
    );
  });

  it('adds working time forward, over nights, weekends and holidays', () => {
    expect(addBusinessMs(shanghai, at('2026-03-27T17:00:00'), 2 * hour)).toEqual(
      at('2026-03-30T10:00:00'),
    );
    expect(addBusinessMs(shanghai, at('2026-04-03T17:30:00'), hour)).toEqual(
      at('2026-04-07T09:30:00'),
    );
    expect(addBusinessMs(shanghai, at('2026-03-28T12:00:00'), 0)).toEqual(
      at('2026-03-28T12:00:00'),
    );
    const never = { ...shanghai, days: [] as number[], workdays: [] as string[] };
    expect(addBusinessMs(never, at('2026-03-28T12:00:00'), hour)).toBeUndefined();
  });

  it('reads hours in the calendar zone, not the machine zone', () => {
    const london = { ...shanghai, timeZone: 'Europe/London', holidays: [], workdays: [] };
    // 09:00-18:00 London on Monday 30 March 2026 (BST, UTC+1) is 08:00-17:00 UTC.
    expect(
      businessMsBetween(london, new Date('2026-03-30T07:00:00Z'), new Date('2026-03-30T09:00:00Z')),
    ).toBe(hour);
  });
});
