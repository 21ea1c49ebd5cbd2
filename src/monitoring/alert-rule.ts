import { z } from 'zod';
import type { ClauseId } from '../core/clauses.js';
import {
  fromZodError,
  type ValidationError,
  type ValidationIssue,
  validationError,
  validationIssue,
} from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { type LocalizedText, text } from '../core/text.js';
import {
  builtinCatalog,
  type Comparator,
  categoryClause,
  comparators,
  type MetricCatalog,
  type MetricCategory,
} from './catalog.js';
import { DurationSchema } from './duration.js';
import { ladderOrder, recoverySide, windowTooShort } from './rules.js';

/** Labels of a series: `{ host: 'db1', ci: 'CI-42' }`. */
export type Labels = Readonly<Record<string, string>>;

/** The severities of an alert rule's ladder, least severe first. */
export const alertSeverities = ['warning', 'critical'] as const;
/** A rung of the ladder. */
export type AlertSeverity = (typeof alertSeverities)[number];

/** Window aggregations: `<fn>_over_time` in Prometheus, and `increase`/`rate`. */
export const windowFunctions = [
  'avg',
  'min',
  'max',
  'sum',
  'count',
  'last',
  'increase',
  'rate',
] as const;
/** A window aggregation. */
export type WindowFunction = (typeof windowFunctions)[number];

const RungSchema = z.union([
  z.number(),
  z.object({ threshold: z.number(), recovery: z.number().optional() }),
]);

const MatcherSchema = z.object({
  label: z.string().min(1),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string(),
});

/** An alert rule as a consumer writes it. */
export const AlertRuleInputSchema = z.object({
  /** Stable id; also the alert's name (`alertname`). */
  id: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_.:-]*$/),
  title: z.object({ zh: z.string().min(1), en: z.string().min(1) }).optional(),
  /** A catalog metric, or a derived ratio of two: `{ numerator, denominator, scale: 100 }`. */
  metric: z.union([
    z.string().min(1),
    z.object({
      numerator: z.string().min(1),
      denominator: z.string().min(1),
      scale: z.number().positive().optional(),
    }),
  ]),
  /** Label matchers, Prometheus style; regexes are anchored. A string value means `=`. */
  matchers: z.union([z.array(MatcherSchema), z.record(z.string(), z.string())]).optional(),
  comparator: z.enum(comparators).optional(),
  warning: RungSchema.optional(),
  critical: RungSchema.optional(),
  for: DurationSchema.optional(),
  keepFiringFor: DurationSchema.optional(),
  window: z.object({ fn: z.enum(windowFunctions), range: DurationSchema }).optional(),
  flapping: z.object({ window: DurationSchema, maxChanges: z.number().int().min(2) }).optional(),
  lookback: DurationSchema.optional(),
  noDataAfter: DurationSchema.optional(),
  /** Labels added to every alert of the rule (`team`, `service`). */
  labels: z.record(z.string(), z.string()).optional(),
});

/** An alert rule as a consumer writes it. */
export type AlertRuleInput = z.input<typeof AlertRuleInputSchema>;

/** A rung of a compiled ladder. */
export interface Rung {
  readonly severity: AlertSeverity;
  readonly threshold: number;
  readonly recovery: number;
}

/** A compiled label matcher. */
export interface CompiledMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  readonly regex?: RegExp | undefined;
}

/** A validated, compiled rule: what the evaluator runs. */
export interface AlertRule {
  readonly id: string;
  readonly title: LocalizedText;
  readonly metric: string | undefined;
  readonly ratio:
    | { readonly numerator: string; readonly denominator: string; readonly scale: number }
    | undefined;
  readonly category: MetricCategory;
  readonly clause: ClauseId;
  readonly matchers: readonly CompiledMatcher[];
  readonly comparator: Comparator;
  readonly warning: Rung | undefined;
  readonly critical: Rung | undefined;
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly window: { readonly fn: WindowFunction; readonly rangeMs: number } | undefined;
  readonly flapping: { readonly windowMs: number; readonly maxChanges: number } | undefined;
  readonly lookbackMs: number;
  readonly noDataAfterMs: number;
  readonly labels: Labels;
  /** The cadence the rule's metrics are expected at, milliseconds. */
  readonly cadenceMs: number;
}

/** Prometheus' default lookback delta. */
export const defaultLookbackMs = 5 * 60_000;

/**
 * Tells whether `value <comparator> threshold` holds. NaN never holds, for any comparator.
 *
 * @example
 * holds('>', 91, 90); // true
 */
export function holds(comparator: Comparator, value: number, threshold: number): boolean {
  if (Number.isNaN(value)) return false;
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

function recoveryOnRightSide(comparator: Comparator, threshold: number, recovery: number): boolean {
  switch (comparator) {
    case '>':
    case '>=':
      return recovery <= threshold;
    case '<':
    case '<=':
      return recovery >= threshold;
    default:
      return recovery === threshold;
  }
}

/**
 * Validates and compiles an alert rule against the metric catalog, once. Besides the schema it
 * catches the known traps: a recovery threshold on the firing side, a critical rung laxer than
 * the warning one, a rate window shorter than two reporting intervals, rate on a gauge, a
 * lookback shorter than the cadence, an unknown metric. Each is a `validation` issue naming
 * the field.
 *
 * @example
 * const rule = unwrap(defineAlertRule({
 *   id: 'cpu_high', metric: 'system.cpu.usage', comparator: '>',
 *   warning: { threshold: 90, recovery: 85 }, for: '60s',
 * }));
 */
export function defineAlertRule(
  input: unknown,
  catalog: MetricCatalog = builtinCatalog(),
): Result<AlertRule, ValidationError> {
  const parsed = AlertRuleInputSchema.safeParse(input);
  if (!parsed.success) return err(fromZodError(parsed.error));
  const r = parsed.data;
  const issues: ValidationIssue[] = [];

  const names =
    typeof r.metric === 'string'
      ? [{ name: r.metric, path: 'metric' }]
      : [
          { name: r.metric.numerator, path: 'metric.numerator' },
          { name: r.metric.denominator, path: 'metric.denominator' },
        ];
  const defs = names.map(({ name, path }) => {
    const def = catalog.get(name);
    if (!def)
      issues.push(
        validationIssue(
          path,
          'unknown_metric',
          `未知指标:${name}`,
          `Unknown metric '${name}': add it to the catalog`,
        ),
      );
    return def;
  });
  if (typeof r.metric !== 'string' && r.metric.numerator === r.metric.denominator)
    issues.push(
      validationIssue(
        'metric.denominator',
        'same_metric',
        '比率的分子分母不能相同',
        'A ratio needs two different metrics',
      ),
    );
  if (issues.length > 0) return err(validationError(issues));
  const primary = defs[0]!;
  const cadenceMs = Math.max(...defs.map((d) => d!.cadence));
  const noDataAfterMs = r.noDataAfter ?? Math.max(...defs.map((d) => d!.noDataAfter));

  const comparator = r.comparator ?? primary.thresholds?.comparator;
  if (comparator === undefined)
    issues.push(
      validationIssue(
        'comparator',
        'required',
        '须指定比较符',
        'A comparator is required (the metric has no default)',
      ),
    );
  const cmp = comparator ?? '>';

  const rung = (severity: AlertSeverity, value: unknown): Rung | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === 'number') return { severity, threshold: value, recovery: value };
    const v = value as { threshold: number; recovery?: number | undefined };
    return { severity, threshold: v.threshold, recovery: v.recovery ?? v.threshold };
  };
  let warning = rung('warning', r.warning);
  let critical = rung('critical', r.critical);
  if (!warning && !critical) {
    const t = primary.thresholds;
    if (
      typeof r.metric === 'string' &&
      t &&
      (r.comparator === undefined || r.comparator === t.comparator)
    ) {
      warning = rung('warning', t.warning);
      critical = rung('critical', t.critical);
    }
    if (!warning && !critical)
      issues.push(
        validationIssue(
          'warning',
          'required',
          '须至少指定一个阈值',
          'At least one rung (warning or critical) is required',
        ),
      );
  }
  for (const rg of [warning, critical]) {
    if (rg && !recoveryOnRightSide(cmp, rg.threshold, rg.recovery))
      issues.push(
        validationIssue(
          `${rg.severity}.recovery`,
          recoverySide.id,
          `恢复阈值 ${rg.recovery} 位于触发一侧(${cmp} ${rg.threshold})`,
          cmp === '==' || cmp === '!='
            ? `A recovery threshold with '${cmp}' must equal the threshold ${rg.threshold}`
            : `Recovery threshold ${rg.recovery} is on the firing side of '${cmp} ${rg.threshold}': it would resolve while still firing`,
        ),
      );
  }
  if (warning && critical) {
    const bad =
      (cmp === '>' || cmp === '>=') && critical.threshold < warning.threshold
        ? true
        : (cmp === '<' || cmp === '<=') && critical.threshold > warning.threshold;
    if (bad)
      issues.push(
        validationIssue(
          'critical.threshold',
          ladderOrder.id,
          `严重阈值 ${critical.threshold} 比警告阈值 ${warning.threshold} 更宽松`,
          `Critical threshold ${critical.threshold} is laxer than warning threshold ${warning.threshold} for '${cmp}'`,
        ),
      );
  }
  if (r.window) {
    const perSample = r.window.fn === 'rate' || r.window.fn === 'increase';
    const min = (perSample ? 2 : 1) * cadenceMs;
    if (r.window.range < min)
      issues.push(
        validationIssue(
          'window.range',
          windowTooShort.id,
          `窗口 ${r.window.range}ms 短于 ${perSample ? '两个' : '一个'}上报周期(${cadenceMs}ms)`,
          `Window ${r.window.range}ms is shorter than ${perSample ? 'two reporting intervals' : 'one reporting interval'} (${cadenceMs}ms)`,
        ),
      );
    if (perSample && defs.some((d) => d!.kind !== 'counter'))
      issues.push(
        validationIssue(
          'window.fn',
          'rate_on_gauge',
          `${r.window.fn} 只适用于计数器`,
          `${r.window.fn} needs counter metrics, not gauges`,
        ),
      );
  }
  const lookbackMs = r.lookback ?? Math.max(defaultLookbackMs, noDataAfterMs);
  if (lookbackMs < cadenceMs)
    issues.push(
      validationIssue(
        'lookback',
        'lookback_too_short',
        '回看窗口短于上报周期',
        `Lookback ${lookbackMs}ms is shorter than the cadence ${cadenceMs}ms: values vanish between reports`,
      ),
    );
  if (r.flapping && r.flapping.window <= 0)
    issues.push(
      validationIssue(
        'flapping.window',
        'too_small',
        '抖动窗口须大于 0',
        'The flapping window must be positive',
      ),
    );

  const matchers: CompiledMatcher[] = [];
  const rawMatchers = Array.isArray(r.matchers)
    ? r.matchers
    : Object.entries(r.matchers ?? {}).map(([label, value]) => ({
        label,
        op: '=' as const,
        value,
      }));
  rawMatchers.forEach((mt, i) => {
    if (mt.op === '=~' || mt.op === '!~') {
      try {
        matchers.push({ ...mt, regex: new RegExp(`^(?:${mt.value})$`) });
      } catch {
        issues.push(
          validationIssue(
            `matchers.${i}.value`,
            'invalid_regex',
            `正则无效:${mt.value}`,
            `Invalid regex '${mt.value}'`,
          ),
        );
      }
    } else matchers.push(mt);
  });
  if (issues.length > 0) return err(validationError(issues));

  return ok(
    Object.freeze({
      id: r.id,
      title:
        r.title ??
        (typeof r.metric === 'string'
          ? primary.title
          : text(
              `${r.metric.numerator}/${r.metric.denominator}`,
              `${r.metric.numerator}/${r.metric.denominator}`,
            )),
      metric: typeof r.metric === 'string' ? r.metric : undefined,
      ratio:
        typeof r.metric === 'string'
          ? undefined
          : {
              numerator: r.metric.numerator,
              denominator: r.metric.denominator,
              scale: r.metric.scale ?? 1,
            },
      category: primary.category,
      clause: categoryClause[primary.category],
      matchers,
      comparator: cmp,
      warning,
      critical,
      forMs: r.for ?? 0,
      keepFiringForMs: r.keepFiringFor ?? 0,
      window: r.window ? { fn: r.window.fn, rangeMs: r.window.range } : undefined,
      flapping: r.flapping
        ? { windowMs: r.flapping.window, maxChanges: r.flapping.maxChanges }
        : undefined,
      lookbackMs,
      noDataAfterMs,
      labels: Object.freeze({ ...(r.labels ?? {}) }),
      cadenceMs,
    }),
  );
}

/**
 * Validates and compiles several rules; issues are prefixed with the rule's index
 * (`1.warning.recovery`). Duplicate ids are an error.
 *
 * @example
 * const rules = unwrap(defineAlertRules([cpuRule, successRateRule]));
 */
export function defineAlertRules(
  inputs: readonly unknown[],
  catalog: MetricCatalog = builtinCatalog(),
): Result<readonly AlertRule[], ValidationError> {
  const issues: ValidationIssue[] = [];
  const rules: AlertRule[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, i) => {
    const r = defineAlertRule(input, catalog);
    if (!r.ok) {
      for (const x of r.error.issues)
        issues.push({ ...x, path: x.path ? `${i}.${x.path}` : String(i) });
      return;
    }
    if (seen.has(r.value.id))
      issues.push(
        validationIssue(
          `${i}.id`,
          'duplicate',
          `规则 id 重复:${r.value.id}`,
          `Duplicate rule id '${r.value.id}'`,
        ),
      );
    seen.add(r.value.id);
    rules.push(r.value);
  });
  return issues.length > 0 ? err(validationError(issues)) : ok(rules);
}

/**
 * Tells whether a series' labels satisfy a rule's matchers.
 *
 * @example
 * matchesLabels(rule.matchers, { host: 'db1' });
 */
export function matchesLabels(matchers: readonly CompiledMatcher[], labels: Labels): boolean {
  for (const m of matchers) {
    const v = labels[m.label] ?? '';
    switch (m.op) {
      case '=':
        if (v !== m.value) return false;
        break;
      case '!=':
        if (v === m.value) return false;
        break;
      case '=~':
        if (!m.regex!.test(v)) return false;
        break;
      case '!~':
        if (m.regex!.test(v)) return false;
        break;
    }
  }
  return true;
}
