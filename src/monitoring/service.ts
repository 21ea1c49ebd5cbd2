import type { ClauseId } from '../core/clauses.js';
import {
  fieldError,
  forbidden,
  fromZodError,
  issuesUnder,
  type OpsError,
  type ValidationError,
  validationError,
} from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { parseActor, parseInstant, type ServiceDeps } from '../core/service.js';
import { type LocalizedText, text } from '../core/text.js';
import { violation } from '../core/violation.js';
import { hasAnyRole, isActive } from '../org/actor.js';
import type { Role } from '../org/roles.js';
import type { Policy } from '../policy.js';
import {
  type AlertRule,
  type AlertRuleInput,
  type AlertSeverity,
  defineAlertRules,
  type Labels,
} from './alert-rule.js';
import { builtinCatalog, type MetricCatalog, type MetricCategory } from './catalog.js';
import {
  type Acknowledgement,
  type AlertDispatcher,
  createAlertDispatcher,
  type DispatcherSnapshot,
  type Notification,
  type Notifier,
} from './dispatcher.js';
import {
  type AlertTransition,
  createEvaluator,
  type Evaluator,
  type EvaluatorSnapshot,
  type Explanation,
  type IngestReport,
  type Sample,
} from './evaluator.js';
import { alertHandlerRole, severeOpensIncident } from './rules.js';
import { type MaintenanceWindowSource, type Silence, SilenceInputSchema } from './silence.js';

/** What the monitoring module asks the incident process for when an alert is severe (4.3.3). */
export interface IncidentRequest {
  /** The alert's identity: the incident links to it. */
  readonly fingerprint: string;
  readonly rule: string;
  readonly labels: Labels;
  readonly severity: AlertSeverity;
  readonly category: MetricCategory;
  readonly value: number | undefined;
  readonly threshold: number | undefined;
  readonly at: Date;
  /** The configuration item, from the policy's `ciLabel`. */
  readonly ci: string | undefined;
  readonly title: LocalizedText;
  readonly message: LocalizedText;
  readonly clause: ClauseId;
}

/** Port: opens an incident for a severe alert (the incident module implements it). */
export interface IncidentOpener {
  open(request: IncidentRequest): Promise<Result<{ readonly incidentId: string }, OpsError>>;
}

/** The link between an alert and the incident it opened. */
export interface IncidentLink {
  readonly fingerprint: string;
  readonly incidentId: string;
  /** `false` when the alert fired again and was linked to the incident it already had. */
  readonly opened: boolean;
}

/** What one evaluation did. */
export interface MonitoringOutcome {
  readonly at: Date;
  readonly ingest: IngestReport;
  readonly transitions: readonly AlertTransition[];
  readonly notifications: readonly Notification[];
  readonly incidents: readonly IncidentLink[];
  /** Severe alerts whose incident could not be opened; retried on their next severe transition. */
  readonly incidentErrors: readonly { readonly fingerprint: string; readonly error: OpsError }[];
}

/** What `createMonitoringService` takes: the usual deps plus the ports. */
export interface MonitoringDeps extends ServiceDeps<Policy> {
  readonly notifier?: Notifier | undefined;
  readonly incidents?: IncidentOpener | undefined;
  readonly maintenance?: MaintenanceWindowSource | undefined;
  readonly catalog?: MetricCatalog | undefined;
  /** Compiled rules; default: the policy's `monitoring.rules`, else one rule per catalog metric. */
  readonly rules?: readonly AlertRule[] | undefined;
}

/** The monitoring service (`ops.monitoring`). */
export interface MonitoringService {
  readonly evaluator: Evaluator;
  readonly dispatcher: AlertDispatcher;
  /** Ingests samples, evaluates at `at` (default: the clock), routes, opens incidents, notifies. */
  evaluate(
    samples: readonly Sample[],
    at?: Date | undefined,
  ): Promise<Result<MonitoringOutcome, OpsError>>;
  /** Evaluates what was ingested (e.g. through the columnar API), then routes and notifies. */
  run(at?: Date | undefined): Promise<Result<MonitoringOutcome, OpsError>>;
  /** Flushes due notification groups only. */
  tick(at?: Date | undefined): Promise<Result<readonly Notification[], OpsError>>;
  acknowledge(
    actor: unknown,
    fingerprint: string,
    input: unknown,
  ): Promise<Result<Acknowledgement, OpsError>>;
  silence(actor: unknown, input: unknown): Promise<Result<Silence, OpsError>>;
  expireSilence(actor: unknown, id: string): Promise<Result<Silence, OpsError>>;
  explain(
    rule: string,
    labels: Labels,
    at?: Date | undefined,
  ): Result<Explanation, ValidationError>;
  /** The incident an alert opened, if any. */
  incidentFor(fingerprint: string): string | undefined;
  /** The incident was closed: the alert's next severe firing opens a new one. */
  incidentClosed(incidentId: string): void;
  /** Evaluator, dispatcher and alert-to-incident links as plain JSON, for restarts. */
  snapshot(): MonitoringSnapshot;
  /** Restores a snapshot taken with the same rules and routing table; nothing changes on error. */
  restore(snapshot: unknown): Result<void, ValidationError>;
}

/** What `MonitoringService.snapshot` returns. */
export interface MonitoringSnapshot {
  readonly version: 1;
  readonly evaluator: EvaluatorSnapshot;
  readonly dispatcher: DispatcherSnapshot;
  /** [alert fingerprint, incident id] */
  readonly incidents: readonly (readonly [string, string])[];
}

const handlerRoles: readonly Role[] = [
  'ops_manager',
  'system_engineer',
  'network_engineer',
  'data_engineer',
  'it_staff',
  'it_head',
];

/**
 * One default rule per catalog metric that has thresholds: its warning/critical pair, held for
 * four cadences (for metrics reported at least every five minutes), no hysteresis.
 *
 * @example
 * defaultAlertRuleInputs().find((r) => r.id === 'system_cpu_usage');
 */
export function defaultAlertRuleInputs(
  catalog: MetricCatalog = builtinCatalog(),
): AlertRuleInput[] {
  const out: AlertRuleInput[] = [];
  for (const m of catalog.metrics.values()) {
    const t = m.thresholds;
    if (!t || (t.warning === undefined && t.critical === undefined)) continue;
    out.push({
      id: m.name.replace(/\./g, '_'),
      metric: m.name,
      comparator: t.comparator,
      ...(t.warning !== undefined ? { warning: t.warning } : {}),
      ...(t.critical !== undefined ? { critical: t.critical } : {}),
      for: m.cadence <= 300_000 ? 4 * m.cadence : 0,
    });
  }
  return out;
}

/**
 * Creates the monitoring service: the evaluator and the dispatcher behind one async shell that
 * talks to the ports (notifier, incident opener, maintenance windows). A bad rule set in the
 * policy is a programmer error at start-up and throws.
 *
 * @example
 * const monitoring = createMonitoringService({ clock, ids, policy, sink, notifier, incidents });
 * const outcome = unwrap(await monitoring.evaluate(samples));
 */
export function createMonitoringService(deps: MonitoringDeps): MonitoringService {
  const policy = deps.policy.monitoring;
  const catalog = deps.catalog ?? builtinCatalog();
  let rules = deps.rules;
  if (!rules) {
    const inputs = policy.rules.length > 0 ? policy.rules : defaultAlertRuleInputs(catalog);
    const r = defineAlertRules(inputs, catalog);
    if (!r.ok)
      throw new Error(
        `createMonitoringService: invalid rules\n${r.error.issues.map((i) => `  ${i.path}: ${i.message.en}`).join('\n')}`,
      );
    rules = r.value;
  }
  const evaluator = createEvaluator({ rules, catalog });
  const dispatcher = createAlertDispatcher(policy);
  const links = new Map<string, string>();
  const inFlight = new Map<string, Promise<Result<{ readonly incidentId: string }, OpsError>>>();
  const emptyIngest: IngestReport = {
    accepted: 0,
    outOfOrder: 0,
    duplicate: 0,
    invalid: 0,
    unknownMetric: 0,
  };

  const instant = (at: Date | undefined): Result<number, ValidationError> => {
    const d = parseInstant(at ?? deps.clock.now(), 'at');
    return d.ok ? ok(d.value.getTime()) : d;
  };

  async function dispatch(
    ingest: IngestReport,
    at: number,
  ): Promise<Result<MonitoringOutcome, OpsError>> {
    const transitions = evaluator.evaluate(at);
    if (deps.maintenance)
      dispatcher.setMaintenanceWindows(await deps.maintenance.windows(new Date(at)));
    const { severe } = dispatcher.process(transitions, at);
    const incidents: IncidentLink[] = [];
    const incidentErrors: { fingerprint: string; error: OpsError }[] = [];
    if (deps.incidents) {
      for (const t of severe) {
        const linked = links.get(t.fingerprint);
        if (linked !== undefined) {
          incidents.push({ fingerprint: t.fingerprint, incidentId: linked, opened: false });
          continue;
        }
        let pending = inFlight.get(t.fingerprint);
        const first = pending === undefined;
        if (!pending) {
          const rule = rules!.find((r) => r.id === t.rule)!;
          pending = deps.incidents.open({
            fingerprint: t.fingerprint,
            rule: t.rule,
            labels: t.labels,
            severity: t.severity,
            category: t.category,
            value: t.value,
            threshold: t.threshold,
            at: new Date(t.at),
            ci: t.labels[policy.ciLabel],
            title: text(`严重预警:${rule.title.zh}`, `Severe alert: ${rule.title.en}`),
            message: t.message,
            clause: severeOpensIncident.clauses[0],
          });
          inFlight.set(t.fingerprint, pending);
        }
        const r = await pending;
        inFlight.delete(t.fingerprint);
        if (r.ok) {
          links.set(t.fingerprint, r.value.incidentId);
          incidents.push({
            fingerprint: t.fingerprint,
            incidentId: r.value.incidentId,
            opened: first,
          });
        } else incidentErrors.push({ fingerprint: t.fingerprint, error: r.error });
      }
    }
    const notifications = dispatcher.tick(at);
    if (deps.notifier) for (const n of notifications) await deps.notifier.send(n);
    return ok({ at: new Date(at), ingest, transitions, notifications, incidents, incidentErrors });
  }

  function checkHandler(actor: unknown) {
    const who = parseActor(actor);
    if (!who.ok) return who;
    if (!isActive(who.value) || !hasAnyRole(who.value, handlerRoles))
      return err(forbidden([violation(alertHandlerRole)]));
    return who;
  }

  return {
    evaluator,
    dispatcher,
    async evaluate(samples, at) {
      if (!Array.isArray(samples))
        return err(
          fieldError(
            'samples',
            'invalid_type',
            text('samples 须为数组', 'samples must be an array'),
          ),
        );
      const when = instant(at);
      if (!when.ok) return when;
      const ingest = evaluator.ingest(samples);
      return dispatch(ingest, when.value);
    },
    async run(at) {
      const when = instant(at);
      if (!when.ok) return when;
      return dispatch(emptyIngest, when.value);
    },
    async tick(at) {
      const when = instant(at);
      if (!when.ok) return when;
      if (deps.maintenance)
        dispatcher.setMaintenanceWindows(await deps.maintenance.windows(new Date(when.value)));
      const notifications = dispatcher.tick(when.value);
      if (deps.notifier) for (const n of notifications) await deps.notifier.send(n);
      return ok(notifications);
    },
    async acknowledge(actor, fingerprint, input) {
      const who = checkHandler(actor);
      if (!who.ok) return who;
      const i = input as { reason?: unknown; until?: unknown } | null;
      if (typeof i !== 'object' || i === null)
        return err(
          fieldError('input', 'invalid_type', text('输入须为对象', 'Input must be an object')),
        );
      if (typeof i.reason !== 'string' || i.reason.trim() === '')
        return err(
          fieldError('reason', 'required', text('须填写确认原因', 'A reason is required')),
        );
      const until =
        i.until instanceof Date
          ? i.until.getTime()
          : typeof i.until === 'string'
            ? Date.parse(i.until)
            : Number.NaN;
      if (!Number.isFinite(until))
        return err(fieldError('until', 'invalid_date', text('有效期无效', 'Invalid expiry')));
      return dispatcher.acknowledge(
        fingerprint,
        who.value.id,
        i.reason.trim(),
        until,
        deps.clock.now().getTime(),
      );
    },
    async silence(actor, input) {
      const who = checkHandler(actor);
      if (!who.ok) return who;
      const parsed = SilenceInputSchema.safeParse(input);
      if (!parsed.success) return err(fromZodError(parsed.error));
      const s = parsed.data;
      const silence: Silence = {
        id: deps.ids.next('SIL'),
        matchers: s.matchers.map((m) =>
          m.op === '=~' || m.op === '!~' ? { ...m, regex: new RegExp(`^(?:${m.value})$`) } : m,
        ),
        startsAt: s.startsAt.getTime(),
        endsAt: s.endsAt.getTime(),
        comment: s.comment,
        createdBy: who.value.id,
        ...(s.recurrence ? { recurrence: s.recurrence } : {}),
      };
      dispatcher.addSilence(silence);
      return ok(silence);
    },
    async expireSilence(actor, id) {
      const who = checkHandler(actor);
      if (!who.ok) return who;
      return dispatcher.expireSilence(id, deps.clock.now().getTime());
    },
    explain(rule, labels, at) {
      const when = instant(at);
      if (!when.ok) return when;
      return evaluator.explain(rule, labels, when.value);
    },
    incidentFor: (fingerprint) => links.get(fingerprint),
    incidentClosed(incidentId) {
      for (const [fp, id] of links) if (id === incidentId) links.delete(fp);
    },
    snapshot() {
      return {
        version: 1,
        evaluator: evaluator.snapshot(),
        dispatcher: dispatcher.snapshot(),
        incidents: [...links],
      };
    },
    restore(input) {
      const snap = input as Partial<MonitoringSnapshot> | null;
      if (typeof snap !== 'object' || snap === null || snap.version !== 1)
        return err(
          fieldError(
            'version',
            'invalid_snapshot',
            text('快照版本不支持', 'Unsupported snapshot version'),
          ),
        );
      const pairs = snap.incidents;
      if (
        !Array.isArray(pairs) ||
        !pairs.every(
          (p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string'),
        )
      )
        return err(
          fieldError(
            'incidents',
            'invalid_snapshot',
            text('告警与事件的关联无效', 'Invalid alert-to-incident links'),
          ),
        );
      // Check the dispatcher part on a scratch dispatcher first, so that nothing changes on error.
      const trial = createAlertDispatcher(policy).restore(snap.dispatcher);
      if (!trial.ok) return err(validationError(issuesUnder(trial.error.issues, 'dispatcher')));
      const ev = evaluator.restore(snap.evaluator);
      if (!ev.ok) return err(validationError(issuesUnder(ev.error.issues, 'evaluator')));
      dispatcher.restore(snap.dispatcher);
      links.clear();
      for (const [fp, id] of pairs) links.set(fp, id);
      return ok(undefined);
    },
  };
}
