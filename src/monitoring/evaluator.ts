import type { ClauseId } from '../core/clauses.js';
import { fieldError, type ValidationError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { type LocalizedText, text } from '../core/text.js';
import { fnv1a, growF64, growI32, growU8, labelKey } from './_lib/grow.js';
import {
  type AlertRule,
  type AlertSeverity,
  holds,
  type Labels,
  matchesLabels,
} from './alert-rule.js';
import { builtinCatalog, type MetricCatalog, type MetricCategory } from './catalog.js';
import { formatDuration } from './duration.js';
import { realtimeNoData } from './rules.js';

/** A sample in the object API. `stale: true` is a staleness marker: the series ended at `t`. */
export interface Sample {
  readonly metric: string;
  readonly labels: Labels;
  /** Milliseconds since the epoch. */
  readonly t: number;
  readonly value: number;
  readonly stale?: boolean | undefined;
}

/** A handle for one series, resolved once with `evaluator.series(metric, labels)`. */
export type SeriesHandle = number;

/** What a kind of transition means. */
export type TransitionKind =
  | 'pending'
  | 'firing'
  | 'escalated'
  | 'deescalated'
  | 'resolved'
  | 'no_data';

/** A change of an alert's state: what `evaluate` returns. Nothing is returned when nothing changed. */
export interface AlertTransition {
  readonly kind: TransitionKind;
  /** Rule id (the alert's name). */
  readonly rule: string;
  /** Series labels plus the rule's own labels. */
  readonly labels: Labels;
  /** Stable identity of the alert: rule id and series labels. */
  readonly fingerprint: string;
  readonly at: number;
  /** The value evaluated; `undefined` for `no_data` or when the series went stale. */
  readonly value: number | undefined;
  readonly severity: AlertSeverity;
  /** The threshold crossed (firing, escalated) or recovered past (resolved, deescalated). */
  readonly threshold: number | undefined;
  /** When the condition first held (`activeAt` in Prometheus). */
  readonly activeAt: number | undefined;
  readonly clause: ClauseId;
  readonly category: MetricCategory;
  /** The series changed state too often inside the rule's flapping window. */
  readonly flapping: boolean;
  readonly message: LocalizedText;
}

/**
 * The transitions of one `evaluate` call kept as columns: the objects of `evaluate` are built
 * only for the transitions you ask for, which keeps a burst of thousands of transitions cheap.
 * Every field of `AlertTransition` is available through `get`.
 */
export interface TransitionBatch extends Iterable<AlertTransition> {
  /** The evaluation time, the `at` of every transition in the batch. */
  readonly at: number;
  readonly length: number;
  kind(index: number): TransitionKind;
  /** Rule id (the alert's name). */
  rule(index: number): string;
  /** Series labels plus the rule's own labels. */
  labels(index: number): Labels;
  severity(index: number): AlertSeverity;
  /** The value evaluated; `undefined` for `no_data` or when the series went stale. */
  value(index: number): number | undefined;
  /** The transition as `evaluate` returns it, built anew on each call. */
  get(index: number): AlertTransition;
  /** Every transition, as `evaluate` returns them. */
  toArray(): readonly AlertTransition[];
}

/** What an ingest call did with its samples. */
export interface IngestReport {
  readonly accepted: number;
  /** Older than the newest sample of its series: dropped, as Prometheus does. */
  readonly outOfOrder: number;
  /** Same timestamp as the newest sample of its series: dropped (the first write wins). */
  readonly duplicate: number;
  /** NaN value, non-finite time, unknown handle or malformed labels: dropped. */
  readonly invalid: number;
  /** Metric not in the catalog: dropped. */
  readonly unknownMetric: number;
}

/** The state of one alert (rule × series) as `activeAlerts` lists it. */
export interface ActiveAlert {
  readonly rule: string;
  readonly labels: Labels;
  readonly fingerprint: string;
  readonly state: 'pending' | 'firing';
  readonly severity: AlertSeverity;
  readonly activeAt: number;
  readonly noData: boolean;
}

/** Why an alert did or did not fire at a time. */
export interface Explanation {
  readonly rule: string;
  readonly labels: Labels;
  readonly at: number;
  readonly state: 'inactive' | 'pending' | 'firing' | 'unknown_series';
  readonly severity: AlertSeverity | undefined;
  readonly value: number | undefined;
  readonly noData: boolean;
  readonly stale: boolean;
  readonly rungs: readonly {
    readonly severity: AlertSeverity;
    readonly threshold: number;
    readonly recovery: number;
    readonly holds: boolean;
    readonly recovered: boolean;
  }[];
  readonly activeAt: number | undefined;
  /** When a pending alert fires if the condition keeps holding. */
  readonly firesAt: number | undefined;
  /** Until when `keepFiringFor` holds a recovered alert. */
  readonly keepFiringUntil: number | undefined;
  readonly reason: LocalizedText;
}

/** Options of `createEvaluator`. */
export interface EvaluatorOptions {
  readonly rules: readonly AlertRule[];
  readonly catalog?: MetricCatalog | undefined;
}

/** A number as a JSON snapshot keeps it: non-finite values as text. */
export type SnapshotNumber = number | 'NaN' | 'Inf' | '-Inf';

/** The evaluator's state as plain data (JSON-safe), for restarts and partitioning. */
export interface EvaluatorSnapshot {
  readonly version: 1;
  readonly rules: readonly string[];
  readonly lastEvalAt: SnapshotNumber;
  readonly series: readonly {
    readonly metric: string;
    readonly labels: Labels;
    /** [lastT, lastV, prevT, prevV, newest real sample time if the last is stale]; NaN value = stale. */
    readonly s: readonly SnapshotNumber[];
    /** Window samples, oldest first: [t, v, t, v, ...]. */
    readonly ring?: readonly SnapshotNumber[] | undefined;
  }[];
  /** Per rule, members with state: [member, state, sev, activeAt, keepSince, noData, ...flap]. */
  readonly states: readonly (readonly (readonly SnapshotNumber[])[])[];
}

/** The streaming evaluator. */
export interface Evaluator {
  readonly rules: readonly AlertRule[];
  /** Resolves a series once, for the columnar API. Unknown metric or bad labels: validation. */
  series(metric: string, labels: Labels): Result<SeriesHandle, ValidationError>;
  /** Object API: ingests samples, resolving each series by metric and labels. */
  ingest(samples: readonly Sample[]): IngestReport;
  /** Columnar API: ingests `length` samples from typed arrays of handle, time and value. */
  ingestColumns(
    handles: Int32Array | Uint32Array,
    times: Float64Array,
    values: Float64Array,
    length?: number,
  ): IngestReport;
  /** Marks a series stale at `t` (the series ended): its alerts resolve, no `no_data`. */
  markStale(handle: SeriesHandle, t: number): void;
  /** Evaluates every rule at `at`; returns only the transitions. */
  evaluate(at: number): readonly AlertTransition[];
  /**
   * Like `evaluate`, returning the transitions as columns, for volume (see `TransitionBatch`).
   * Pass a batch from an earlier call as `reuse` to refill its memory rather than allocate: it
   * is returned holding this evaluation's transitions, its earlier ones gone.
   */
  evaluateBatch(at: number, reuse?: TransitionBatch): TransitionBatch;
  /** Why a rule's alert for a series did or did not fire at `at`, without changing anything. */
  explain(ruleId: string, labels: Labels, at: number): Result<Explanation, ValidationError>;
  /** The pending and firing alerts. */
  activeAlerts(): readonly ActiveAlert[];
  /** Everything dropped so far. */
  stats(): IngestReport & { readonly series: number; readonly backwardsEvaluations: number };
  snapshot(): EvaluatorSnapshot;
  /** Replaces this evaluator's state with a snapshot taken with the same rules. */
  restore(snapshot: unknown): Result<void, ValidationError>;
}

const INACTIVE = 0;
const PENDING = 1;
const FIRING = 2;
const SEV_NONE = 0;
const SEV_WARNING = 1;
const SEV_CRITICAL = 2;

const CMP_GT = 0;
const CMP_GE = 1;
const CMP_LT = 2;
const CMP_LE = 3;
const CMP_EQ = 4;
const CMP_NE = 5;
const cmpCode = {
  '>': CMP_GT,
  '>=': CMP_GE,
  '<': CMP_LT,
  '<=': CMP_LE,
  '==': CMP_EQ,
  '!=': CMP_NE,
};

const FN_NONE = 0;
const fnCode = { avg: 1, min: 2, max: 3, sum: 4, count: 5, last: 6, increase: 7, rate: 8 } as const;

function test(cmp: number, v: number, th: number): boolean {
  switch (cmp) {
    case CMP_GT:
      return v > th;
    case CMP_GE:
      return v >= th;
    case CMP_LT:
      return v < th;
    case CMP_LE:
      return v <= th;
    case CMP_EQ:
      return v === th;
    default:
      return !Number.isNaN(v) && v !== th;
  }
}

interface RuleRuntime {
  readonly rule: AlertRule;
  /** Position in the evaluator's rules. */
  readonly index: number;
  readonly cmp: number;
  readonly hasWarn: boolean;
  readonly hasCrit: boolean;
  readonly warnTh: number;
  readonly warnRec: number;
  readonly critTh: number;
  readonly critRec: number;
  readonly lowSev: number;
  readonly lowRec: number;
  readonly metricId: number;
  readonly denId: number;
  readonly scale: number;
  readonly fn: number;
  readonly rangeMs: number;
  readonly lookback: number;
  readonly noDataAfter: number;
  readonly forMs: number;
  readonly keepMs: number;
  readonly flapN: number;
  readonly flapWindow: number;
  n: number;
  num: Int32Array<ArrayBuffer>;
  den: Int32Array<ArrayBuffer>;
  state: Uint8Array<ArrayBuffer>;
  sev: Uint8Array<ArrayBuffer>;
  noData: Uint8Array<ArrayBuffer>;
  activeAt: Float64Array<ArrayBuffer>;
  keepSince: Float64Array<ArrayBuffer>;
  flapT: Float64Array<ArrayBuffer>;
  /** The rule takes the `>` fast path: one rung, `value > threshold`. */
  readonly fast: boolean;
  /**
   * Per member, what the `>` fast path reads instead of the fields above: see `setQuiet`.
   * Empty for the rules that do not take the fast path, which never read them.
   */
  quietLo: Float64Array<ArrayBuffer>;
  quietHi: Float64Array<ArrayBuffer>;
  quietSince: Float64Array<ArrayBuffer>;
  readonly pairs: Map<number, number>;
  readonly memberLabels: (Labels | undefined)[];
  readonly memberKey: (string | undefined)[];
  /** Builds a member's fingerprint (the evaluator's `keyOf`), read lazily by transitions. */
  readonly keyOf: (rt: RuleRuntime, i: number) => string;
}

const EMPTY: readonly AlertTransition[] = Object.freeze([]);

/**
 * Numbers per series row: last sample (t, v) and the one before (t, v). A stale marker is stored
 * as a NaN value (NaN samples are rejected at ingest, so NaN means stale and nothing else).
 */
const ROW = 4;

function newRows(n: number): Float64Array<ArrayBuffer> {
  const rows = new Float64Array(n * ROW);
  for (let h = 0; h < n; h++) {
    rows[h * ROW] = -Infinity;
    rows[h * ROW + 2] = -Infinity;
  }
  return rows;
}

function growRows(rows: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  if (n * ROW <= rows.length) return rows;
  const next = newRows(Math.max(n, (rows.length / ROW) * 2));
  next.set(rows);
  return next;
}

/**
 * Creates a streaming evaluator for compiled rules. Feed it samples (object or columnar API),
 * then call `evaluate(at)` on your evaluation interval; it returns only the transitions.
 *
 * @example
 * const rules = unwrap(defineAlertRules([{ id: 'cpu_high', metric: 'system.cpu.usage',
 *   warning: { threshold: 90, recovery: 85 }, for: '60s' }]));
 * const ev = createEvaluator({ rules });
 * ev.ingest([{ metric: 'system.cpu.usage', labels: { host: 'db1' }, t: 0, value: 95 }]);
 * ev.evaluate(0); // [{ kind: 'pending', rule: 'cpu_high', ... }]
 */
export function createEvaluator(options: EvaluatorOptions): Evaluator {
  const catalog = options.catalog ?? builtinCatalog();
  const rules = options.rules;
  const metricNames = [...catalog.metrics.keys()];
  const metricIds = new Map<string, number>(metricNames.map((n, i) => [n, i]));
  const metricCount = metricNames.length;

  // Ring capacity per metric: only metrics used by a windowed rule keep a window of samples.
  const ringCap = new Int32Array(metricCount);
  for (const r of rules) {
    if (!r.window) continue;
    for (const name of r.ratio ? [r.ratio.numerator, r.ratio.denominator] : [r.metric!]) {
      const id = metricIds.get(name)!;
      const cadence = catalog.get(name)!.cadence;
      const cap = Math.min(65_536, Math.max(8, Math.ceil(r.window.rangeMs / cadence) * 2 + 4));
      ringCap[id] = Math.max(ringCap[id]!, cap);
    }
  }
  const rulesByMetric: number[][] = metricNames.map(() => []);
  rules.forEach((r, i) => {
    const names = r.ratio ? [r.ratio.numerator, r.ratio.denominator] : [r.metric!];
    for (const name of names) rulesByMetric[metricIds.get(name)!]!.push(i);
  });

  // Series table.
  let n = 0;
  let metricOf = new Int32Array(1024);
  // Per series, one row of ROW numbers (see ROW), half a cache line; plus, for series whose
  // newest entry is a stale marker, the time of their newest real sample.
  let sv = newRows(1024);
  let staleReal = new Float64Array(1024).fill(-Infinity);
  const anyRing = ringCap.some((c) => c > 0);
  let ringBase = new Int32Array(1024);
  let ringHead = new Int32Array(1024);
  let ringCount = new Int32Array(1024);
  let ringT = new Float64Array(1024);
  let ringV = new Float64Array(1024);
  let ringUsed = 0;
  const seriesLabels: Labels[] = [];
  const seriesLabelSet: number[] = [];
  const labelSets = new Map<string, number>();
  const labelSetKeys: string[] = [];
  const canonical = new Map<string, number>();
  const fastKeys = new Map<string, number>();
  // Frozen label object -> handle. A number packs `handle * 1024 + metricId` (the usual case: one
  // metric per label object); an Int32Array maps metric ids to handles once a second metric shares it.
  const frozenCache = new WeakMap<object, number | Int32Array>();

  function cacheFrozen(labels: Labels, mid: number, h: number): void {
    const c = frozenCache.get(labels);
    if (c === undefined && mid < 1024) {
      frozenCache.set(labels, h * 1024 + mid);
      return;
    }
    let arr: Int32Array;
    if (c === undefined || typeof c === 'number') {
      arr = new Int32Array(metricCount).fill(-1);
      if (c !== undefined) arr[c % 1024] = (c - (c % 1024)) / 1024;
      frozenCache.set(labels, arr);
    } else arr = c;
    arr[mid] = h;
  }

  function cachedHandle(labels: Labels, mid: number): number {
    const c = frozenCache.get(labels);
    if (c === undefined) return -1;
    if (typeof c === 'number') return c % 1024 === mid ? (c - mid) / 1024 : -1;
    return c[mid]!;
  }

  let runtimes: RuleRuntime[] = rules.map(makeRuntime);
  let lastEvalAt = -Infinity;
  const totals = { accepted: 0, outOfOrder: 0, duplicate: 0, invalid: 0, unknownMetric: 0 };
  let backwards = 0;

  function makeRuntime(rule: AlertRule, index: number): RuleRuntime {
    const w = rule.warning;
    const c = rule.critical;
    const cap = 64;
    const flapN = rule.flapping?.maxChanges ?? 0;
    const cmp = cmpCode[rule.comparator];
    const fast = (w === undefined || c === undefined) && cmp === CMP_GT;
    const quietCap = fast ? cap : 0;
    return {
      rule,
      index,
      cmp,
      hasWarn: w !== undefined,
      hasCrit: c !== undefined,
      warnTh: w?.threshold ?? 0,
      warnRec: w?.recovery ?? 0,
      critTh: c?.threshold ?? 0,
      critRec: c?.recovery ?? 0,
      lowSev: w ? SEV_WARNING : SEV_CRITICAL,
      lowRec: w ? w.recovery : c!.recovery,
      metricId: metricIds.get(rule.ratio ? rule.ratio.numerator : rule.metric!)!,
      denId: rule.ratio ? metricIds.get(rule.ratio.denominator)! : -1,
      scale: rule.ratio?.scale ?? 1,
      fn: rule.window ? fnCode[rule.window.fn] : FN_NONE,
      rangeMs: rule.window?.rangeMs ?? 0,
      lookback: rule.lookbackMs,
      noDataAfter: rule.noDataAfterMs,
      forMs: rule.forMs,
      keepMs: rule.keepFiringForMs,
      flapN,
      flapWindow: rule.flapping?.windowMs ?? 0,
      n: 0,
      num: new Int32Array(cap),
      den: new Int32Array(cap),
      state: new Uint8Array(cap),
      sev: new Uint8Array(cap),
      noData: new Uint8Array(cap),
      activeAt: new Float64Array(cap),
      keepSince: new Float64Array(cap).fill(Number.NaN),
      flapT: new Float64Array(cap * flapN).fill(Number.NaN),
      fast,
      quietLo: new Float64Array(quietCap),
      quietHi: new Float64Array(quietCap),
      quietSince: new Float64Array(quietCap),
      pairs: new Map(),
      memberLabels: [],
      memberKey: [],
      keyOf,
    };
  }

  function addMember(rt: RuleRuntime, num: number, den: number): number {
    const i = rt.n++;
    if (i >= rt.num.length) {
      const c = rt.num.length * 2;
      rt.num = growI32(rt.num, c);
      rt.den = growI32(rt.den, c);
      rt.state = growU8(rt.state, c);
      rt.sev = growU8(rt.sev, c);
      rt.noData = growU8(rt.noData, c);
      rt.activeAt = growF64(rt.activeAt, c);
      rt.keepSince = growF64(rt.keepSince, c, Number.NaN);
      rt.flapT = growF64(rt.flapT, c * rt.flapN, Number.NaN);
      if (rt.fast) {
        rt.quietLo = growF64(rt.quietLo, c);
        rt.quietHi = growF64(rt.quietHi, c);
        rt.quietSince = growF64(rt.quietSince, c);
      }
    }
    rt.num[i] = num;
    rt.den[i] = den;
    setQuiet(rt, i);
    // Filled in member order so that the caches stay dense arrays: set out of order (as
    // transitions come), V8 would turn them into slow dictionaries.
    rt.memberLabels.push(undefined);
    rt.memberKey.push(undefined);
    return i;
  }

  function register(metricId: number, labels: Labels, key: string): number {
    const h = n++;
    if (h >= metricOf.length) {
      const c = metricOf.length * 2;
      metricOf = growI32(metricOf, c);
      sv = growRows(sv, c);
      staleReal = growF64(staleReal, c, -Infinity);
      ringBase = growI32(ringBase, c);
      ringHead = growI32(ringHead, c);
      ringCount = growI32(ringCount, c);
    }
    metricOf[h] = metricId;
    const cap = ringCap[metricId]!;
    if (cap > 0) {
      ringBase[h] = ringUsed;
      ringUsed += cap;
      ringT = growF64(ringT, ringUsed);
      ringV = growF64(ringV, ringUsed);
    }
    const frozen = Object.freeze({ ...labels });
    seriesLabels.push(frozen);
    let ls = labelSets.get(key);
    if (ls === undefined) {
      ls = labelSetKeys.length;
      labelSets.set(key, ls);
      labelSetKeys.push(key);
    }
    seriesLabelSet.push(ls);
    canonical.set(`${metricId}\u0000${key}`, h);
    for (const ri of rulesByMetric[metricId]!) {
      const rt = runtimes[ri]!;
      if (!matchesLabels(rt.rule.matchers, frozen)) continue;
      if (rt.denId < 0) addMember(rt, h, -1);
      else {
        let mi = rt.pairs.get(ls);
        if (mi === undefined) {
          mi = addMember(rt, -1, -1);
          rt.pairs.set(ls, mi);
        }
        if (metricId === rt.metricId) rt.num[mi] = h;
        else rt.den[mi] = h;
      }
    }
    return h;
  }

  function validLabels(labels: unknown): labels is Labels {
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return false;
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) return false;
    }
    return true;
  }

  function resolveCanonical(metricId: number, labels: Labels): number {
    const key = labelKey(labels);
    const h = canonical.get(`${metricId}\u0000${key}`);
    return h ?? register(metricId, labels, key);
  }

  /** -1 unknown metric, -2 invalid labels. */
  function resolve(metric: string, labels: Labels): number {
    const mid = metricIds.get(metric);
    if (mid === undefined) return -1;
    const frozen = Object.isFrozen(labels);
    if (frozen) {
      const c = cachedHandle(labels, mid);
      if (c >= 0) return c;
    }
    let k = '';
    // biome-ignore lint/suspicious/noExplicitAny: label values are checked on registration
    for (const name in labels) k += `${name}\u0001${(labels as any)[name]}\u0002`;
    const fk = `${mid}\u0000${k}`;
    let h = fastKeys.get(fk);
    if (h === undefined) {
      if (!validLabels(labels)) return -2;
      h = resolveCanonical(mid, labels);
      fastKeys.set(fk, h);
    }
    if (frozen) cacheFrozen(labels, mid, h);
    return h;
  }

  // Per-call counters, reused.
  let cAccepted = 0;
  let cOoo = 0;
  let cDup = 0;
  let cInvalid = 0;
  let cUnknown = 0;

  function put(h: number, t: number, v: number): void {
    if (Number.isNaN(t) || t === Infinity || t === -Infinity || Number.isNaN(v)) {
      cInvalid++;
      return;
    }
    const lt = sv[h * ROW + 0]!;
    if (t <= lt) {
      if (t === lt) cDup++;
      else cOoo++;
      return;
    }
    sv[h * ROW + 2] = lt;
    sv[h * ROW + 3] = sv[h * ROW + 1]!;
    sv[h * ROW + 0] = t;
    sv[h * ROW + 1] = v;
    const base = ringBase[h]!;
    const cap = ringCap[metricOf[h]!]!;
    if (cap > 0) {
      const head = (ringHead[h]! + 1) % cap;
      ringHead[h] = head;
      ringT[base + head] = t;
      ringV[base + head] = v;
      if (ringCount[h]! < cap) ringCount[h] = ringCount[h]! + 1;
    }
    cAccepted++;
  }

  function report(): IngestReport {
    const r = {
      accepted: cAccepted,
      outOfOrder: cOoo,
      duplicate: cDup,
      invalid: cInvalid,
      unknownMetric: cUnknown,
    };
    totals.accepted += cAccepted;
    totals.outOfOrder += cOoo;
    totals.duplicate += cDup;
    totals.invalid += cInvalid;
    totals.unknownMetric += cUnknown;
    cAccepted = cOoo = cDup = cInvalid = cUnknown = 0;
    return r;
  }

  function stale(h: number, t: number): void {
    if (!Number.isFinite(t)) {
      cInvalid++;
      return;
    }
    const lt = sv[h * ROW + 0]!;
    if (t <= lt) {
      if (t === lt) cDup++;
      else cOoo++;
      return;
    }
    staleReal[h] = realT(h);
    sv[h * ROW + 2] = lt;
    sv[h * ROW + 3] = sv[h * ROW + 1]!;
    sv[h * ROW + 0] = t;
    sv[h * ROW + 1] = Number.NaN;
    cAccepted++;
  }

  function ingestI32(
    handles: Int32Array,
    times: Float64Array,
    values: Float64Array,
    len: number,
  ): void {
    const S = sv;
    const nSeries = n;
    let accepted = 0;
    for (let k = 0; k < len; k++) {
      const h = handles[k]!;
      const t = times[k]!;
      const v = values[k]!;
      if (h >= nSeries || h < 0 || Number.isNaN(v) || t - t !== 0) {
        cInvalid++;
        continue;
      }
      const lt = S[h * ROW + 0]!;
      if (t <= lt) {
        if (t === lt) cDup++;
        else cOoo++;
        continue;
      }
      if (!anyRing || ringCap[metricOf[h]!] === 0) {
        const b = h * ROW;
        S[b + 2] = lt;
        S[b + 3] = S[b + 1]!;
        S[b] = t;
        S[b + 1] = v;
        accepted++;
      } else put(h, t, v);
    }
    cAccepted += accepted;
  }

  // ---- value computation -------------------------------------------------------------------

  /** Newest sample value at or before `at` within the lookback; NaN when absent or stale. */
  function instant(h: number, at: number, lookback: number): number {
    const b = h * ROW;
    let t = sv[b]!;
    let v = sv[b + 1]!;
    if (t > at) {
      t = sv[b + 2]!;
      v = sv[b + 3]!;
      if (t > at) return Number.NaN;
    }
    if (t <= at - lookback) return Number.NaN;
    return v; // NaN for a stale marker
  }

  function isStale(h: number, at: number): boolean {
    const b = h * ROW;
    if (sv[b]! <= at) return Number.isNaN(sv[b + 1]!);
    return sv[b + 2]! <= at && Number.isNaN(sv[b + 3]!);
  }

  /** Time of the newest real (non-stale) sample ingested for a series; -Infinity if none. */
  function realT(h: number): number {
    return Number.isNaN(sv[h * ROW + 1]!) ? staleReal[h]! : sv[h * ROW]!;
  }

  /** Window aggregation over (at - range, at]; NaN when no sample (or fewer than two for rate). */
  function windowValue(h: number, at: number, fn: number, range: number): number {
    const cap = ringCap[metricOf[h]!]!;
    const count = ringCount[h]!;
    const base = ringBase[h]!;
    const head = ringHead[h]!;
    const from = at - range;
    // Walk oldest to newest.
    let k = 0;
    let firstT = 0;
    let firstV = 0;
    let lastTs = 0;
    let lastVs = 0;
    let prev = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let resets = 0;
    for (let j = count - 1; j >= 0; j--) {
      const idx = base + ((head - j + cap) % cap);
      const t = ringT[idx]!;
      if (t <= from || t > at) continue;
      const v = ringV[idx]!;
      if (k === 0) {
        firstT = t;
        firstV = v;
      } else if (v < prev) resets += prev;
      prev = v;
      lastTs = t;
      lastVs = v;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      k++;
    }
    if (k === 0) return Number.NaN;
    switch (fn) {
      case 1:
        return sum / k;
      case 2:
        return min;
      case 3:
        return max;
      case 4:
        return sum;
      case 5:
        return k;
      case 6:
        return lastVs;
      default: {
        if (k < 2) return Number.NaN;
        return extrapolatedRate(firstT, firstV, lastTs, lastVs + resets, k, from, at, fn === 8);
      }
    }
  }

  function seriesValue(rt: RuleRuntime, h: number, at: number): number {
    if (rt.fn === FN_NONE) return instant(h, at, rt.lookback);
    if (isStale(h, at)) return Number.NaN;
    return windowValue(h, at, rt.fn, rt.rangeMs);
  }

  function memberValue(rt: RuleRuntime, i: number, at: number): number {
    const h = rt.num[i]!;
    if (rt.denId < 0) return seriesValue(rt, h, at);
    const d = rt.den[i]!;
    const a = seriesValue(rt, h, at);
    const b = seriesValue(rt, d, at);
    return (a / b) * rt.scale;
  }

  function memberLastReal(rt: RuleRuntime, i: number): number {
    const h = rt.num[i]!;
    if (rt.denId < 0) return realT(h);
    return Math.min(realT(h), realT(rt.den[i]!));
  }

  function memberStale(rt: RuleRuntime, i: number, at: number): boolean {
    if (isStale(rt.num[i]!, at)) return true;
    return rt.denId >= 0 && isStale(rt.den[i]!, at);
  }

  function fireLevel(rt: RuleRuntime, v: number): number {
    if (rt.hasCrit && test(rt.cmp, v, rt.critTh)) return SEV_CRITICAL;
    if (rt.hasWarn && test(rt.cmp, v, rt.warnTh)) return SEV_WARNING;
    return SEV_NONE;
  }

  /** Severity held by a firing alert at value v with hysteresis, 0 when recovered. */
  function heldLevel(rt: RuleRuntime, v: number, sev: number): number {
    const fire = fireLevel(rt, v);
    if (fire === SEV_CRITICAL) return SEV_CRITICAL;
    if (Number.isNaN(v)) return SEV_NONE;
    if (rt.hasCrit && sev === SEV_CRITICAL && test(rt.cmp, v, rt.critRec)) return SEV_CRITICAL;
    if (fire !== SEV_NONE) return fire;
    if (test(rt.cmp, v, rt.lowRec)) return rt.lowSev;
    return SEV_NONE;
  }

  // ---- transitions -------------------------------------------------------------------------

  function labelsOf(rt: RuleRuntime, i: number): Labels {
    let l = rt.memberLabels[i];
    if (l === undefined) {
      const h = rt.num[i]! >= 0 ? rt.num[i]! : rt.den[i]!;
      const base = seriesLabels[h]!;
      l =
        Object.keys(rt.rule.labels).length > 0
          ? Object.freeze({ ...base, ...rt.rule.labels })
          : base;
      rt.memberLabels[i] = l;
    }
    return l;
  }

  function keyOf(rt: RuleRuntime, i: number): string {
    let k = rt.memberKey[i];
    if (k === undefined) {
      k = `${rt.rule.id}${labelKey(labelsOf(rt, i))}`;
      rt.memberKey[i] = k;
    }
    return k;
  }

  function recordFlap(rt: RuleRuntime, i: number, at: number): boolean {
    if (rt.flapN === 0) return false;
    const base = i * rt.flapN;
    // Shift: keep the newest flapN change times.
    for (let j = 0; j < rt.flapN - 1; j++) rt.flapT[base + j] = rt.flapT[base + j + 1]!;
    rt.flapT[base + rt.flapN - 1] = at;
    return isFlapping(rt, i, at);
  }

  function isFlapping(rt: RuleRuntime, i: number, at: number): boolean {
    if (rt.flapN === 0) return false;
    const oldest = rt.flapT[i * rt.flapN]!;
    return !Number.isNaN(oldest) && at - oldest < rt.flapWindow;
  }

  /**
   * Derives, for the `>` fast path, which values leave member i of a one-rung `>` rule as it is:
   * lo < v <= hi, and, while pending, `at - quietSince < for` (+Infinity when no clock runs).
   * NaN bounds mean "always look": no data, a keepFiringFor clock running, or an unknown state.
   * Kept up to date (on registration, on restore, and after each member the fast path looks at)
   * for the rules that take the fast path; other rules never read it.
   */
  function setQuiet(rt: RuleRuntime, i: number): void {
    if (!rt.fast) return;
    let lo = Number.NaN;
    let hi = Number.NaN;
    let since = Infinity;
    if (rt.noData[i] === 0) {
      const st = rt.state[i];
      const lowTh = rt.hasWarn ? rt.warnTh : rt.critTh;
      if (st === INACTIVE) {
        lo = -Infinity;
        hi = lowTh;
      } else if (st === PENDING) {
        lo = lowTh;
        hi = Infinity;
        since = rt.activeAt[i]!;
      } else if (st === FIRING && Number.isNaN(rt.keepSince[i]!)) {
        lo = rt.lowRec;
        hi = Infinity;
      }
    }
    rt.quietLo[i] = lo;
    rt.quietHi[i] = hi;
    rt.quietSince[i] = since;
  }

  function emit(
    out: TransitionColumns,
    rt: RuleRuntime,
    i: number,
    kind: number,
    v: number,
    sev: number,
    threshold: number | undefined,
    flapping: boolean,
  ): void {
    labelsOf(rt, i); // cached in the runtime, where the batch reads it
    const activeAt = rt.state[i] === INACTIVE && kind !== K_RESOLVED ? undefined : rt.activeAt[i];
    out.push(rt.index, i, kind, v, sev, threshold, activeAt, flapping);
  }

  function step(rt: RuleRuntime, i: number, at: number, out: TransitionColumns): void {
    const lrt = memberLastReal(rt, i);
    if (lrt === -Infinity) return; // half of a ratio pair has not reported yet
    const staleEnded = memberStale(rt, i, at);
    if (!staleEnded && at - lrt > rt.noDataAfter) {
      if (rt.noData[i] === 0) {
        rt.noData[i] = 1;
        emit(
          out,
          rt,
          i,
          K_NO_DATA,
          Number.NaN,
          rt.state[i] === INACTIVE ? rt.lowSev : rt.sev[i]!,
          undefined,
          false,
        );
      }
      return;
    }
    rt.noData[i] = 0;
    const v = staleEnded ? Number.NaN : memberValue(rt, i, at);
    const st = rt.state[i]!;
    if (st === INACTIVE) {
      const fire = fireLevel(rt, v);
      if (fire === SEV_NONE) return;
      rt.activeAt[i] = at;
      rt.sev[i] = fire;
      rt.keepSince[i] = Number.NaN;
      const th = fire === SEV_CRITICAL ? rt.critTh : rt.warnTh;
      if (rt.forMs <= 0) {
        rt.state[i] = FIRING;
        const flap = recordFlap(rt, i, at);
        emit(out, rt, i, K_FIRING, v, fire, th, flap);
      } else {
        rt.state[i] = PENDING;
        emit(out, rt, i, K_PENDING, v, fire, th, isFlapping(rt, i, at));
      }
      return;
    }
    if (st === PENDING) {
      const fire = fireLevel(rt, v);
      if (fire === SEV_NONE) {
        rt.state[i] = INACTIVE; // dropped, no resolved notice (Prometheus)
        return;
      }
      rt.sev[i] = fire;
      if (at - rt.activeAt[i]! >= rt.forMs) {
        rt.state[i] = FIRING;
        const flap = recordFlap(rt, i, at);
        emit(out, rt, i, K_FIRING, v, fire, fire === SEV_CRITICAL ? rt.critTh : rt.warnTh, flap);
      }
      return;
    }
    // FIRING
    const sev = rt.sev[i]!;
    const held = heldLevel(rt, v, sev);
    if (held === SEV_NONE) {
      if (rt.keepMs > 0) {
        let ks = rt.keepSince[i]!;
        if (Number.isNaN(ks)) {
          ks = at;
          rt.keepSince[i] = at;
        }
        if (at - ks < rt.keepMs) return;
      }
      const flap = recordFlap(rt, i, at);
      emit(out, rt, i, K_RESOLVED, v, sev, rt.lowRec, flap);
      rt.state[i] = INACTIVE;
      rt.keepSince[i] = Number.NaN;
      return;
    }
    rt.keepSince[i] = Number.NaN;
    if (held !== sev) {
      rt.sev[i] = held;
      if (held > sev) emit(out, rt, i, K_ESCALATED, v, held, rt.critTh, isFlapping(rt, i, at));
      else emit(out, rt, i, K_DEESCALATED, v, held, rt.critRec, isFlapping(rt, i, at));
    }
  }

  function evaluateRule(rt: RuleRuntime, at: number, out: TransitionColumns): void {
    const nMembers = rt.n;
    if (rt.fn !== FN_NONE || rt.denId >= 0) {
      for (let i = 0; i < nMembers; i++) step(rt, i, at, out);
      return;
    }
    // Hot path: one metric, instant value. Members whose state cannot change at this value are
    // skipped here; everything else (transitions, no data, staleness) goes through `step`.
    const num = rt.num;
    const state = rt.state;
    const sevs = rt.sev;
    const noData = rt.noData;
    const activeAt = rt.activeAt;
    const keepSince = rt.keepSince;
    const S = sv;
    const oldest = at - rt.lookback;
    const noDataAfter = rt.noDataAfter;
    const cmp = rt.cmp;
    const lowTh = rt.hasWarn ? rt.warnTh : rt.critTh;
    const lowRec = rt.lowRec;
    const lowSev = rt.lowSev;
    const simple = !(rt.hasWarn && rt.hasCrit);
    const forMs = rt.forMs;
    const keepMs = rt.keepMs;
    if (rt.fast) {
      // The commonest rule, `value > threshold` with one rung, specialised: no comparator switch.
      const quietLo = rt.quietLo;
      const quietHi = rt.quietHi;
      const quietSince = rt.quietSince;
      for (let i = 0; i < nMembers; i++) {
        const b = num[i]! * ROW;
        const t = S[b]!;
        const v = S[b + 1]!;
        // Most members change nothing: a fresh sample, a value in the quiet range of the member's
        // state, not yet due to fire (see `setQuiet`). Whether a member is quiet depends on the
        // data, so a branch per condition is mispredicted often; the conditions are joined as
        // 0/1 numbers with `&` instead, leaving one branch, taken for few members.
        const quiet =
          +(t <= at) &
          +(t > oldest) &
          +(at - t <= noDataAfter) &
          +(v > quietLo[i]!) &
          +(v <= quietHi[i]!) &
          +(at - quietSince[i]! < forMs);
        if (quiet !== 0) continue;
        const st = state[i]!;
        if (noData[i] !== 0 || t > at || t <= oldest || Number.isNaN(v) || at - t > noDataAfter) {
          step(rt, i, at, out);
        } else if (st === INACTIVE) {
          if (v > lowTh) {
            activeAt[i] = at;
            sevs[i] = lowSev;
            keepSince[i] = Number.NaN;
            if (forMs <= 0) {
              state[i] = FIRING;
              emit(out, rt, i, K_FIRING, v, lowSev, lowTh, recordFlap(rt, i, at));
            } else {
              state[i] = PENDING;
              emit(out, rt, i, K_PENDING, v, lowSev, lowTh, isFlapping(rt, i, at));
            }
          }
        } else if (st === PENDING) {
          if (!(v > lowTh))
            state[i] = INACTIVE; // dropped, no resolved notice (Prometheus)
          else if (at - activeAt[i]! >= forMs) {
            state[i] = FIRING;
            emit(out, rt, i, K_FIRING, v, lowSev, lowTh, recordFlap(rt, i, at));
          }
        } else if (v > lowRec) {
          if (!Number.isNaN(keepSince[i]!)) keepSince[i] = Number.NaN; // holds again
        } else if (keepMs > 0) step(rt, i, at, out);
        else {
          emit(out, rt, i, K_RESOLVED, v, lowSev, lowRec, recordFlap(rt, i, at));
          state[i] = INACTIVE;
        }
        setQuiet(rt, i);
      }
      return;
    }
    for (let i = 0; i < nMembers; i++) {
      const h = num[i]!;
      const t = S[h * ROW + 0]!;
      const v = S[h * ROW + 1]!;
      if (noData[i] !== 0 || t > at || t <= oldest || Number.isNaN(v) || at - t > noDataAfter) {
        step(rt, i, at, out);
        continue;
      }
      const st = state[i]!;
      if (st === INACTIVE) {
        if (simple ? !test(cmp, v, lowTh) : fireLevel(rt, v) === SEV_NONE) continue;
      } else if (st === PENDING) {
        if (simple && test(cmp, v, lowTh) && at - activeAt[i]! < forMs) continue;
      } else if (
        simple &&
        sevs[i] === lowSev &&
        Number.isNaN(keepSince[i]!) &&
        test(cmp, v, lowRec)
      ) {
        continue;
      }
      step(rt, i, at, out);
    }
  }

  // `evaluate` turns its transitions into objects at once, so it can reuse one set of columns.
  const scratch = new TransitionColumns(Number.NaN, runtimes, 0);
  // The size of the last burst, so that a new batch is allocated once, large enough.
  let lastBurst = 0;

  /** Evaluates every rule at `out.at`, appending the transitions to `out`. */
  function evaluateInto(out: TransitionColumns): void {
    const at = out.at;
    if (!(at >= lastEvalAt) || !Number.isFinite(at)) {
      backwards++;
      return;
    }
    lastEvalAt = at;
    for (let r = 0; r < runtimes.length; r++) evaluateRule(runtimes[r]!, at, out);
  }

  function evaluate(at: number): readonly AlertTransition[] {
    scratch.restart(at, runtimes);
    evaluateInto(scratch);
    return scratch.toArray();
  }

  function evaluateBatch(at: number, reuse?: TransitionBatch): TransitionBatch {
    let out: TransitionColumns;
    if (reuse instanceof TransitionColumns) {
      out = reuse;
      out.restart(at, runtimes);
    } else out = new TransitionColumns(at, runtimes, lastBurst);
    evaluateInto(out);
    lastBurst = out.length;
    return out;
  }

  // ---- explain -----------------------------------------------------------------------------

  function explain(
    ruleId: string,
    labels: Labels,
    at: number,
  ): Result<Explanation, ValidationError> {
    const ri = rules.findIndex((r) => r.id === ruleId);
    if (ri < 0)
      return err(
        fieldError('rule', 'not_found', text(`未知规则:${ruleId}`, `Unknown rule '${ruleId}'`)),
      );
    if (!validLabels(labels))
      return err(fieldError('labels', 'invalid', text('标签无效', 'Invalid labels')));
    const rt = runtimes[ri]!;
    const key = labelKey(labels);
    let mi = -1;
    for (let i = 0; i < rt.n; i++) {
      const h = rt.num[i]! >= 0 ? rt.num[i]! : rt.den[i]!;
      if (labelSetKeys[seriesLabelSet[h]!] === key) {
        mi = i;
        break;
      }
    }
    const rung = (severity: AlertSeverity, th: number, rec: number, v: number) => ({
      severity,
      threshold: th,
      recovery: rec,
      holds: test(rt.cmp, v, th),
      recovered: !Number.isNaN(v) && !test(rt.cmp, v, rec),
    });
    if (mi < 0) {
      return ok({
        rule: ruleId,
        labels,
        at,
        state: 'unknown_series',
        severity: undefined,
        value: undefined,
        noData: false,
        stale: false,
        rungs: [],
        activeAt: undefined,
        firesAt: undefined,
        keepFiringUntil: undefined,
        reason: text(
          '该规则没有匹配此标签的序列(未上报或标签不匹配)',
          'No series of this rule has these labels (never reported, or the matchers exclude it)',
        ),
      });
    }
    const lrt = memberLastReal(rt, mi);
    const stale = lrt !== -Infinity && memberStale(rt, mi, at);
    const noData = lrt === -Infinity || (!stale && at - lrt > rt.noDataAfter);
    const v = noData || stale ? Number.NaN : memberValue(rt, mi, at);
    const rungs = [];
    if (rt.hasWarn) rungs.push(rung('warning', rt.warnTh, rt.warnRec, v));
    if (rt.hasCrit) rungs.push(rung('critical', rt.critTh, rt.critRec, v));
    const st = rt.state[mi]!;
    const state = st === FIRING ? 'firing' : st === PENDING ? 'pending' : 'inactive';
    const activeAt = st === INACTIVE ? undefined : rt.activeAt[mi];
    const firesAt = st === PENDING ? rt.activeAt[mi]! + rt.forMs : undefined;
    const ks = rt.keepSince[mi]!;
    const keepFiringUntil = st === FIRING && !Number.isNaN(ks) ? ks + rt.keepMs : undefined;
    const fire = fireLevel(rt, v);
    const vs = !Number.isNaN(v) ? String(v) : '—';
    const c = rt.rule.comparator;
    const lowTh = rt.hasWarn ? rt.warnTh : rt.critTh;
    let reason: LocalizedText;
    if (noData)
      reason = text(
        `${formatDuration(rt.noDataAfter)} 内无数据:无数据不视为恢复,状态保持 ${state}`,
        `No data for more than ${formatDuration(rt.noDataAfter)}: silence is not a recovery, state stays ${state}`,
      );
    else if (stale)
      reason = text(
        '序列已标记为失效(stale),条件不成立',
        'The series was marked stale: the condition does not hold',
      );
    else if (st === INACTIVE && fire === SEV_NONE)
      reason = text(`值 ${vs} 不满足 ${c} ${lowTh}`, `Value ${vs} does not satisfy ${c} ${lowTh}`);
    else if (st === PENDING)
      reason = text(
        `条件自 ${new Date(activeAt!).toISOString()} 起成立,需持续 ${formatDuration(rt.forMs)} 才触发`,
        `Condition holds since ${new Date(activeAt!).toISOString()}; fires once it has held for ${formatDuration(rt.forMs)}`,
      );
    else if (st === FIRING && heldLevel(rt, v, rt.sev[mi]!) === SEV_NONE)
      reason = text(
        `值 ${vs} 已越过恢复阈值 ${rt.lowRec},keepFiringFor 保持触发`,
        `Value ${vs} is past the recovery threshold ${rt.lowRec}; keepFiringFor holds the alert`,
      );
    else if (st === FIRING)
      reason = text(
        `触发中:值 ${vs},恢复需 ${c === '>' || c === '>=' ? '≤' : '≥'} ${rt.lowRec}`,
        `Firing: value ${vs}; resolves only past the recovery threshold ${rt.lowRec}`,
      );
    else
      reason = text(
        `值 ${vs} 满足 ${c} ${lowTh},下一次评估进入待定`,
        `Value ${vs} satisfies ${c} ${lowTh}; the next evaluation makes it pending`,
      );
    return ok({
      rule: ruleId,
      labels: labelsOf(rt, mi),
      at,
      state,
      severity: st === INACTIVE ? undefined : rt.sev[mi] === SEV_CRITICAL ? 'critical' : 'warning',
      value: !Number.isNaN(v) ? v : undefined,
      noData,
      stale,
      rungs,
      activeAt,
      firesAt,
      keepFiringUntil,
      reason,
    });
  }

  // ---- snapshot ----------------------------------------------------------------------------

  function snapshot(): EvaluatorSnapshot {
    const series = [];
    for (let h = 0; h < n; h++) {
      const entry: {
        metric: string;
        labels: Labels;
        s: SnapshotNumber[];
        ring?: SnapshotNumber[];
      } = {
        metric: metricNames[metricOf[h]!]!,
        labels: seriesLabels[h]!,
        s: [
          sv[h * ROW + 0]!,
          sv[h * ROW + 1]!,
          sv[h * ROW + 2]!,
          sv[h * ROW + 3]!,
          staleReal[h]!,
        ].map(enc),
      };
      const cap = ringCap[metricOf[h]!]!;
      if (cap > 0) {
        const ring: SnapshotNumber[] = [];
        for (let j = ringCount[h]! - 1; j >= 0; j--) {
          const idx = ringBase[h]! + ((ringHead[h]! - j + cap) % cap);
          ring.push(enc(ringT[idx]!), enc(ringV[idx]!));
        }
        entry.ring = ring;
      }
      series.push(entry);
    }
    const states = runtimes.map((rt) => {
      const rows: SnapshotNumber[][] = [];
      for (let i = 0; i < rt.n; i++) {
        const flap: number[] = [];
        for (let j = 0; j < rt.flapN; j++) flap.push(rt.flapT[i * rt.flapN + j]!);
        if (rt.state[i] === INACTIVE && rt.noData[i] === 0 && flap.every((x) => Number.isNaN(x)))
          continue;
        rows.push(
          [
            i,
            rt.state[i]!,
            rt.sev[i]!,
            rt.activeAt[i]!,
            rt.keepSince[i]!,
            rt.noData[i]!,
            ...flap,
          ].map(enc),
        );
      }
      return rows;
    });
    return {
      version: 1,
      rules: rules.map((r) => r.id),
      lastEvalAt: enc(lastEvalAt),
      series,
      states,
    };
  }

  function restore(input: unknown): Result<void, ValidationError> {
    const bad = (path: string, en: string, zh: string) =>
      err(fieldError(path, 'invalid_snapshot', text(zh, en)));
    const s = input as EvaluatorSnapshot;
    if (typeof s !== 'object' || s === null || s.version !== 1)
      return bad('version', 'Unsupported snapshot version', '快照版本不支持');
    if (!Array.isArray(s.rules) || s.rules.join('\u0000') !== rules.map((r) => r.id).join('\u0000'))
      return bad('rules', 'The snapshot was taken with other rules', '快照的规则与当前不同');
    if (!Array.isArray(s.series))
      return bad('series', 'series must be an array', 'series 须为数组');
    if (!Array.isArray(s.states) || s.states.length !== rules.length)
      return bad('states', 'states must have one entry per rule', 'states 须每条规则一项');
    const parsedSeries: { mid: number; labels: Labels; s: number[]; ring: number[] | undefined }[] =
      [];
    for (let k = 0; k < s.series.length; k++) {
      const e = s.series[k]!;
      const mid = typeof e?.metric === 'string' ? metricIds.get(e.metric) : undefined;
      if (mid === undefined) return bad(`series.${k}.metric`, 'Unknown metric', '未知指标');
      if (!validLabels(e.labels)) return bad(`series.${k}.labels`, 'Invalid labels', '标签无效');
      const nums: (number | undefined)[] | undefined =
        Array.isArray(e.s) && e.s.length === 5 ? e.s.map(dec) : undefined;
      if (!nums || nums.some((x) => x === undefined))
        return bad(`series.${k}.s`, 'Invalid sample state', '样本状态无效');
      const ring: (number | undefined)[] | undefined =
        e.ring === undefined ? undefined : Array.isArray(e.ring) ? e.ring.map(dec) : [undefined];
      if (ring?.some((x) => x === undefined) || (ring && ring.length % 2 !== 0))
        return bad(`series.${k}.ring`, 'Invalid window samples', '窗口样本无效');
      parsedSeries.push({
        mid,
        labels: e.labels,
        s: nums as number[],
        ring: ring as number[] | undefined,
      });
    }
    const parsedStates: number[][][] = [];
    for (let r = 0; r < rules.length; r++) {
      const rows = s.states[r];
      if (!Array.isArray(rows)) return bad(`states.${r}`, 'Invalid rule state', '规则状态无效');
      const out: number[][] = [];
      for (let k = 0; k < rows.length; k++) {
        const row = Array.isArray(rows[k]) ? (rows[k] as SnapshotNumber[]).map(dec) : [undefined];
        if (
          row.length !== 6 + (rules[r]!.flapping?.maxChanges ?? 0) ||
          row.some((x) => x === undefined)
        )
          return bad(`states.${r}.${k}`, 'Invalid alert state', '告警状态无效');
        out.push(row as number[]);
      }
      parsedStates.push(out);
    }
    const lea = dec(s.lastEvalAt);
    if (lea === undefined) return bad('lastEvalAt', 'Invalid time', '时间无效');
    // Reset, then rebuild in the original order so member indices match.
    n = 0;
    ringUsed = 0;
    seriesLabels.length = 0;
    seriesLabelSet.length = 0;
    labelSets.clear();
    labelSetKeys.length = 0;
    canonical.clear();
    fastKeys.clear();
    runtimes = rules.map(makeRuntime);
    for (const e of parsedSeries) {
      const h = resolveCanonical(e.mid, e.labels);
      [sv[h * ROW + 0], sv[h * ROW + 1], sv[h * ROW + 2], sv[h * ROW + 3], staleReal[h]] = e.s as [
        number,
        number,
        number,
        number,
        number,
      ];
      const cap = ringCap[e.mid]!;
      if (cap > 0 && e.ring) {
        const pairs = Math.min(cap, e.ring.length / 2);
        const start = e.ring.length / 2 - pairs;
        for (let j = 0; j < pairs; j++) {
          ringT[ringBase[h]! + j] = e.ring[2 * (start + j)]!;
          ringV[ringBase[h]! + j] = e.ring[2 * (start + j) + 1]!;
        }
        ringCount[h] = pairs;
        ringHead[h] = (pairs - 1 + cap) % cap;
      } else {
        ringCount[h] = 0;
        ringHead[h] = cap - 1;
      }
    }
    for (let r = 0; r < rules.length; r++) {
      const rt = runtimes[r]!;
      for (const row of parsedStates[r]!) {
        const i = row[0]!;
        if (i < 0 || i >= rt.n)
          return bad(
            `states.${r}`,
            'Alert state for an unknown series',
            '告警状态对应的序列不存在',
          );
        rt.state[i] = row[1]!;
        rt.sev[i] = row[2]!;
        rt.activeAt[i] = row[3]!;
        rt.keepSince[i] = row[4]!;
        rt.noData[i] = row[5]!;
        for (let j = 0; j < rt.flapN; j++) rt.flapT[i * rt.flapN + j] = row[6 + j]!;
        setQuiet(rt, i);
      }
    }
    lastEvalAt = lea;
    return ok(undefined);
  }

  function activeAlerts(): readonly ActiveAlert[] {
    const out: ActiveAlert[] = [];
    for (const rt of runtimes) {
      for (let i = 0; i < rt.n; i++) {
        const st = rt.state[i];
        if (st === INACTIVE) continue;
        out.push({
          rule: rt.rule.id,
          labels: labelsOf(rt, i),
          fingerprint: keyOf(rt, i),
          state: st === FIRING ? 'firing' : 'pending',
          severity: rt.sev[i] === SEV_CRITICAL ? 'critical' : 'warning',
          activeAt: rt.activeAt[i]!,
          noData: rt.noData[i] === 1,
        });
      }
    }
    return out;
  }

  return {
    rules,
    series(metric, labels) {
      const mid = metricIds.get(metric);
      if (mid === undefined)
        return err(
          fieldError(
            'metric',
            'unknown_metric',
            text(`未知指标:${metric}`, `Unknown metric '${metric}'`),
          ),
        );
      if (!validLabels(labels))
        return err(
          fieldError(
            'labels',
            'invalid',
            text('标签须为 名称→字符串', 'Labels must map names to strings'),
          ),
        );
      const h = resolveCanonical(mid, labels);
      if (Object.isFrozen(labels)) cacheFrozen(labels, mid, h);
      return ok(h);
    },
    ingest(samples) {
      let lastMetric = '';
      let lastMid = -1;
      let S = sv;
      let accepted = 0;
      for (let k = 0; k < samples.length; k++) {
        const s = samples[k]!;
        if (typeof s !== 'object' || s === null) {
          cInvalid++;
          continue;
        }
        const metric = s.metric;
        const labels = s.labels;
        let h = -1;
        if (metric !== lastMetric) {
          lastMid = metricIds.get(metric) ?? -1;
          lastMetric = metric;
        }
        // Fast path: a frozen label object seen before (the cache holds frozen objects only).
        if (lastMid >= 0) {
          const c = frozenCache.get(labels);
          if (typeof c === 'number') {
            if (c % 1024 === lastMid) h = (c - lastMid) / 1024;
          } else if (c !== undefined) h = c[lastMid]!;
        }
        if (h < 0) {
          h = resolve(metric, labels);
          // registration may have grown the arrays
          S = sv;
          if (h < 0) {
            if (h === -1) cUnknown++;
            else cInvalid++;
            continue;
          }
        }
        const t = s.t;
        const v = s.value;
        if (s.stale === true) {
          stale(h, t);
          continue;
        }
        if (typeof t !== 'number' || typeof v !== 'number' || Number.isNaN(v) || t - t !== 0) {
          cInvalid++;
          continue;
        }
        const lt = S[h * ROW + 0]!;
        if (t <= lt) {
          if (t === lt) cDup++;
          else cOoo++;
          continue;
        }
        if (ringCap[lastMid]! !== 0) {
          put(h, t, v);
          continue;
        }
        S[h * ROW + 2] = lt;
        S[h * ROW + 3] = S[h * ROW + 1]!;
        S[h * ROW + 0] = t;
        S[h * ROW + 1] = v;
        accepted++;
      }
      cAccepted += accepted;
      return report();
    },
    ingestColumns(handles, times, values, length = handles.length) {
      const len = Math.min(length, handles.length, times.length, values.length);
      if (handles instanceof Int32Array) ingestI32(handles, times, values, len);
      else
        ingestI32(
          new Int32Array(handles.buffer, handles.byteOffset, handles.length),
          times,
          values,
          len,
        );
      return report();
    },
    markStale(handle, t) {
      if (handle >= 0 && handle < n) stale(handle, t);
      else cInvalid++;
      report();
    },
    evaluate,
    evaluateBatch,
    explain,
    activeAlerts,
    stats: () => ({ ...totals, series: n, backwardsEvaluations: backwards }),
    snapshot,
    restore,
  };
}

/** Transition kinds by the code `TransitionColumns` stores. */
const KINDS: readonly TransitionKind[] = [
  'pending',
  'firing',
  'escalated',
  'deescalated',
  'resolved',
  'no_data',
];
const K_PENDING = 0;
const K_FIRING = 1;
const K_ESCALATED = 2;
const K_DEESCALATED = 3;
const K_RESOLVED = 4;
const K_NO_DATA = 5;

// One row of numbers per transition in `TransitionColumns`, at these offsets.
const T_MEMBER = 0;
const T_RULE = 1;
const T_KIND = 2;
const T_SEVERITY = 3;
/** 1 when flapping, plus 2 when `activeAt` is set. */
const T_FLAGS = 4;
/** NaN when there is no value. */
const T_VALUE = 5;
/** NaN for `no_data` (thresholds are never NaN). */
const T_THRESHOLD = 6;
const T_ACTIVE_AT = 7;
const T_ROW = 8;
const FLAG_FLAPPING = 1;
const FLAG_ACTIVE_AT = 2;
const NO_ROWS = new Float64Array(0);

/**
 * The transitions of one evaluation as rows of numbers in one typed array: no object and no
 * boxed number per transition until someone asks for one. The rule runtimes are those of the
 * evaluation (a restore replaces the array, it never changes it), and a member's labels are
 * cached in its runtime by `emit`, so a batch can build its objects at any later time.
 */
class TransitionColumns implements TransitionBatch {
  length = 0;
  private rows: Float64Array<ArrayBuffer> = NO_ROWS;

  constructor(
    public at: number,
    private runtimes: readonly RuleRuntime[],
    /** Rows to allocate at the first transition (the size of the previous burst). */
    private readonly expected: number,
  ) {}

  /** Empties the batch, keeping its room, for another evaluation. */
  restart(at: number, runtimes: readonly RuleRuntime[]): void {
    this.at = at;
    this.runtimes = runtimes;
    this.length = 0;
  }

  /** Appends one transition; `v` is NaN when there is no value. */
  push(
    rule: number,
    member: number,
    kind: number,
    v: number,
    sev: number,
    threshold: number | undefined,
    activeAt: number | undefined,
    flapping: boolean,
  ): void {
    const b = this.length * T_ROW;
    if (b === this.rows.length) {
      // A typed array costs microseconds to allocate: once per batch, then doubling.
      this.rows = growF64(this.rows, Math.max(b + T_ROW, Math.max(64, this.expected) * T_ROW));
    }
    const rows = this.rows;
    rows[b + T_MEMBER] = member;
    rows[b + T_RULE] = rule;
    rows[b + T_KIND] = kind;
    rows[b + T_SEVERITY] = sev;
    rows[b + T_FLAGS] =
      (flapping ? FLAG_FLAPPING : 0) | (activeAt === undefined ? 0 : FLAG_ACTIVE_AT);
    rows[b + T_VALUE] = v;
    rows[b + T_THRESHOLD] = threshold ?? Number.NaN;
    rows[b + T_ACTIVE_AT] = activeAt ?? Number.NaN;
    this.length++;
  }

  kind(index: number): TransitionKind {
    return KINDS[this.field(index, T_KIND)]!;
  }

  rule(index: number): string {
    return this.runtimes[this.field(index, T_RULE)]!.rule.id;
  }

  labels(index: number): Labels {
    const rt = this.runtimes[this.field(index, T_RULE)]!;
    return rt.memberLabels[this.field(index, T_MEMBER)]!;
  }

  severity(index: number): AlertSeverity {
    return this.field(index, T_SEVERITY) === SEV_CRITICAL ? 'critical' : 'warning';
  }

  value(index: number): number | undefined {
    const v = this.field(index, T_VALUE);
    return Number.isNaN(v) ? undefined : v;
  }

  get(index: number): AlertTransition {
    this.field(index, T_MEMBER); // throws for an index out of the batch
    return this.build(index * T_ROW);
  }

  toArray(): readonly AlertTransition[] {
    if (this.length === 0) return EMPTY;
    const out: AlertTransition[] = [];
    for (let j = 0; j < this.length; j++) out.push(this.build(j * T_ROW));
    return out;
  }

  /** The transition whose row starts at `b`, as an object. */
  private build(b: number): AlertTransition {
    const rows = this.rows;
    const rt = this.runtimes[rows[b + T_RULE]!]!;
    const member = rows[b + T_MEMBER]!;
    const flags = rows[b + T_FLAGS]!;
    const threshold = rows[b + T_THRESHOLD]!;
    return new Transition(
      rt.rule,
      KINDS[rows[b + T_KIND]!]!,
      rt.memberLabels[member]!,
      this.at,
      rows[b + T_VALUE]!,
      rows[b + T_SEVERITY] === SEV_CRITICAL ? 'critical' : 'warning',
      Number.isNaN(threshold) ? undefined : threshold,
      (flags & FLAG_ACTIVE_AT) !== 0 ? rows[b + T_ACTIVE_AT] : undefined,
      (flags & FLAG_FLAPPING) !== 0,
      rt,
      member,
    );
  }

  *[Symbol.iterator](): Iterator<AlertTransition> {
    for (let j = 0; j < this.length; j++) yield this.build(j * T_ROW);
  }

  private field(index: number, offset: number): number {
    if (!(index >= 0 && index < this.length && Number.isInteger(index)))
      throw new RangeError(`No transition ${index} in a batch of ${this.length}`);
    return this.rows[index * T_ROW + offset]!;
  }
}

/**
 * A transition as the evaluator builds it: the message and the fingerprint are computed on first
 * read, so that a burst of transitions costs little until someone looks at them.
 */
class Transition implements AlertTransition {
  readonly rule: string;
  readonly clause: ClauseId;
  readonly category: MetricCategory;
  readonly value: number | undefined;
  #rt: RuleRuntime;
  #i: number;
  #fingerprint: string | undefined;
  #message: LocalizedText | undefined;
  constructor(
    rule: AlertRule,
    readonly kind: TransitionKind,
    readonly labels: Labels,
    readonly at: number,
    v: number,
    readonly severity: AlertSeverity,
    readonly threshold: number | undefined,
    readonly activeAt: number | undefined,
    readonly flapping: boolean,
    rt: RuleRuntime,
    i: number,
  ) {
    this.rule = rule.id;
    this.clause = kind === 'no_data' ? realtimeNoData.clauses[0] : rule.clause;
    this.category = rule.category;
    this.value = Number.isNaN(v) ? undefined : v;
    this.#rt = rt;
    this.#i = i;
  }
  get fingerprint(): string {
    this.#fingerprint ??= this.#rt.keyOf(this.#rt, this.#i);
    return this.#fingerprint;
  }
  get message(): LocalizedText {
    this.#message ??= describe(
      this.#rt.rule,
      this.kind,
      this.labels,
      this.value ?? Number.NaN,
      this.severity,
      this.threshold,
      this.at,
      this.activeAt,
    );
    return this.#message;
  }
  toJSON(): AlertTransition {
    return { ...this, fingerprint: this.fingerprint, message: this.message };
  }
}

function enc(x: number): SnapshotNumber {
  if (!Number.isNaN(x) && x !== Infinity && x !== -Infinity) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf';
}

function dec(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (x === 'NaN') return Number.NaN;
  if (x === 'Inf') return Infinity;
  if (x === '-Inf') return -Infinity;
  return undefined;
}

/**
 * Prometheus' `extrapolatedRate` for counters: the increase between the first and last sample
 * in the window, corrected for counter resets, extrapolated towards the window's edges (at most
 * half an average sample interval beyond a sample, never below zero at the start), divided by
 * the window in seconds for `rate`.
 */
function extrapolatedRate(
  firstT: number,
  firstV: number,
  lastT: number,
  lastVWithResets: number,
  count: number,
  rangeStart: number,
  rangeEnd: number,
  isRate: boolean,
): number {
  let result = lastVWithResets - firstV;
  let durationToStart = (firstT - rangeStart) / 1000;
  const durationToEnd = (rangeEnd - lastT) / 1000;
  const sampled = (lastT - firstT) / 1000;
  const avg = sampled / (count - 1);
  if (result > 0 && firstV >= 0) {
    const durationToZero = sampled * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = avg * 1.1;
  let interval = sampled;
  interval += durationToStart < threshold ? durationToStart : avg / 2;
  interval += durationToEnd < threshold ? durationToEnd : avg / 2;
  result *= interval / sampled;
  if (isRate) result /= (rangeEnd - rangeStart) / 1000;
  return result;
}

function describe(
  rule: AlertRule,
  kind: TransitionKind,
  labels: Labels,
  v: number,
  severity: AlertSeverity,
  threshold: number | undefined,
  at: number,
  activeAt: number | undefined,
): LocalizedText {
  const who = Object.entries(labels)
    .map(([k, x]) => `${k}=${x}`)
    .join(',');
  const vs = !Number.isNaN(v) ? String(Math.round(v * 1000) / 1000) : '—';
  const sevZh = severity === 'critical' ? '严重' : '警告';
  const c = rule.comparator;
  switch (kind) {
    case 'pending':
      return text(
        `${rule.title.zh}[${who}] 待定(${sevZh}):${vs} ${c} ${threshold},需持续 ${formatDuration(rule.forMs)}`,
        `${rule.title.en} [${who}] pending (${severity}): ${vs} ${c} ${threshold}, must hold for ${formatDuration(rule.forMs)}`,
      );
    case 'firing':
      return text(
        `${rule.title.zh}[${who}] 触发(${sevZh}):${vs} ${c} ${threshold}`,
        `${rule.title.en} [${who}] firing (${severity}): ${vs} ${c} ${threshold}`,
      );
    case 'escalated':
      return text(
        `${rule.title.zh}[${who}] 升级为严重:${vs} ${c} ${threshold}`,
        `${rule.title.en} [${who}] escalated to critical: ${vs} ${c} ${threshold}`,
      );
    case 'deescalated':
      return text(
        `${rule.title.zh}[${who}] 降级为警告:${vs} 越过恢复阈值 ${threshold}`,
        `${rule.title.en} [${who}] back to warning: ${vs} past recovery threshold ${threshold}`,
      );
    case 'resolved':
      return text(
        `${rule.title.zh}[${who}] 已恢复:${vs}(恢复阈值 ${threshold}),持续 ${formatDuration(at - (activeAt ?? at))}`,
        `${rule.title.en} [${who}] resolved: ${vs} (recovery threshold ${threshold}) after ${formatDuration(at - (activeAt ?? at))}`,
      );
    case 'no_data':
      return text(
        `${rule.title.zh}[${who}] 无数据:超过 ${formatDuration(rule.noDataAfterMs)} 未上报`,
        `${rule.title.en} [${who}] no data: nothing reported for over ${formatDuration(rule.noDataAfterMs)}`,
      );
  }
}

/**
 * The partition (0..partitions-1) that owns a series, by its labels without the metric name, so
 * that both halves of a ratio land on the same worker.
 *
 * @example
 * partitionOf({ host: 'db1' }, 4); // 0..3, stable
 */
export function partitionOf(labels: Labels, partitions: number): number {
  return fnv1a(labelKey(labels)) % Math.max(1, Math.floor(partitions));
}

/** Re-exported so consumers can test a comparator the way the evaluator does. */
export { holds };
