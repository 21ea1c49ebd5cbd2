import type { HistoryEntry } from '../core/workflow/history.js';
import { addBusinessMs, businessMsBetween } from './calendar.js';
import type { Incident, IncidentState, Priority } from './model.js';
import type { IncidentPolicy, SlaPolicy, SlaTarget } from './policy.js';

/** Where one SLA clock stands. */
export interface SlaClock {
  /** The target, in milliseconds of its calendar. */
  readonly targetMs: number;
  readonly calendar: SlaTarget['calendar'];
  /** Time counted so far, in milliseconds of the calendar. */
  readonly elapsedMs: number;
  /** `targetMs - elapsedMs`; negative once the target is exceeded. */
  readonly remainingMs: number;
  /** `elapsedMs / targetMs`. */
  readonly fraction: number;
  /** `running` counts now, `paused` counts no more until resumed, `stopped` is final. */
  readonly clock: 'running' | 'paused' | 'stopped';
  /** Whether the warning mark (default 75 %) is reached. */
  readonly warning: boolean;
  /** Whether the breach mark (default 100 %) is reached. */
  readonly breached: boolean;
  /** Stopped within the target. */
  readonly met: boolean;
  /** When the warning mark was reached, or will be if the clock keeps running (ISO-8601). */
  readonly warningAt?: string | undefined;
  /** When the breach mark was reached, or will be if the clock keeps running (ISO-8601). */
  readonly breachAt?: string | undefined;
}

/** The SLA of an incident at an instant: the priority whose targets apply, and both clocks. */
export interface SlaStatus {
  readonly at: string;
  /** The current priority, or the policy's `unassessedPriority` before the assessment. */
  readonly priority: Priority;
  readonly assessed: boolean;
  readonly response: SlaClock;
  readonly resolution: SlaClock;
}

interface Interval {
  readonly state: IncidentState;
  readonly start: number;
  readonly end: number;
}

/**
 * Computes an incident's SLA from its history alone, never from stored timers: each clock
 * counts the time the incident spent in the states the policy lets it run in (a hold pauses
 * it), in the business calendar of its priority's target (named time zone, holidays), against
 * the target of the *current* priority, so a change of priority recomputes everything.
 *
 * @example
 * const s = slaStatus(incident, new Date(), policy.incident);
 * s.resolution.remainingMs; // e.g. 5_400_000
 * s.resolution.warning;     // true past 75 % of the target
 */
export function slaStatus(incident: Incident, now: Date, policy: IncidentPolicy): SlaStatus {
  const sla = policy.sla;
  const priority = incident.priority ?? sla.unassessedPriority;
  const target = sla.targets[priority];
  const intervals = intervalsOf(incident.history, now.getTime());
  const state = incident.state;

  const responseStates = new Set<string>(sla.responseStates);
  let responseEnd = intervals.length;
  for (let i = 0; i < intervals.length; i++) {
    if (!responseStates.has(intervals[i]!.state)) {
      responseEnd = i;
      break;
    }
  }
  const responseCounted = intervals.slice(0, responseEnd);
  const responseStopped = responseEnd < intervals.length || isFinal(state, sla);
  const response = measure(
    responseCounted,
    target.responseMinutes * 60_000,
    target.calendar,
    responseStopped ? 'stopped' : 'running',
    sla,
    now,
  );

  const running = new Set<string>(sla.runningStates);
  const resolutionCounted = intervals.filter((i) => running.has(i.state));
  const resolutionClock = isFinal(state, sla)
    ? 'stopped'
    : running.has(state)
      ? 'running'
      : 'paused';
  const resolution = measure(
    resolutionCounted,
    target.resolutionMinutes * 60_000,
    target.calendar,
    resolutionClock,
    sla,
    now,
  );

  return {
    at: now.toISOString(),
    priority,
    assessed: incident.priority !== undefined,
    response,
    resolution,
  };
}

function isFinal(state: IncidentState, sla: SlaPolicy): boolean {
  return state === 'cancelled' || (sla.resolvedStates as readonly string[]).includes(state);
}

function intervalsOf(history: readonly HistoryEntry[], now: number): Interval[] {
  const out: Interval[] = [];
  for (let i = 0; i < history.length; i++) {
    const start = Date.parse(history[i]!.at);
    const next = history[i + 1];
    const end = Math.min(next ? Date.parse(next.at) : now, now);
    if (end >= start) out.push({ state: history[i]!.to as IncidentState, start, end });
  }
  return out;
}

function measure(
  counted: readonly Interval[],
  targetMs: number,
  calendar: SlaTarget['calendar'],
  clock: SlaClock['clock'],
  sla: SlaPolicy,
  now: Date,
): SlaClock {
  const length = (i: Interval) =>
    calendar === 'always'
      ? i.end - i.start
      : businessMsBetween(sla.calendar, new Date(i.start), new Date(i.end));
  const add = (from: number, ms: number): number | undefined =>
    calendar === 'always' ? from + ms : addBusinessMs(sla.calendar, new Date(from), ms)?.getTime();

  const warningMs = targetMs * sla.warningAt;
  const breachMs = targetMs * sla.breachAt;
  let elapsed = 0;
  let warningAt: number | undefined;
  let breachAt: number | undefined;
  for (const interval of counted) {
    const len = length(interval);
    if (warningAt === undefined && elapsed + len >= warningMs) {
      warningAt = add(interval.start, warningMs - elapsed);
    }
    if (breachAt === undefined && elapsed + len >= breachMs) {
      breachAt = add(interval.start, breachMs - elapsed);
    }
    elapsed += len;
  }
  if (clock === 'running') {
    warningAt ??= add(now.getTime(), warningMs - elapsed);
    breachAt ??= add(now.getTime(), breachMs - elapsed);
  }
  const breached = elapsed >= breachMs;
  return {
    targetMs,
    calendar,
    elapsedMs: elapsed,
    remainingMs: targetMs - elapsed,
    fraction: elapsed / targetMs,
    clock,
    warning: elapsed >= warningMs,
    breached,
    met: clock === 'stopped' && !breached,
    warningAt: iso(warningAt),
    breachAt: iso(breachAt),
  };
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
