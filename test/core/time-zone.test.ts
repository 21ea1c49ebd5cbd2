import { definePolicy, isTimeZone, TimeZoneSchema } from 'opscharter';
import { describe, expect, it } from 'vitest';

describe('time zones', () => {
  it('knows the zones the runtime knows', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Asia/Kathmandu')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    const bad = TimeZoneSchema.safeParse('Mars/Olympus');
    expect(bad.success).toBe(false);
  });

  it('every module refuses an unknown zone at start-up, naming the field', () => {
    expect(() =>
      definePolicy({ incident: { sla: { calendar: { timeZone: 'Mars/Olympus' } } } } as never),
    ).toThrow(/incident\.sla\.calendar\.timeZone: Unknown IANA time zone/);
    expect(() => definePolicy({ change: { calendar: { timeZone: 'Mars/Olympus' } } })).toThrow(
      /change\.calendar\.timeZone: Unknown IANA time zone/,
    );
    expect(() =>
      definePolicy({ security: { overrides: { zone: 'Mars/Olympus' } } } as never),
    ).toThrow(/security.*zone: Unknown IANA time zone/);
  });
});
