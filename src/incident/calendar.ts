import { TZDate } from '@date-fns/tz';
import type { BusinessCalendar } from './policy.js';

const dayMs = 86_400_000;

interface CompiledCalendar {
  readonly zone: string;
  readonly days: ReadonlySet<number>;
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlySet<string>;
  readonly start: readonly [number, number];
  readonly end: readonly [number, number];
}

const compiledCalendars = new WeakMap<BusinessCalendar, CompiledCalendar>();

function compile(calendar: BusinessCalendar): CompiledCalendar {
  let c = compiledCalendars.get(calendar);
  if (!c) {
    c = {
      zone: calendar.timeZone,
      days: new Set(calendar.days),
      holidays: new Set(calendar.holidays),
      workdays: new Set(calendar.workdays),
      start: hoursMinutes(calendar.start),
      end: hoursMinutes(calendar.end),
    };
    compiledCalendars.set(calendar, c);
  }
  return c;
}

function hoursMinutes(hhmm: string): [number, number] {
  return [Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5))];
}

/** The local calendar date of an instant in the zone, as a day number (days since 1970-01-01). */
function localDay(c: CompiledCalendar, ms: number): number {
  const d = new TZDate(ms, c.zone);
  return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / dayMs);
}

/** The working window of a local day, or `undefined` on a day off. */
function windowOf(c: CompiledCalendar, day: number): [number, number] | undefined {
  const date = new Date(day * dayMs);
  const key = date.toISOString().slice(0, 10);
  const working = c.workdays.has(key) || (c.days.has(date.getUTCDay()) && !c.holidays.has(key));
  if (!working) return undefined;
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  const start = new TZDate(y, m, d, c.start[0], c.start[1], c.zone).getTime();
  const end = new TZDate(y, m, d, c.end[0], c.end[1], c.zone).getTime();
  return [start, end];
}

/**
 * Milliseconds of working time between two instants in a business calendar: only working
 * hours of working days count, read in the calendar's own time zone, never the machine's.
 *
 * @example
 * const cal = { timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [], workdays: [] };
 * businessMsBetween(cal, new Date('2026-03-27T17:00:00+08:00'), new Date('2026-03-30T10:00:00+08:00'));
 * // 7_200_000: one hour on Friday, one on Monday
 */
export function businessMsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  const c = compile(calendar);
  const last = localDay(c, b);
  let total = 0;
  for (let day = localDay(c, a); day <= last; day++) {
    const w = windowOf(c, day);
    if (!w) continue;
    const s = Math.max(a, w[0]);
    const e = Math.min(b, w[1]);
    if (e > s) total += e - s;
  }
  return total;
}

/**
 * The instant at which `ms` milliseconds of working time will have passed after `from`, or
 * `undefined` if the calendar has no working time in the next ten years.
 *
 * @example
 * addBusinessMs(cal, new Date('2026-03-27T17:00:00+08:00'), 2 * 3_600_000);
 * // 2026-03-30T10:00:00+08:00 (Monday)
 */
export function addBusinessMs(
  calendar: BusinessCalendar,
  from: Date,
  ms: number,
): Date | undefined {
  const a = from.getTime();
  if (ms <= 0) return new Date(a);
  const c = compile(calendar);
  let left = ms;
  const first = localDay(c, a);
  for (let day = first; day < first + 3660; day++) {
    const w = windowOf(c, day);
    if (!w) continue;
    const s = Math.max(a, w[0]);
    if (w[1] <= s) continue;
    const available = w[1] - s;
    if (left <= available) return new Date(s + left);
    left -= available;
  }
  return undefined;
}
