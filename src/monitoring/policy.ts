import { z } from 'zod';
import { parsePolicy } from '../core/config.js';
import { roles } from '../org/roles.js';
import { alertSeverities } from './alert-rule.js';
import { metricCategories } from './catalog.js';
import { DurationSchema } from './duration.js';
import { repeatInterval } from './rules.js';

/** The channels of 4.3.2. */
export const channels = ['email', 'sms', 'popup'] as const;
/** A notification channel. */
export type Channel = (typeof channels)[number];

/** Who gets a notification: everyone holding a role, or whoever is on call for a rota. */
export const RecipientSchema = z.union([
  z.object({ role: z.enum(roles) }),
  z.object({ onCall: z.string().min(1) }),
]);
/** A recipient. */
export type Recipient = z.infer<typeof RecipientSchema>;

const MatcherSchema = z.object({
  label: z.string().min(1),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string(),
});

const timing = {
  groupBy: z.array(z.string()).optional(),
  groupWait: DurationSchema.optional(),
  groupInterval: DurationSchema.optional(),
  repeatInterval: DurationSchema.optional(),
};

/** One row of the routing table: which alerts, to which channels and recipients. */
export const RouteSchema = z.object({
  name: z.string().min(1),
  match: z
    .object({
      severity: z.array(z.enum(alertSeverities)).optional(),
      category: z.array(z.enum(metricCategories)).optional(),
      rules: z.array(z.string()).optional(),
      labels: z.array(MatcherSchema).optional(),
    })
    .prefault({}),
  channels: z.array(z.enum(channels)).min(1),
  recipients: z.array(RecipientSchema).min(1),
  /** Keep matching the next routes after this one (Alertmanager `continue`). */
  continue: z.boolean().default(false),
  ...timing,
});
/** A route. */
export type Route = z.infer<typeof RouteSchema>;

const S = 1000;
const M = 60 * S;
const H = 60 * M;

const defaultRoutes: z.input<typeof RouteSchema>[] = [
  {
    name: 'critical-to-on-call',
    match: { severity: ['critical'] },
    channels: ['sms', 'email', 'popup'],
    recipients: [{ onCall: 'ops' }, { role: 'ops_manager' }],
  },
  {
    name: 'network',
    match: { category: ['network', 'probe'] },
    channels: ['email', 'popup'],
    recipients: [{ role: 'network_engineer' }],
  },
  {
    name: 'data',
    match: { category: ['data'] },
    channels: ['email', 'popup'],
    recipients: [{ role: 'data_engineer' }],
  },
  {
    name: 'system-and-application',
    match: {},
    channels: ['email', 'popup'],
    recipients: [{ role: 'system_engineer' }],
  },
];

function checkTiming(
  t: { groupInterval?: number | undefined; repeatInterval?: number | undefined },
  fallback: { groupInterval: number; repeatInterval: number },
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const gi = t.groupInterval ?? fallback.groupInterval;
  const ri = t.repeatInterval ?? fallback.repeatInterval;
  if (ri < gi)
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'repeatInterval'],
      message: `${repeatInterval.id}: repeat interval ${ri}ms is shorter than the group interval ${gi}ms; repeats only happen on group-interval ticks`,
      params: { zh: `${repeatInterval.id}:重复间隔 ${ri}ms 短于分组间隔 ${gi}ms` },
    });
}

/** The monitoring section of the policy: grouping defaults, channels, routing table, severity. */
export const MonitoringPolicySchema = z
  .object({
    /** Alertmanager defaults: wait 30 s, interval 5 min, repeat 4 h, grouped by alert name. */
    grouping: z
      .object({
        groupBy: z.array(z.string()).default(['alertname']),
        groupWait: DurationSchema.default(30 * S),
        groupInterval: DurationSchema.default(5 * M),
        repeatInterval: DurationSchema.default(4 * H),
      })
      .prefault({}),
    /** Whether each channel also gets resolved notices. */
    channels: z
      .object({
        email: z.object({ sendResolved: z.boolean().default(true) }).prefault({}),
        sms: z.object({ sendResolved: z.boolean().default(false) }).prefault({}),
        popup: z.object({ sendResolved: z.boolean().default(true) }).prefault({}),
      })
      .prefault({}),
    /** The routing table: first match wins unless a route says `continue`. */
    routes: z.array(RouteSchema).min(1).prefault(defaultRoutes),
    /** What counts as severe (4.3.3): these severities, rules or categories open an incident. */
    severe: z
      .object({
        severities: z.array(z.enum(alertSeverities)).default(['critical']),
        rules: z.array(z.string()).default([]),
        categories: z.array(z.enum(metricCategories)).default([]),
      })
      .prefault({}),
    /** The series label that names the configuration item, for maintenance windows. */
    ciLabel: z.string().min(1).default('ci'),
    /** Alert rules (inputs) the monitoring service runs; empty means the catalog defaults. */
    rules: z.array(z.unknown()).default([]),
  })
  .superRefine((p, ctx) => {
    checkTiming(p.grouping, p.grouping, ['grouping'], ctx);
    p.routes.forEach((r, i) => {
      checkTiming(r, p.grouping, ['routes', i], ctx);
    });
  });

/** The monitoring policy, validated. */
export type MonitoringPolicy = z.infer<typeof MonitoringPolicySchema>;
/** The monitoring policy as a consumer writes it. */
export type MonitoringPolicyInput = z.input<typeof MonitoringPolicySchema>;

/**
 * Validates a monitoring policy section on its own (the whole policy uses `definePolicy`).
 *
 * @example
 * const p = defineMonitoringPolicy({ grouping: { repeatInterval: '1h' } });
 */
export function defineMonitoringPolicy(input: MonitoringPolicyInput = {}): MonitoringPolicy {
  return parsePolicy('defineMonitoringPolicy', MonitoringPolicySchema, input);
}
