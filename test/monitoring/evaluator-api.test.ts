import { unwrap } from 'opscharter/core';
import {
  type AlertTransition,
  createEvaluator,
  defineAlertRules,
  defineMetricCatalog,
  type Evaluator,
  partitionOf,
  type TransitionBatch,
} from 'opscharter/monitoring';
import { describe, expect, it } from 'vitest';
import { testMetrics } from './_fixtures.js';

const catalog = unwrap(defineMetricCatalog(testMetrics));
const M = 60_000;

function evaluator(rules: Record<string, unknown>[]): Evaluator {
  return createEvaluator({ rules: unwrap(defineAlertRules(rules, catalog)), catalog });
}
const gaugeRule = { id: 'g', metric: 'test.gauge', comparator: '>', warning: 90 };

describe('ingest: defined behaviour for bad samples', () => {
  it.each([
    [
      'out of order (older than the newest)',
      [
        [2, 95],
        [1, 95],
      ],
      { accepted: 1, outOfOrder: 1 },
    ],
    [
      'duplicate timestamp (first write wins)',
      [
        [1, 50],
        [1, 95],
      ],
      { accepted: 1, duplicate: 1 },
    ],
    ['NaN value', [[1, Number.NaN]], { invalid: 1 }],
    ['non-finite time', [[Number.POSITIVE_INFINITY, 1]], { invalid: 1 }],
  ] as const)('%s', (_name, samples, counts) => {
    const ev = evaluator([gaugeRule]);
    const report = ev.ingest(
      samples.map(([t, value]) => ({
        metric: 'test.gauge',
        labels: { host: 'a' },
        t: t * M,
        value,
      })),
    );
    expect(report).toEqual({
      accepted: 0,
      outOfOrder: 0,
      duplicate: 0,
      invalid: 0,
      unknownMetric: 0,
      ...counts,
    });
    // the first write won: the duplicate 95 did not fire
    if (_name.startsWith('duplicate')) expect(ev.evaluate(1 * M)).toEqual([]);
  });

  it('counts unknown metrics and malformed labels, and never throws', () => {
    const ev = evaluator([gaugeRule]);
    const report = ev.ingest([
      { metric: 'nope', labels: {}, t: 0, value: 1 },
      { metric: 'test.gauge', labels: { host: 5 } as never, t: 0, value: 1 },
      { metric: 'test.gauge', labels: { 'bad-name': 'x' }, t: 0, value: 1 },
      null as never,
      { metric: 'test.gauge', labels: { host: 'a' }, t: 'x' as never, value: 1 },
    ]);
    expect(report).toMatchObject({ unknownMetric: 1, invalid: 4, accepted: 0 });
    expect(ev.stats()).toMatchObject({ unknownMetric: 1, invalid: 4 });
  });

  it('treats +Inf and -Inf as ordinary values', () => {
    const ev = evaluator([gaugeRule, { ...gaugeRule, id: 'low', comparator: '<', warning: 0 }]);
    ev.ingest([
      { metric: 'test.gauge', labels: { host: 'a' }, t: 0, value: Number.POSITIVE_INFINITY },
      { metric: 'test.gauge', labels: { host: 'b' }, t: 0, value: Number.NEGATIVE_INFINITY },
    ]);
    const ts = ev.evaluate(0);
    expect(ts.map((t) => `${t.rule}:${t.labels.host}:${t.kind}`)).toEqual([
      'g:a:firing',
      'low:b:firing',
    ]);
  });

  it('ignores an evaluation that goes back in time', () => {
    const ev = evaluator([gaugeRule]);
    ev.ingest([{ metric: 'test.gauge', labels: { host: 'a' }, t: 0, value: 95 }]);
    expect(ev.evaluate(M)).toHaveLength(1);
    ev.ingest([{ metric: 'test.gauge', labels: { host: 'b' }, t: 0, value: 95 }]);
    expect(ev.evaluate(0)).toEqual([]);
    expect(ev.stats().backwardsEvaluations).toBe(1);
  });

  it('uses the newest sample at or before the evaluation time', () => {
    const ev = evaluator([gaugeRule]);
    ev.ingest([
      { metric: 'test.gauge', labels: { host: 'a' }, t: 0, value: 95 },
      { metric: 'test.gauge', labels: { host: 'a' }, t: 2 * M, value: 50 },
    ]);
    expect(ev.evaluate(M).map((t) => t.value)).toEqual([95]);
    expect(ev.evaluate(2 * M).map((t) => t.kind)).toEqual(['resolved']);
  });

  it('columnar and object APIs give the same transitions', () => {
    const a = evaluator([gaugeRule]);
    const b = evaluator([gaugeRule]);
    const hosts = ['a', 'b', 'c'];
    const handles = Int32Array.from(hosts, (host) => unwrap(b.series('test.gauge', { host })));
    for (let k = 0; k < 5; k++) {
      const values = hosts.map((_, i) => ((k + i) % 2 === 0 ? 95 : 50));
      a.ingest(
        hosts.map((host, i) => ({
          metric: 'test.gauge',
          labels: Object.freeze({ host }),
          t: k * M,
          value: values[i]!,
        })),
      );
      b.ingestColumns(
        handles,
        Float64Array.from(hosts, () => k * M),
        Float64Array.from(values),
      );
      expect(b.evaluate(k * M)).toEqual(a.evaluate(k * M));
    }
  });

  it('resolves one frozen label object used with several metrics', () => {
    const ev = evaluator([
      gaugeRule,
      { id: 'c', metric: 'test.counter', comparator: '>', warning: 5 },
    ]);
    const labels = Object.freeze({ host: 'a' });
    const h = unwrap(ev.series('test.gauge', labels));
    for (let k = 0; k < 3; k++)
      ev.ingest([
        { metric: 'test.gauge', labels, t: k * M, value: 95 },
        { metric: 'test.counter', labels, t: k * M, value: 10 },
        { metric: 'test.gauge', labels: { host: 'a' }, t: k * M + 1, value: 95 },
      ]);
    expect(ev.stats()).toMatchObject({ series: 2, accepted: 9 });
    expect(unwrap(ev.series('test.gauge', { host: 'a' }))).toBe(h);
    expect(ev.evaluate(3 * M).map((t) => t.rule)).toEqual(['g', 'c']);
  });

  it('rejects unknown handles and unknown metrics in the columnar API', () => {
    const ev = evaluator([gaugeRule]);
    expect(ev.series('nope', {})).toMatchObject({
      ok: false,
      error: { code: 'validation', issues: [{ path: 'metric' }] },
    });
    expect(ev.series('test.gauge', { h: 1 } as never)).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'labels' }] },
    });
    expect(
      ev.ingestColumns(Int32Array.of(7), Float64Array.of(0), Float64Array.of(1)),
    ).toMatchObject({ invalid: 1 });
  });
});

describe('windows: Prometheus increase/rate extrapolation', () => {
  const at = (ev: Evaluator, rule: string, t: number) =>
    unwrap(ev.explain(rule, { job: 'x' }, t)).value;
  it('increase over 5m of a 1/s counter is 300, rate is 1', () => {
    const ev = evaluator([
      {
        id: 'inc',
        metric: 'test.counter',
        comparator: '>',
        warning: 1e9,
        window: { fn: 'increase', range: '5m' },
      },
      {
        id: 'rate',
        metric: 'test.counter',
        comparator: '>',
        warning: 1e9,
        window: { fn: 'rate', range: '5m' },
      },
    ]);
    for (let k = 0; k <= 10; k++)
      ev.ingest([{ metric: 'test.counter', labels: { job: 'x' }, t: k * M, value: 60 * k }]);
    expect(at(ev, 'inc', 10 * M)).toBeCloseTo(300, 9);
    expect(at(ev, 'rate', 10 * M)).toBeCloseTo(1, 9);
    // near the start the extrapolation stops at zero
    expect(at(ev, 'inc', M)).toBeCloseTo(60, 9);
  });

  it('corrects counter resets', () => {
    const ev = evaluator([
      {
        id: 'inc',
        metric: 'test.counter',
        comparator: '>',
        warning: 1e9,
        window: { fn: 'increase', range: '5m' },
      },
    ]);
    [0, 60, 120, 10, 70].forEach((v, k) => {
      ev.ingest([{ metric: 'test.counter', labels: { job: 'x' }, t: k * M, value: v }]);
    });
    expect(at(ev, 'inc', 4 * M)).toBeCloseTo(190, 9);
  });

  it('rate needs two samples in the window', () => {
    const ev = evaluator([
      {
        id: 'rate',
        metric: 'test.counter',
        comparator: '>',
        warning: 0,
        window: { fn: 'rate', range: '2m' },
      },
    ]);
    ev.ingest([{ metric: 'test.counter', labels: { job: 'x' }, t: 0, value: 5 }]);
    expect(ev.evaluate(0)).toEqual([]);
    expect(at(ev, 'rate', 0)).toBeUndefined();
  });

  it.each([
    ['sum', 300],
    ['min', 50],
    ['last', 150],
  ] as const)('%s over a window', (fn, expected) => {
    const ev = evaluator([
      { id: fn, metric: 'test.gauge', comparator: '>', warning: 1e9, window: { fn, range: '3m' } },
    ]);
    [50, 100, 150].forEach((value, k) => {
      ev.ingest([{ metric: 'test.gauge', labels: { job: 'x' }, t: k * M, value }]);
    });
    expect(at(ev, fn, 2 * M)).toBe(expected);
  });
});

describe('explain', () => {
  const ev = evaluator([
    { ...gaugeRule, warning: { threshold: 90, recovery: 85 }, for: '2m', keepFiringFor: '1m' },
  ]);
  it('says why an alert is pending, firing or held', () => {
    ev.ingest([{ metric: 'test.gauge', labels: { host: 'a' }, t: 0, value: 95 }]);
    ev.evaluate(0);
    const pending = unwrap(ev.explain('g', { host: 'a' }, 0));
    expect(pending).toMatchObject({ state: 'pending', firesAt: 2 * M, value: 95 });
    expect(pending.reason.en).toContain('fires once it has held for 2m');
    for (const [k, v] of [
      [1, 95],
      [2, 95],
      [3, 80],
    ]) {
      ev.ingest([{ metric: 'test.gauge', labels: { host: 'a' }, t: k! * M, value: v! }]);
      ev.evaluate(k! * M);
    }
    const held = unwrap(ev.explain('g', { host: 'a' }, 3 * M));
    expect(held).toMatchObject({ state: 'firing', keepFiringUntil: 4 * M });
    expect(held.reason.en).toContain('keepFiringFor');
    expect(held.rungs[0]).toMatchObject({
      threshold: 90,
      recovery: 85,
      holds: false,
      recovered: true,
    });
  });
  it('reports no data, unknown series and unknown rules', () => {
    expect(unwrap(ev.explain('g', { host: 'a' }, 30 * M))).toMatchObject({ noData: true });
    expect(unwrap(ev.explain('g', { host: 'zz' }, 0)).state).toBe('unknown_series');
    expect(ev.explain('nope', {}, 0)).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'rule' }] },
    });
    expect(ev.explain('g', 3 as never, 0)).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'labels' }] },
    });
  });
  it('explains a value below the threshold', () => {
    const e2 = evaluator([gaugeRule]);
    e2.ingest([{ metric: 'test.gauge', labels: { host: 'a' }, t: 0, value: 10 }]);
    expect(unwrap(e2.explain('g', { host: 'a' }, 0)).reason.en).toContain('does not satisfy > 90');
  });
});

describe('snapshot and restore', () => {
  it('round-trips through JSON and continues identically', () => {
    const rules = [
      {
        ...gaugeRule,
        warning: { threshold: 90, recovery: 85 },
        critical: 97,
        for: '2m',
        keepFiringFor: '1m',
        flapping: { window: '10m', maxChanges: 3 },
      },
      {
        id: 'avg',
        metric: 'test.gauge',
        comparator: '>',
        warning: 80,
        window: { fn: 'avg', range: '3m' },
      },
      {
        id: 'sr',
        metric: { numerator: 'test.ok', denominator: 'test.all' },
        comparator: '<',
        warning: 0.9,
      },
    ];
    const a = evaluator(rules);
    const feed = (ev: Evaluator, k: number) => {
      ev.ingest([
        {
          metric: 'test.gauge',
          labels: { host: 'a' },
          t: k * M,
          value: [95, 99, 88, 80, 96, 96, 96, 50][k % 8]!,
        },
        { metric: 'test.ok', labels: { host: 'a' }, t: k * M, value: k % 3 === 0 ? 5 : 10 },
        { metric: 'test.all', labels: { host: 'a' }, t: k * M, value: 10 },
      ]);
      return ev.evaluate(k * M);
    };
    for (let k = 0; k < 6; k++) feed(a, k);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = evaluator(rules);
    expect(b.restore(snap)).toEqual({ ok: true, value: undefined });
    for (let k = 6; k < 20; k++) expect(feed(b, k)).toEqual(feed(a, k));
  });

  it('rejects a snapshot from other rules or a malformed one, changing nothing', () => {
    const a = evaluator([gaugeRule]);
    a.ingest([{ metric: 'test.gauge', labels: { host: 'a' }, t: 0, value: 95 }]);
    a.evaluate(0);
    const snap = a.snapshot();
    const other = evaluator([{ ...gaugeRule, id: 'other' }]);
    expect(other.restore(snap)).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'rules' }] },
    });
    expect(a.restore({ ...snap, version: 2 })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'version' }] },
    });
    expect(a.restore({ ...snap, series: [{ metric: 'nope', labels: {}, s: [] }] })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'series.0.metric' }] },
    });
    expect(a.restore({ ...snap, series: [{ ...snap.series[0]!, s: [1] }] })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'series.0.s' }] },
    });
    expect(a.restore({ ...snap, states: [[['x']]] })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'states.0.0' }] },
    });
    expect(a.activeAlerts()).toHaveLength(1);
  });
});

describe('partitionOf', () => {
  it('is stable and ignores the metric, so ratio halves land together', () => {
    expect(partitionOf({ host: 'a', app: 'x' }, 8)).toBe(partitionOf({ app: 'x', host: 'a' }, 8));
    expect(partitionOf({ host: 'a' }, 8)).toBeGreaterThanOrEqual(0);
    expect(partitionOf({ host: 'a' }, 8)).toBeLessThan(8);
  });
});

describe('evaluateBatch: the transitions as columns', () => {
  // Every kind of transition: escalation and back, keepFiringFor, flapping, no data, a team label.
  const rules = [
    {
      ...gaugeRule,
      warning: { threshold: 90, recovery: 85 },
      critical: { threshold: 97, recovery: 94 },
      for: '2m',
      keepFiringFor: '1m',
      flapping: { window: '10m', maxChanges: 2 },
      labels: { team: 'db' },
    },
    { id: 'lo', metric: 'test.gauge', comparator: '<', warning: 40 },
  ];
  const values = [95, 95, 95, 99, 92, 80, 80, 96, 96, 96, 30, 50, 99, 10];
  const feed = (ev: Evaluator, k: number) =>
    ev.ingest(
      ['a', 'b'].flatMap((host, i) =>
        // host b stops reporting after k = 8, for `no_data`
        i === 1 && k > 8
          ? []
          : [{ metric: 'test.gauge', labels: { host }, t: k * M, value: values[(k + i) % 14]! }],
      ),
    );

  const replay = (ev: Evaluator, steps: number) => {
    const out: AlertTransition[] = [];
    for (let k = 0; k < steps; k++) {
      feed(ev, k);
      out.push(...ev.evaluate(k * M));
    }
    return out;
  };

  it('holds the same transitions as evaluate, field for field, with the same JSON', () => {
    const a = evaluator(rules);
    const b = evaluator(rules);
    const kinds = new Set<string>();
    for (let k = 0; k < 30; k++) {
      feed(a, k);
      feed(b, k);
      const objects = a.evaluate(k * M);
      const batch = b.evaluateBatch(k * M);
      expect(batch.at).toBe(k * M);
      expect(batch.length).toBe(objects.length);
      expect(batch.toArray()).toEqual(objects);
      expect([...batch]).toEqual(objects);
      expect(JSON.stringify(batch.toArray())).toBe(JSON.stringify(objects));
      objects.forEach((t, i) => {
        kinds.add(t.kind);
        expect(batch.get(i)).toEqual(t);
        expect(batch.get(i).fingerprint).toBe(t.fingerprint);
        expect(batch.get(i).message).toEqual(t.message);
        expect([batch.kind(i), batch.rule(i), batch.labels(i)]).toEqual([t.kind, t.rule, t.labels]);
        expect([batch.severity(i), batch.value(i)]).toEqual([t.severity, t.value]);
      });
    }
    expect([...kinds].sort()).toEqual(
      ['deescalated', 'escalated', 'firing', 'no_data', 'pending', 'resolved'].sort(),
    );
  });

  it('keeps every transition of a large burst, and earlier batches stay intact', () => {
    const ev = evaluator([gaugeRule]);
    const handles = Int32Array.from({ length: 10_000 }, (_, i) =>
      unwrap(ev.series('test.gauge', { host: `h${i}` })),
    );
    const batches = [];
    for (let k = 0; k < 6; k++) {
      // k even: every series above 90 fires; k odd: every one resolves (10,000 transitions each)
      const value = k % 2 === 0 ? 95 + k : 10 + k;
      ev.ingestColumns(
        handles,
        new Float64Array(handles.length).fill(k * M),
        new Float64Array(handles.length).fill(value),
      );
      batches.push({ batch: ev.evaluateBatch(k * M), value });
    }
    for (const [k, { batch, value }] of batches.entries()) {
      expect(batch.length).toBe(10_000);
      for (const i of [0, 1, 4095, 4096, 9_999]) {
        expect(batch.kind(i)).toBe(k % 2 === 0 ? 'firing' : 'resolved');
        expect(batch.value(i)).toBe(value);
        expect(batch.labels(i)).toEqual({ host: `h${i}` });
      }
    }
  });

  it('refills a batch passed back for reuse; objects built from it before stay as they were', () => {
    const a = evaluator(rules);
    const b = evaluator(rules);
    let batch = b.evaluateBatch(0);
    const kept: AlertTransition[] = [];
    for (let k = 0; k < 30; k++) {
      feed(a, k);
      feed(b, k);
      const previous = batch;
      batch = b.evaluateBatch(k * M, batch);
      expect(batch).toBe(previous);
      expect(batch.toArray()).toEqual(a.evaluate(k * M));
      kept.push(...batch.toArray());
    }
    expect(JSON.parse(JSON.stringify(kept))).toEqual(
      JSON.parse(JSON.stringify(replay(evaluator(rules), 30))),
    );
    // anything else passed as `reuse` is ignored: a new batch is returned
    const c = evaluator(rules);
    feed(c, 0);
    const foreign = { length: 0 } as unknown as TransitionBatch;
    expect(c.evaluateBatch(0, foreign)).not.toBe(foreign);
  });

  it('refuses an index outside the batch, and is empty for an evaluation back in time', () => {
    const ev = evaluator([gaugeRule]);
    ev.ingest([{ metric: 'test.gauge', labels: { host: 'a' }, t: M, value: 95 }]);
    const batch = ev.evaluateBatch(M);
    expect(batch.length).toBe(1);
    for (const i of [-1, 1, 0.5]) expect(() => batch.get(i)).toThrow(RangeError);
    expect(ev.evaluateBatch(0).length).toBe(0);
    expect(ev.stats().backwardsEvaluations).toBe(1);
  });
});
