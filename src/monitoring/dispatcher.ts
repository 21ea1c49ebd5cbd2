import { z } from 'zod';
import type { ClauseId } from '../core/clauses.js';
import {
  fieldError,
  fromZodError,
  notFound,
  type OpsError,
  type ValidationError,
} from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { type LocalizedText, text } from '../core/text.js';
import type { AlertSeverity, CompiledMatcher, Labels } from './alert-rule.js';
import { matchesLabels } from './alert-rule.js';
import type { MetricCategory } from './catalog.js';
import type { AlertTransition } from './evaluator.js';
import type { Channel, MonitoringPolicy, Recipient, Route } from './policy.js';
import { alertChannels } from './rules.js';
import { type ChangeWindow, type Silence, silenceMutes, windowCovers } from './silence.js';

/** An alert as notifications carry it. */
export interface AlertSummary {
  readonly fingerprint: string;
  readonly rule: string;
  /** Series labels plus `alertname` and `severity`. */
  readonly labels: Labels;
  readonly severity: AlertSeverity;
  readonly category: MetricCategory;
  readonly status: 'firing' | 'resolved';
  readonly startsAt: number;
  readonly endsAt: number | undefined;
  readonly value: number | undefined;
  readonly message: LocalizedText;
  /** Set while an acknowledgement holds. */
  readonly acknowledged?:
    | { readonly by: string; readonly reason: string; readonly until: number }
    | undefined;
}

/** What the library decided to send; a `Notifier` delivers it. */
export interface Notification {
  readonly id: string;
  readonly channel: Channel;
  readonly recipients: readonly Recipient[];
  readonly route: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  /** `firing` if anything in it fires, else `resolved`. */
  readonly status: 'firing' | 'resolved';
  readonly firing: readonly AlertSummary[];
  readonly resolved: readonly AlertSummary[];
  readonly at: number;
  readonly clause: ClauseId;
  readonly message: LocalizedText;
}

/** Port: delivers notifications (mail server, SMS gateway, portal pop-ups). */
export interface Notifier {
  send(notification: Notification): void | Promise<void>;
}

/** An acknowledgement: stops repeats of one alert until it expires. Not a silence. */
export interface Acknowledgement {
  readonly fingerprint: string;
  readonly by: string;
  readonly reason: string;
  readonly at: number;
  readonly until: number;
}

interface DAlert {
  fingerprint: string;
  rule: string;
  labels: Labels;
  severity: AlertSeverity;
  category: MetricCategory;
  status: 'firing' | 'resolved';
  startsAt: number;
  endsAt: number | undefined;
  value: number | undefined;
  message: LocalizedText;
  muted: boolean;
  /** Forget what channels were told: the next flush treats the alert as new. */
  renotify: boolean;
}

interface ChannelLog {
  firing: Set<string>;
  resolved: Set<string>;
  lastAt: number;
}

interface Group {
  key: string;
  route: Route;
  routeIndex: number;
  labels: Labels;
  alerts: Map<string, DAlert>;
  nextFlushAt: number;
  interval: number;
  repeat: number;
}

/** The dispatcher's decisions for a batch of transitions. */
export interface DispatchOutcome {
  /** Transitions that are severe under the policy (4.3.3): the service opens incidents. */
  readonly severe: readonly AlertTransition[];
}

/** Alertmanager-style routing, grouping, dedup, repeat, acknowledgement and silencing. */
export interface AlertDispatcher {
  /** Takes evaluator transitions in; notifications come out of `tick`. */
  process(transitions: readonly AlertTransition[], at: number): DispatchOutcome;
  /** Flushes the groups whose timers are due (and groups whose alerts just left a silence). */
  tick(at: number): readonly Notification[];
  acknowledge(
    fingerprint: string,
    by: string,
    reason: string,
    until: number,
    at: number,
  ): Result<Acknowledgement, OpsError>;
  addSilence(silence: Silence): void;
  expireSilence(id: string, at: number): Result<Silence, OpsError>;
  silences(): readonly Silence[];
  /** Replaces the known maintenance windows (from the change module). */
  setMaintenanceWindows(windows: readonly ChangeWindow[]): void;
  /** Alerts the dispatcher holds, firing or resolved-but-not-yet-flushed. */
  alerts(): readonly AlertSummary[];
  /** Routes that an alert with these labels, severity and category goes to. */
  routesFor(labels: Labels, severity: AlertSeverity, category: MetricCategory): readonly Route[];
  /** Groups, notification log, acknowledgements and silences as plain JSON. */
  snapshot(): DispatcherSnapshot;
  /** Replaces the state with a snapshot taken under the same routing table. */
  restore(snapshot: unknown): Result<void, ValidationError>;
}

const LabelsSchema = z.record(z.string(), z.string());
const MatcherSnapshotSchema = z.object({
  label: z.string(),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string(),
});

/** The dispatcher's state as plain data; validated with zod on restore. */
export const DispatcherSnapshotSchema = z.object({
  version: z.literal(1),
  routes: z.array(z.string()),
  groups: z.array(
    z.object({
      key: z.string(),
      routeIndex: z.number().int().min(0),
      labels: LabelsSchema,
      nextFlushAt: z.number(),
      alerts: z.array(
        z.object({
          fingerprint: z.string(),
          rule: z.string(),
          labels: LabelsSchema,
          severity: z.enum(['warning', 'critical']),
          category: z.enum(['system', 'application', 'network', 'data', 'log', 'probe']),
          status: z.enum(['firing', 'resolved']),
          startsAt: z.number(),
          endsAt: z.number().nullable(),
          value: z.number().nullable(),
          message: z.object({ zh: z.string(), en: z.string() }),
          muted: z.boolean(),
          renotify: z.boolean(),
        }),
      ),
    }),
  ),
  logs: z.array(
    z.object({
      key: z.string(),
      firing: z.array(z.string()),
      resolved: z.array(z.string()),
      lastAt: z.number(),
    }),
  ),
  acks: z.array(
    z.object({
      fingerprint: z.string(),
      by: z.string(),
      reason: z.string(),
      at: z.number(),
      until: z.number(),
    }),
  ),
  silences: z.array(
    z.object({
      id: z.string(),
      matchers: z.array(MatcherSnapshotSchema),
      startsAt: z.number(),
      endsAt: z.number(),
      comment: z.string(),
      createdBy: z.string(),
      recurrence: z
        .object({
          days: z.array(z.number().int().min(0).max(6)),
          start: z.string(),
          end: z.string(),
          timeZone: z.string(),
        })
        .optional(),
    }),
  ),
});

/** The dispatcher's state as plain data. */
export type DispatcherSnapshot = z.infer<typeof DispatcherSnapshotSchema>;

/**
 * Tells which routes of the table an alert goes to: the first match, and the following ones
 * while a matched route says `continue`. The last route of the table is the fallback.
 *
 * @example
 * matchRoutes(policy.monitoring.routes, labels, 'critical', 'system').map((r) => r.name);
 */
export function matchRoutes(
  routes: readonly Route[],
  labels: Labels,
  severity: AlertSeverity,
  category: MetricCategory,
): Route[] {
  const out: Route[] = [];
  for (const r of routes) {
    const m = r.match;
    if (m.severity && !m.severity.includes(severity)) continue;
    if (m.category && !m.category.includes(category)) continue;
    if (m.rules && !m.rules.includes(labels.alertname ?? '')) continue;
    if (m.labels && !matchesLabels(compile(m.labels), labels)) continue;
    out.push(r);
    if (!r.continue) break;
  }
  if (out.length === 0 && routes.length > 0) out.push(routes[routes.length - 1]!);
  return out;
}

const compiled = new WeakMap<object, CompiledMatcher[]>();
function compile(ms: Route['match']['labels'] & object): CompiledMatcher[] {
  let c = compiled.get(ms);
  if (!c) {
    c = ms.map((m) =>
      m.op === '=~' || m.op === '!~' ? { ...m, regex: new RegExp(`^(?:${m.value})$`) } : m,
    );
    compiled.set(ms, c);
  }
  return c;
}

/**
 * Tells whether a transition is severe under the policy (4.3.3): a `firing` or `escalated`
 * alert whose severity, rule or category the policy names.
 *
 * @example
 * isSevere(transition, policy.monitoring); // true for a critical firing by default
 */
export function isSevere(t: AlertTransition, policy: MonitoringPolicy): boolean {
  if (t.kind !== 'firing' && t.kind !== 'escalated') return false;
  const s = policy.severe;
  return (
    s.severities.includes(t.severity) ||
    s.rules.includes(t.rule) ||
    s.categories.includes(t.category)
  );
}

/**
 * Creates the dispatcher: Alertmanager's grouping (group wait, group interval, repeat interval,
 * checked on group-interval ticks), dedup per channel, resolved notices per channel, plus
 * acknowledgements, silences and maintenance windows. Pure: it returns notifications, the
 * service delivers them.
 *
 * @example
 * const d = createAlertDispatcher(definePolicy().monitoring);
 * d.process(evaluator.evaluate(now), now);
 * for (const n of d.tick(now)) await notifier.send(n);
 */
export function createAlertDispatcher(policy: MonitoringPolicy): AlertDispatcher {
  const groups = new Map<string, Group>();
  const logs = new Map<string, ChannelLog>();
  const acks = new Map<string, Acknowledgement>();
  const silenceList: Silence[] = [];
  let windows: readonly ChangeWindow[] = [];
  const g = policy.grouping;

  function alertLabels(t: AlertTransition): Labels {
    return { ...t.labels, alertname: t.rule, severity: t.severity };
  }

  function muted(a: DAlert, at: number): boolean {
    for (const s of silenceList) if (silenceMutes(s, a.labels, at)) return true;
    const ci = a.labels[policy.ciLabel];
    for (const w of windows) if (windowCovers(w, ci, at)) return true;
    return false;
  }

  function groupFor(route: Route, routeIndex: number, labels: Labels, at: number): Group {
    const by = route.groupBy ?? g.groupBy;
    const gl: Record<string, string> = {};
    for (const name of by) if (labels[name] !== undefined) gl[name] = labels[name]!;
    const key = `${route.name}#${routeIndex}:${JSON.stringify(gl)}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        route,
        routeIndex,
        labels: gl,
        alerts: new Map(),
        nextFlushAt: at + (route.groupWait ?? g.groupWait),
        interval: route.groupInterval ?? g.groupInterval,
        repeat: route.repeatInterval ?? g.repeatInterval,
      };
      groups.set(key, group);
    }
    return group;
  }

  function summary(a: DAlert, at: number): AlertSummary {
    const ack = acks.get(a.fingerprint);
    return {
      fingerprint: a.fingerprint,
      rule: a.rule,
      labels: a.labels,
      severity: a.severity,
      category: a.category,
      status: a.status,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      value: a.value,
      message: a.message,
      ...(ack && ack.until > at
        ? { acknowledged: { by: ack.by, reason: ack.reason, until: ack.until } }
        : {}),
    };
  }

  function process(transitions: readonly AlertTransition[], at: number): DispatchOutcome {
    const severe: AlertTransition[] = [];
    for (const t of transitions) {
      if (t.kind === 'pending' || t.kind === 'no_data') continue;
      if (isSevere(t, policy)) severe.push(t);
      const labels = alertLabels(t);
      if (t.kind === 'firing' || t.kind === 'escalated' || t.kind === 'deescalated') {
        for (const [ri, route] of routesWithIndex(labels, t.severity, t.category)) {
          const group = groupFor(route, ri, labels, at);
          const prev = group.alerts.get(t.fingerprint);
          if (prev && prev.status === 'firing') {
            prev.labels = labels;
            prev.value = t.value;
            prev.message = t.message;
            if (t.kind === 'escalated') prev.renotify = true;
            prev.severity = t.severity;
          } else {
            group.alerts.set(t.fingerprint, {
              fingerprint: t.fingerprint,
              rule: t.rule,
              labels,
              severity: t.severity,
              category: t.category,
              status: 'firing',
              startsAt: t.at,
              endsAt: undefined,
              value: t.value,
              message: t.message,
              muted: false,
              renotify: false,
            });
          }
        }
        // Severity moved: drop the alert from groups of routes it no longer matches.
        if (t.kind !== 'firing') {
          const keep = new Set(routesWithIndex(labels, t.severity, t.category).map(([i]) => i));
          for (const group of groups.values()) {
            const a = group.alerts.get(t.fingerprint);
            if (a && !keep.has(group.routeIndex)) {
              a.status = 'resolved';
              a.endsAt = at;
            }
          }
        }
      } else {
        // resolved: mark in every group holding it
        for (const group of groups.values()) {
          const a = group.alerts.get(t.fingerprint);
          if (a && a.status === 'firing') {
            a.status = 'resolved';
            a.endsAt = t.at;
            a.value = t.value;
            a.message = t.message;
          }
        }
        acks.delete(t.fingerprint);
      }
    }
    return { severe };
  }

  function routesWithIndex(
    labels: Labels,
    severity: AlertSeverity,
    category: MetricCategory,
  ): [number, Route][] {
    const matched = matchRoutes(policy.routes, labels, severity, category);
    return matched.map((r) => [policy.routes.indexOf(r), r]);
  }

  function flush(group: Group, at: number, out: Notification[]): void {
    const firing: DAlert[] = [];
    const resolved: DAlert[] = [];
    for (const a of group.alerts.values()) {
      if (a.muted) continue;
      (a.status === 'firing' ? firing : resolved).push(a);
    }
    for (const channel of group.route.channels) {
      const logKey = `${group.key}|${channel}`;
      const entry = logs.get(logKey);
      for (const a of firing) if (a.renotify && entry) entry.firing.delete(a.fingerprint);
      const told = entry?.firing;
      // Deliberate: only tell "resolved" to a channel that was told "firing".
      const resolvedHere = resolved.filter((a) => told?.has(a.fingerprint));
      const sendResolved = policy.channels[channel].sendResolved;
      let send: boolean;
      if (!entry) send = firing.length > 0;
      else if (firing.some((a) => !entry.firing.has(a.fingerprint))) send = true;
      else if (firing.length === 0) send = entry.firing.size > 0;
      else if (sendResolved && resolvedHere.some((a) => !entry.resolved.has(a.fingerprint)))
        send = true;
      else {
        const unacked = firing.filter((a) => !((acks.get(a.fingerprint)?.until ?? -Infinity) > at));
        const ackExpired = firing.some((a) => {
          const ack = acks.get(a.fingerprint);
          return ack !== undefined && ack.until <= at && ack.until > entry.lastAt;
        });
        send = ackExpired || (unacked.length > 0 && at - entry.lastAt > group.repeat);
      }
      if (!send) continue;
      logs.set(logKey, {
        firing: new Set(firing.map((a) => a.fingerprint)),
        resolved: new Set(resolvedHere.map((a) => a.fingerprint)),
        lastAt: at,
      });
      const resolvedOut = sendResolved ? resolvedHere : [];
      if (firing.length === 0 && resolvedOut.length === 0) continue;
      out.push(notification(group, channel, firing, resolvedOut, at));
    }
    for (const a of firing) a.renotify = false;
    for (const [fp, a] of group.alerts) if (a.status === 'resolved') group.alerts.delete(fp);
    if (group.alerts.size === 0) groups.delete(group.key);
  }

  function notification(
    group: Group,
    channel: Channel,
    firing: readonly DAlert[],
    resolved: readonly DAlert[],
    at: number,
  ): Notification {
    const name = group.labels.alertname ?? group.route.name;
    const status = firing.length > 0 ? 'firing' : 'resolved';
    const crit = firing.some((a) => a.severity === 'critical');
    return {
      id: `${group.key}|${channel}|${at}`,
      channel,
      recipients: group.route.recipients,
      route: group.route.name,
      groupKey: group.key,
      groupLabels: group.labels,
      status,
      firing: firing.map((a) => summary(a, at)),
      resolved: resolved.map((a) => summary(a, at)),
      at,
      clause: alertChannels.clauses[0],
      message: text(
        `[${status === 'firing' ? (crit ? '严重' : '告警') : '已恢复'}] ${name}:触发 ${firing.length},恢复 ${resolved.length}`,
        `[${status === 'firing' ? (crit ? 'CRITICAL' : 'FIRING') : 'RESOLVED'}] ${name}: ${firing.length} firing, ${resolved.length} resolved`,
      ),
    };
  }

  function tick(at: number): readonly Notification[] {
    const out: Notification[] = [];
    for (const group of [...groups.values()]) {
      let unmutedNow = false;
      for (const a of group.alerts.values()) {
        const m = muted(a, at);
        if (a.muted && !m && a.status === 'firing') {
          a.renotify = true;
          unmutedNow = true;
        }
        a.muted = m;
      }
      if (unmutedNow) {
        // A silence or maintenance window ended on a firing alert: notify at once.
        flush(group, at, out);
        continue;
      }
      if (at >= group.nextFlushAt) {
        flush(group, at, out);
        while (group.nextFlushAt <= at) group.nextFlushAt += group.interval;
      }
    }
    return out;
  }

  return {
    process,
    tick,
    acknowledge(fingerprint, by, reason, until, at) {
      let found = false;
      for (const group of groups.values()) {
        const a = group.alerts.get(fingerprint);
        if (a && a.status === 'firing') found = true;
      }
      if (!found) return err(notFound('alert', fingerprint, text('告警', 'Alert')));
      if (!(until > at))
        return err(
          fieldError(
            'until',
            'too_small',
            text('确认有效期须晚于当前时间', 'The acknowledgement must expire in the future'),
          ),
        );
      const ack = { fingerprint, by, reason, at, until };
      acks.set(fingerprint, ack);
      return ok(ack);
    },
    addSilence(silence) {
      silenceList.push(silence);
    },
    expireSilence(id, at) {
      const i = silenceList.findIndex((s) => s.id === id);
      if (i < 0) return err(notFound('silence', id, text('静默', 'Silence')));
      const s = { ...silenceList[i]!, endsAt: Math.min(silenceList[i]!.endsAt, at) };
      silenceList[i] = s;
      return ok(s);
    },
    silences: () => [...silenceList],
    setMaintenanceWindows(ws) {
      windows = ws;
    },
    alerts() {
      const seen = new Map<string, AlertSummary>();
      for (const group of groups.values())
        for (const a of group.alerts.values())
          if (!seen.has(a.fingerprint)) seen.set(a.fingerprint, summary(a, Number.NaN));
      return [...seen.values()];
    },
    routesFor: (labels, severity, category) =>
      matchRoutes(policy.routes, labels, severity, category),
    snapshot() {
      return {
        version: 1,
        routes: policy.routes.map((r) => r.name),
        groups: [...groups.values()].map((g) => ({
          key: g.key,
          routeIndex: g.routeIndex,
          labels: { ...g.labels },
          nextFlushAt: g.nextFlushAt,
          alerts: [...g.alerts.values()].map((a) => ({
            fingerprint: a.fingerprint,
            rule: a.rule,
            labels: { ...a.labels },
            severity: a.severity,
            category: a.category,
            status: a.status,
            startsAt: a.startsAt,
            endsAt: a.endsAt ?? null,
            value: a.value === undefined || !Number.isFinite(a.value) ? null : a.value,
            message: { zh: a.message.zh, en: a.message.en },
            muted: a.muted,
            renotify: a.renotify,
          })),
        })),
        logs: [...logs].map(([key, l]) => ({
          key,
          firing: [...l.firing],
          resolved: [...l.resolved],
          lastAt: l.lastAt,
        })),
        acks: [...acks.values()].map((a) => ({ ...a })),
        silences: silenceList.map((x) => ({
          id: x.id,
          matchers: x.matchers.map((m) => ({ label: m.label, op: m.op, value: m.value })),
          startsAt: x.startsAt,
          endsAt: x.endsAt,
          comment: x.comment,
          createdBy: x.createdBy,
          ...(x.recurrence ? { recurrence: { ...x.recurrence } } : {}),
        })),
      };
    },
    restore(input) {
      const parsed = DispatcherSnapshotSchema.safeParse(input);
      if (!parsed.success) return err(fromZodError(parsed.error));
      const snap = parsed.data;
      if (
        snap.routes.join('\u0000') !== policy.routes.map((r) => r.name).join('\u0000') ||
        snap.groups.some((g) => g.routeIndex >= policy.routes.length)
      )
        return err(
          fieldError(
            'routes',
            'invalid_snapshot',
            text('快照的路由表与当前不同', 'The snapshot was taken under another routing table'),
          ),
        );
      groups.clear();
      logs.clear();
      acks.clear();
      silenceList.length = 0;
      for (const g of snap.groups) {
        const route = policy.routes[g.routeIndex]!;
        groups.set(g.key, {
          key: g.key,
          route,
          routeIndex: g.routeIndex,
          labels: g.labels,
          nextFlushAt: g.nextFlushAt,
          interval: route.groupInterval ?? policy.grouping.groupInterval,
          repeat: route.repeatInterval ?? policy.grouping.repeatInterval,
          alerts: new Map(
            g.alerts.map((a) => [
              a.fingerprint,
              { ...a, endsAt: a.endsAt ?? undefined, value: a.value ?? undefined },
            ]),
          ),
        });
      }
      for (const l of snap.logs)
        logs.set(l.key, {
          firing: new Set(l.firing),
          resolved: new Set(l.resolved),
          lastAt: l.lastAt,
        });
      for (const a of snap.acks) acks.set(a.fingerprint, a);
      for (const x of snap.silences)
        silenceList.push({
          ...x,
          matchers: x.matchers.map((m) =>
            m.op === '=~' || m.op === '!~' ? { ...m, regex: new RegExp(`^(?:${m.value})$`) } : m,
          ),
        });
      return ok(undefined);
    },
  };
}

/**
 * Formats a notification as a line of text in one language.
 *
 * @example
 * formatNotification(n, 'en'); // 'email → role:system_engineer: [FIRING] cpu_high: 1 firing, 0 resolved'
 */
export function formatNotification(n: Notification, locale: 'zh' | 'en'): string {
  const who = n.recipients
    .map((r) => ('role' in r ? `role:${r.role}` : `on-call:${r.onCall}`))
    .join(',');
  return `${n.channel} → ${who}: ${n.message[locale]}`;
}
