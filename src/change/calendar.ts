import { TZDate } from '@date-fns/tz';
import { type LocalizedText, text } from '../core/text.js';
import { type Violation, violation } from '../core/violation.js';
import type { ChangeRequest, ChangeState, ChangeType, RiskLevel } from './model.js';
import type { ChangePolicy, MaintenanceWindow } from './policy.js';
import { changeRule } from './rules.js';

/** A period in which changes are frozen: a closing period or a fixed blackout. */
export interface FreezePeriod {
  readonly id: string;
  readonly kind: 'month_end' | 'quarter_end' | 'year_end' | 'blackout';
  readonly title: LocalizedText;
  /** ISO instants, start inclusive, end exclusive. */
  readonly start: string;
  readonly end: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The freeze periods that intersect `[from, to)`: month-, quarter- and year-end closing periods
 * computed in the calendar's time zone (default Asia/Shanghai), and the fixed blackouts.
 *
 * @example
 * freezePeriods('2026-03-28T00:00:00+08:00', '2026-04-05T00:00:00+08:00', policy.change.calendar);
 * // [{ kind: 'quarter_end', start: '2026-03-28T16:00:00.000Z', ... }, ...]
 */
export function freezePeriods(
  from: string | Date,
  to: string | Date,
  calendar: ChangePolicy['calendar'],
): FreezePeriod[] {
  const fromMs = new Date(from).getTime();
  const toMs = new Date(to).getTime();
  const tz = calendar.timeZone;
  const out: FreezePeriod[] = [];
  // Closing periods reach at most ~a month either side of a month boundary.
  const first = new TZDate(fromMs - 40 * DAY, tz);
  const last = new TZDate(toMs + 40 * DAY, tz);
  let year = first.getFullYear();
  let month = first.getMonth();
  while (year < last.getFullYear() || (year === last.getFullYear() && month <= last.getMonth())) {
    // The boundary is local midnight starting month + 1.
    const label = `${year}-${String(month + 1).padStart(2, '0')}`;
    const add = (
      kind: FreezePeriod['kind'],
      cfg: { enabled: boolean; daysBefore: number; daysAfter: number },
      zh: string,
      en: string,
    ) => {
      if (!cfg.enabled || cfg.daysBefore + cfg.daysAfter === 0) return;
      const start = new TZDate(year, month + 1, 1 - cfg.daysBefore, tz).getTime();
      const end = new TZDate(year, month + 1, 1 + cfg.daysAfter, tz).getTime();
      if (start < toMs && fromMs < end) {
        out.push({
          id: `${kind}:${label}`,
          kind,
          title: text(`${label} ${zh}`, `${label} ${en}`),
          start: new Date(start).toISOString(),
          end: new Date(end).toISOString(),
        });
      }
    };
    add('month_end', calendar.monthEnd, '月末结账封网期', 'month-end closing freeze');
    if (month % 3 === 2)
      add('quarter_end', calendar.quarterEnd, '季末结账封网期', 'quarter-end closing freeze');
    if (month === 11)
      add('year_end', calendar.yearEnd, '年末结账封网期', 'year-end closing freeze');
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  for (const b of calendar.blackouts) {
    if (Date.parse(b.start) < toMs && fromMs < Date.parse(b.end)) {
      out.push({
        id: `blackout:${b.id}`,
        kind: 'blackout',
        title: b.title,
        start: b.start,
        end: b.end,
      });
    }
  }
  return out.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/**
 * The freeze period an instant falls in, if any.
 *
 * @example
 * isInFreezeWindow('2026-03-31T10:00:00+08:00', policy.change.calendar)?.kind; // 'month_end'
 */
export function isInFreezeWindow(
  at: string | Date,
  calendar: ChangePolicy['calendar'],
): FreezePeriod | undefined {
  const ms = new Date(at).getTime();
  return freezePeriods(new Date(ms), new Date(ms + 1), calendar)[0];
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * Tells whether `[start, end)` lies inside the weekly maintenance windows (local time in the
 * calendar's zone); a window may run over midnight when `end` is before `start`.
 *
 * @example
 * withinMaintenanceWindows(start, end, [{ days: [6, 7], start: '00:00', end: '06:00' }], 'Asia/Shanghai');
 */
export function withinMaintenanceWindows(
  start: string | Date,
  end: string | Date,
  windows: readonly MaintenanceWindow[],
  timeZone: string,
): boolean {
  const s = new Date(start).getTime();
  const e = new Date(end).getTime();
  const intervals: [number, number][] = [];
  const firstDay = new TZDate(s - DAY, timeZone);
  const days = Math.ceil((e - s) / DAY) + 2;
  for (let i = 0; i <= days; i++) {
    const day = new TZDate(
      firstDay.getFullYear(),
      firstDay.getMonth(),
      firstDay.getDate() + i,
      timeZone,
    );
    const iso = day.getDay() === 0 ? 7 : day.getDay();
    for (const w of windows) {
      if (!w.days.includes(iso)) continue;
      const a = minutesOf(w.start);
      let b = minutesOf(w.end);
      if (b <= a) b += 24 * 60;
      const from = new TZDate(
        day.getFullYear(),
        day.getMonth(),
        day.getDate(),
        0,
        a,
        timeZone,
      ).getTime();
      const to = new TZDate(
        day.getFullYear(),
        day.getMonth(),
        day.getDate(),
        0,
        b,
        timeZone,
      ).getTime();
      intervals.push([from, to]);
    }
  }
  intervals.sort((x, y) => x[0] - y[0]);
  let covered = s;
  for (const [a, b] of intervals) {
    if (a > covered) break;
    if (b > covered) covered = b;
    if (covered >= e) return true;
  }
  return covered >= e;
}

/** States in which a change holds its window on the calendar. */
export const scheduledStates: readonly ChangeState[] = ['approved', 'implementing'];

function overlaps(a: ChangeRequest, b: ChangeRequest): boolean {
  return (
    Date.parse(a.plan.windowStart) < Date.parse(b.plan.windowEnd) &&
    Date.parse(b.plan.windowStart) < Date.parse(a.plan.windowEnd)
  );
}

/**
 * The scheduling problems of a change (3.3.4): a window inside a freeze period (unless the type
 * is exempt, emergencies by default), a window outside a CI's maintenance windows, and an
 * overlap with another approved change on the same CI or with the same implementer. Run before
 * approval and again before implementation.
 *
 * @example
 * scheduleConflicts(change, approvedChanges, policy.change).map((v) => v.ruleId);
 * // ['change.schedule.freeze']
 */
export function scheduleConflicts(
  change: ChangeRequest,
  others: readonly ChangeRequest[],
  policy: ChangePolicy,
): Violation[] {
  const out: Violation[] = [];
  const cal = policy.calendar;
  const { windowStart, windowEnd } = change.plan;
  if (!cal.freezeExemptTypes.includes(change.type)) {
    for (const p of freezePeriods(windowStart, windowEnd, cal)) {
      out.push(
        violation(
          changeRule.freeze,
          text(
            `实施窗口与${p.title.zh}(${p.start} 至 ${p.end})重叠`,
            `The window overlaps the ${p.title.en} (${p.start} to ${p.end})`,
          ),
          { period: p.id, start: p.start, end: p.end },
        ),
      );
    }
  }
  for (const ci of change.scope.cis) {
    const windows = cal.maintenanceWindows[ci];
    if (!windows || windows.length === 0) continue;
    if (!withinMaintenanceWindows(windowStart, windowEnd, windows, cal.timeZone)) {
      out.push(
        violation(
          changeRule.maintenanceWindow,
          text(
            `实施窗口不在 ${ci} 的维护窗口内`,
            `The window is outside the maintenance windows of ${ci}`,
          ),
          { ci, windows },
        ),
      );
    }
  }
  for (const other of others) {
    if (
      other.id === change.id ||
      !scheduledStates.includes(other.state) ||
      !overlaps(change, other)
    ) {
      continue;
    }
    const shared = change.scope.cis.filter((ci) => other.scope.cis.includes(ci));
    const sameImplementer = other.plan.implementer.id === change.plan.implementer.id;
    if (shared.length === 0 && !sameImplementer) continue;
    out.push(
      violation(
        changeRule.overlap,
        text(
          `与已批准变更 ${other.id} 的窗口重叠(${shared.length > 0 ? `配置项 ${shared.join('、')}` : `实施人 ${other.plan.implementer.name}`})`,
          `The window overlaps approved change ${other.id} (${shared.length > 0 ? `CIs ${shared.join(', ')}` : `implementer ${other.plan.implementer.name}`})`,
        ),
        {
          other: other.id,
          cis: shared,
          implementer: sameImplementer ? other.plan.implementer.id : undefined,
        },
      ),
    );
  }
  return out;
}

/** One change on the change calendar. */
export interface CalendarEntry {
  readonly id: string;
  readonly title: string;
  readonly type: ChangeType;
  readonly state: ChangeState;
  readonly risk?: RiskLevel | undefined;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly cis: readonly string[];
  readonly implementer: string;
}

/** What the change calendar shows: a time range, and optionally some CIs or states. */
export interface CalendarQuery {
  readonly from: string;
  readonly to: string;
  readonly cis?: readonly string[] | undefined;
  readonly states?: readonly ChangeState[] | undefined;
}

/**
 * The change calendar: changes whose window meets `[from, to)`, optionally on given CIs and in
 * given states, by window start.
 *
 * @example
 * changeCalendar(changes, { from: '2026-04-01T00:00:00+08:00', to: '2026-05-01T00:00:00+08:00', cis: ['core-db'] });
 */
export function changeCalendar(
  changes: readonly ChangeRequest[],
  query: CalendarQuery,
): CalendarEntry[] {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  return changes
    .filter(
      (c) =>
        Date.parse(c.plan.windowStart) < to &&
        from < Date.parse(c.plan.windowEnd) &&
        (!query.cis || c.scope.cis.some((ci) => query.cis!.includes(ci))) &&
        (!query.states || query.states.includes(c.state)),
    )
    .sort(
      (a, b) =>
        Date.parse(a.plan.windowStart) - Date.parse(b.plan.windowStart) || (a.id < b.id ? -1 : 1),
    )
    .map((c) => ({
      id: c.id,
      title: c.title,
      type: c.type,
      state: c.state,
      risk: c.evaluation?.risk.level,
      windowStart: c.plan.windowStart,
      windowEnd: c.plan.windowEnd,
      cis: c.scope.cis,
      implementer: c.plan.implementer.id,
    }));
}

/** An approved implementation window of a change on a CI. */
export interface ApprovedWindow {
  readonly changeId: string;
  readonly ci: string;
  readonly start: string;
  readonly end: string;
}

/**
 * The approved implementation windows of changes on the given CIs: what the monitoring module
 * uses to silence expected alerts during a change. Pure: only changes approved or being
 * implemented count, and an optional `at` keeps only the windows open at that instant.
 *
 * @example
 * approvedImplementationWindows(changes, ['core-db'], new Date());
 * // [{ changeId: 'CHG-000001', ci: 'core-db', start: '...', end: '...' }]
 */
export function approvedImplementationWindows(
  changes: readonly ChangeRequest[],
  cis: readonly string[],
  at?: Date | undefined,
): ApprovedWindow[] {
  const wanted = new Set(cis);
  const atMs = at?.getTime();
  const out: ApprovedWindow[] = [];
  for (const c of changes) {
    if (!scheduledStates.includes(c.state)) continue;
    const start = Date.parse(c.plan.windowStart);
    const end = Date.parse(c.plan.windowEnd);
    if (atMs !== undefined && (atMs < start || atMs >= end)) continue;
    for (const ci of c.scope.cis) {
      if (wanted.has(ci)) {
        out.push({ changeId: c.id, ci, start: c.plan.windowStart, end: c.plan.windowEnd });
      }
    }
  }
  return out;
}
