import { type ValidationError, validationError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { text } from '../../core/text.js';
import {
  type AlertRule,
  type AlertSeverity,
  defineAlertRules,
  type Labels,
} from '../alert-rule.js';
import {
  builtinCatalog,
  defineMetricCatalog,
  type MetricCatalog,
  type MetricDefinitionInput,
} from '../catalog.js';
import { formatDuration, parseDuration } from '../duration.js';
import { type AlertTransition, createEvaluator, type TransitionKind } from '../evaluator.js';

/** One point of an expanded series: a value, a missing scrape, or a staleness marker. */
export type SeriesPoint = number | null | 'stale';

/**
 * Expands promtool's series notation: `a+bxn` is n+1 values from a stepping by b (`a-bxn`
 * steps down, `axn` repeats a), `_` is a missing scrape, `_xn` is n missing scrapes, `stale` is
 * a staleness marker, a plain number is one value.
 *
 * @example
 * expandSeries('0+10x3 _ 100 stale'); // [0, 10, 20, 30, null, 100, 'stale']
 */
export function expandSeries(notation: string): Result<SeriesPoint[], ValidationError> {
  const out: SeriesPoint[] = [];
  const num = '(-?(?:Inf|NaN|\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?))';
  const stepped = new RegExp(`^${num}(?:([+-])(\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?))?x(\\d+)$`);
  const single = new RegExp(`^${num}$`);
  const tokens = notation.trim().split(/\s+/).filter(Boolean);
  for (const [i, tok] of tokens.entries()) {
    if (tok === '_') out.push(null);
    else if (tok === 'stale') out.push('stale');
    else if (/^_x\d+$/.test(tok)) for (let k = 0; k < Number(tok.slice(2)); k++) out.push(null);
    else {
      const m = stepped.exec(tok);
      if (m) {
        const a = Number(m[1]!.replace('Inf', 'Infinity'));
        const b = m[3] === undefined ? 0 : Number(m[3]) * (m[2] === '-' ? -1 : 1);
        for (let k = 0; k <= Number(m[4]); k++) out.push(a + b * k);
        continue;
      }
      const s = single.exec(tok);
      if (!s)
        return err(
          validationError([
            {
              path: `values.${i}`,
              code: 'invalid_notation',
              message: text(
                `无法解析:${tok}`,
                `Cannot read '${tok}': use a+bxn, _, _xn, stale or a number`,
              ),
            },
          ]),
        );
      out.push(Number(s[1]!.replace('Inf', 'Infinity')));
    }
  }
  return ok(out);
}

/**
 * Reads a series selector: `metric{label="value",...}`.
 *
 * @example
 * parseSelector('system.cpu.usage{host="db1"}'); // { metric: 'system.cpu.usage', labels: { host: 'db1' } }
 */
export function parseSelector(selector: string): { metric: string; labels: Labels } | undefined {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_.:]*)\s*(?:\{(.*)\})?\s*$/.exec(selector);
  if (!m) return undefined;
  const labels: Record<string, string> = {};
  const body = m[2]?.trim() ?? '';
  if (body !== '') {
    const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
    let pos = 0;
    while (pos < body.length) {
      re.lastIndex = pos;
      const p = re.exec(body);
      if (!p) return undefined;
      labels[p[1]!] = p[2]!.replace(/\\(.)/g, '$1');
      pos = re.lastIndex;
    }
  }
  return { metric: m[1]!, labels };
}

/** An alert expected at a time. Omitted fields are not checked, except `state` (default firing). */
export interface ExpectedAlert {
  readonly state?: 'pending' | 'firing' | undefined;
  readonly severity?: AlertSeverity | undefined;
  /** The alert's labels (series labels plus the rule's), exactly. */
  readonly labels?: Labels | undefined;
}

/** A transition expected at an evaluation time. */
export interface ExpectedTransition {
  readonly kind: TransitionKind;
  readonly severity?: AlertSeverity | undefined;
  readonly labels?: Labels | undefined;
}

/** A rule unit test, in the spirit of `promtool test rules`. */
export interface RuleTestSpec {
  readonly rules: readonly unknown[];
  /** Extra metrics (consumer definitions) or a whole catalog. */
  readonly metrics?: readonly MetricDefinitionInput[] | MetricCatalog | undefined;
  /** Evaluation interval, also the spacing of series points: `1m`, `15s`. */
  readonly interval: string | number;
  /** Epoch milliseconds of the first point; default 0. */
  readonly start?: number | undefined;
  readonly series: readonly { readonly series: string; readonly values: string }[];
  /** Alerts active (pending or firing) for a rule at a time (`5m` after start): the exact set. */
  readonly alerts?:
    | readonly {
        readonly at: string | number;
        readonly rule: string;
        readonly expected: readonly ExpectedAlert[];
      }[]
    | undefined;
  /** Transitions a rule returns at a time: the exact list, in order. */
  readonly transitions?:
    | readonly {
        readonly at: string | number;
        readonly rule: string;
        readonly expected: readonly ExpectedTransition[];
      }[]
    | undefined;
}

/** One difference between what a test expected and what the rules did. */
export interface RuleTestMismatch {
  readonly at: string;
  readonly rule: string;
  readonly what: 'alerts' | 'transitions';
  readonly expected: readonly string[];
  readonly got: readonly string[];
}

/** The outcome of a rule test. */
export interface RuleTestResult {
  readonly ok: boolean;
  readonly mismatches: readonly RuleTestMismatch[];
  /** Every transition seen, as readable lines: `2m cpu_high firing warning {host="a"} 95`. */
  readonly trace: readonly string[];
  /** A readable report of the mismatches (empty when ok). */
  readonly report: string;
}

function fmtLabels(l: Labels | undefined): string {
  if (!l) return '';
  return `{${Object.keys(l)
    .sort()
    .map((k) => `${k}="${l[k]}"`)
    .join(',')}}`;
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/**
 * Runs a rule unit test: expands the series, evaluates every interval from the start to the
 * last expected time, and compares the alerts and transitions expected at each time. A spec
 * that cannot be read (bad rule, notation or duration) is a `validation` error.
 *
 * @example
 * const r = unwrap(testAlertRules({
 *   rules: [{ id: 'cpu_high', metric: 'system.cpu.usage', warning: { threshold: 90, recovery: 85 }, for: '2m' }],
 *   interval: '1m',
 *   series: [{ series: 'system.cpu.usage{host="a"}', values: '50 95x4 80' }],
 *   alerts: [{ at: '3m', rule: 'cpu_high', expected: [{ state: 'firing', labels: { host: 'a' } }] }],
 * }));
 * r.ok; // true; otherwise r.report says what differed
 */
export function testAlertRules(spec: RuleTestSpec): Result<RuleTestResult, ValidationError> {
  const issues: { path: string; code: string; message: ReturnType<typeof text> }[] = [];
  const bad = (path: string, en: string, zh: string): void => {
    issues.push({ path, code: 'invalid', message: text(zh, en) });
  };
  let catalog: MetricCatalog = builtinCatalog();
  if (Array.isArray(spec.metrics)) {
    const c = defineMetricCatalog(spec.metrics);
    if (!c.ok) return c;
    catalog = c.value;
  } else if (spec.metrics) catalog = spec.metrics as MetricCatalog;
  const compiled = defineAlertRules(spec.rules, catalog);
  if (!compiled.ok)
    return err(
      validationError(compiled.error.issues.map((i) => ({ ...i, path: `rules.${i.path}` }))),
    );
  const rules: readonly AlertRule[] = compiled.value;
  const interval = parseDuration(spec.interval);
  if (interval === undefined || interval <= 0) bad('interval', 'Invalid interval', '评估间隔无效');
  const start = spec.start ?? 0;
  const ev = createEvaluator({ rules, catalog });
  const series: { handle: number; points: SeriesPoint[] }[] = [];
  for (const [i, s] of spec.series.entries()) {
    const sel = parseSelector(s.series);
    if (!sel) {
      bad(`series.${i}.series`, `Cannot read selector '${s.series}'`, `无法解析序列:${s.series}`);
      continue;
    }
    const h = ev.series(sel.metric, sel.labels);
    if (!h.ok) {
      bad(`series.${i}.series`, h.error.issues[0]!.message.en, h.error.issues[0]!.message.zh);
      continue;
    }
    const points = expandSeries(s.values);
    if (!points.ok) {
      bad(
        `series.${i}.values`,
        points.error.issues[0]!.message.en,
        points.error.issues[0]!.message.zh,
      );
      continue;
    }
    series.push({ handle: h.value, points: points.value });
  }
  const offsets = new Map<number, string>();
  const readAt = (at: string | number, path: string): number | undefined => {
    const ms = parseDuration(at);
    if (ms === undefined) bad(path, `Invalid time '${String(at)}'`, `时间无效:${String(at)}`);
    else offsets.set(ms, typeof at === 'string' ? at : formatDuration(ms));
    return ms;
  };
  const alertChecks = (spec.alerts ?? []).map((a, i) => ({
    ...a,
    ms: readAt(a.at, `alerts.${i}.at`),
  }));
  const transitionChecks = (spec.transitions ?? []).map((a, i) => ({
    ...a,
    ms: readAt(a.at, `transitions.${i}.at`),
  }));
  for (const [i, c] of [...alertChecks, ...transitionChecks].entries())
    if (!rules.some((r) => r.id === c.rule))
      bad(
        `${i < alertChecks.length ? 'alerts' : 'transitions'}.${i < alertChecks.length ? i : i - alertChecks.length}.rule`,
        `Unknown rule '${c.rule}'`,
        `未知规则:${c.rule}`,
      );
  if (issues.length > 0) return err(validationError(issues));

  const step = interval as number;
  const last = Math.max(0, ...[...alertChecks, ...transitionChecks].map((c) => c.ms as number));
  const mismatches: RuleTestMismatch[] = [];
  const trace: string[] = [];
  for (let k = 0, off = 0; off <= last; k++, off = k * step) {
    const at = start + off;
    for (const s of series) {
      const p = s.points[k];
      if (p === undefined || p === null) continue;
      if (p === 'stale') ev.markStale(s.handle, at);
      else ev.ingestColumns(Int32Array.of(s.handle), Float64Array.of(at), Float64Array.of(p));
    }
    const ts = ev.evaluate(at);
    const label = offsets.get(off) ?? formatDuration(off);
    for (const t of ts)
      trace.push(
        `${label} ${t.rule} ${t.kind} ${t.severity} ${fmtLabels(t.labels)} ${t.value ?? '—'}`,
      );
    for (const c of alertChecks) {
      if (c.ms !== off) continue;
      const got = ev.activeAlerts().filter((a) => a.rule === c.rule);
      const unmatched = [...got];
      let good = true;
      for (const e of c.expected) {
        const idx = unmatched.findIndex(
          (a) =>
            a.state === (e.state ?? 'firing') &&
            (e.severity === undefined || a.severity === e.severity) &&
            (e.labels === undefined || sameLabels(a.labels, e.labels)),
        );
        if (idx < 0) good = false;
        else unmatched.splice(idx, 1);
      }
      if (!good || unmatched.length > 0)
        mismatches.push({
          at: label,
          rule: c.rule,
          what: 'alerts',
          expected: c.expected.map(
            (e) =>
              `${e.state ?? 'firing'} ${e.severity ?? '*'} ${e.labels ? fmtLabels(e.labels) : '*'}`,
          ),
          got: got.map((a) => `${a.state} ${a.severity} ${fmtLabels(a.labels)}`),
        });
    }
    for (const c of transitionChecks) {
      if (c.ms !== off) continue;
      const got = ts.filter((t: AlertTransition) => t.rule === c.rule);
      const good =
        got.length === c.expected.length &&
        c.expected.every(
          (e, i) =>
            got[i]!.kind === e.kind &&
            (e.severity === undefined || got[i]!.severity === e.severity) &&
            (e.labels === undefined || sameLabels(got[i]!.labels, e.labels)),
        );
      if (!good)
        mismatches.push({
          at: label,
          rule: c.rule,
          what: 'transitions',
          expected: c.expected.map(
            (e) => `${e.kind} ${e.severity ?? '*'} ${e.labels ? fmtLabels(e.labels) : '*'}`,
          ),
          got: got.map((t) => `${t.kind} ${t.severity} ${fmtLabels(t.labels)}`),
        });
    }
  }
  const report = mismatches
    .map(
      (m) =>
        `${m.what} of rule '${m.rule}' at ${m.at}:\n  expected: [${m.expected.join('; ')}]\n  got:      [${m.got.join('; ')}]`,
    )
    .join('\n');
  return ok({ ok: mismatches.length === 0, mismatches, trace, report });
}
