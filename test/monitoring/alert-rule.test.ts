import { unwrap } from 'opscharter/core';
import {
  builtinCatalog,
  defineAlertRule,
  defineAlertRules,
  defineMetricCatalog,
  formatDuration,
  holds,
  parseDuration,
} from 'opscharter/monitoring';
import { describe, expect, it } from 'vitest';
import { testMetrics } from './_fixtures.js';

const catalog = unwrap(defineMetricCatalog(testMetrics));
const cpu = { id: 'cpu', metric: 'system.cpu.usage', comparator: '>' };

describe('defineAlertRule catches the known traps', () => {
  it.each([
    [
      'recovery on the firing side',
      { ...cpu, warning: { threshold: 90, recovery: 95 } },
      'warning.recovery',
      'monitoring.rule.recovery_side',
    ],
    [
      'recovery on the firing side for <',
      { ...cpu, comparator: '<', critical: { threshold: 10, recovery: 5 } },
      'critical.recovery',
      'monitoring.rule.recovery_side',
    ],
    [
      'recovery with ==',
      { ...cpu, comparator: '==', critical: { threshold: 0, recovery: 1 } },
      'critical.recovery',
      'monitoring.rule.recovery_side',
    ],
    [
      'critical laxer than warning',
      { ...cpu, warning: 90, critical: 80 },
      'critical.threshold',
      'monitoring.rule.ladder_order',
    ],
    [
      'critical laxer than warning for <',
      { ...cpu, comparator: '<', warning: 10, critical: 20 },
      'critical.threshold',
      'monitoring.rule.ladder_order',
    ],
    ['unknown metric', { ...cpu, metric: 'cpu' }, 'metric', 'unknown_metric'],
    [
      'unknown ratio half',
      {
        id: 'r',
        metric: { numerator: 'test.ok', denominator: 'nope' },
        comparator: '<',
        warning: 1,
      },
      'metric.denominator',
      'unknown_metric',
    ],
    [
      'ratio of a metric to itself',
      {
        id: 'r',
        metric: { numerator: 'test.ok', denominator: 'test.ok' },
        comparator: '<',
        warning: 1,
      },
      'metric.denominator',
      'same_metric',
    ],
    [
      'rate window under two cadences',
      {
        id: 'r',
        metric: 'test.counter',
        comparator: '>',
        warning: 1,
        window: { fn: 'rate', range: '90s' },
      },
      'window.range',
      'monitoring.rule.window_too_short',
    ],
    [
      'avg window under one cadence',
      {
        id: 'r',
        metric: 'test.gauge',
        comparator: '>',
        warning: 1,
        window: { fn: 'avg', range: '30s' },
      },
      'window.range',
      'monitoring.rule.window_too_short',
    ],
    [
      'rate on a gauge',
      {
        id: 'r',
        metric: 'test.gauge',
        comparator: '>',
        warning: 1,
        window: { fn: 'increase', range: '5m' },
      },
      'window.fn',
      'rate_on_gauge',
    ],
    [
      'lookback under the cadence',
      { id: 'r', metric: 'test.gauge', comparator: '>', warning: 1, lookback: '30s' },
      'lookback',
      'lookback_too_short',
    ],
    [
      'no threshold and no default',
      { id: 'r', metric: 'test.gauge', comparator: '>' },
      'warning',
      'required',
    ],
    [
      'no comparator and no default',
      { id: 'r', metric: 'test.gauge', warning: 1 },
      'comparator',
      'required',
    ],
    [
      'bad regex matcher',
      { ...cpu, warning: 1, matchers: [{ label: 'host', op: '=~', value: '(' }] },
      'matchers.0.value',
      'invalid_regex',
    ],
    ['bad duration', { ...cpu, warning: 1, for: '5 minutes' }, 'for', 'custom'],
    ['negative duration', { ...cpu, warning: 1, for: -5 }, 'for', 'custom'],
    ['bad comparator', { ...cpu, comparator: '=>', warning: 1 }, 'comparator', 'invalid_value'],
    [
      'flapping with one change',
      { ...cpu, warning: 1, flapping: { window: '10m', maxChanges: 1 } },
      'flapping.maxChanges',
      'too_small',
    ],
    ['not an object', 'cpu > 90', '', 'invalid_type'],
  ] as const)('%s', (_name, input, path, code) => {
    const r = defineAlertRule(input, catalog);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.issues).toContainEqual(expect.objectContaining({ path, code }));
    for (const i of r.error.issues) expect(i.message.zh.length).toBeGreaterThan(0);
  });

  it('takes the catalog defaults when no rung is given', () => {
    const r = unwrap(defineAlertRule({ id: 'cpu', metric: 'system.cpu.usage' }));
    expect(r).toMatchObject({
      comparator: '>',
      warning: { threshold: 80, recovery: 80 },
      critical: { threshold: 90, recovery: 90 },
      clause: '4.1.1',
      lookbackMs: 300_000,
      noDataAfterMs: 45_000,
    });
  });

  it('compiles matchers given as an object, durations as strings', () => {
    const r = unwrap(
      defineAlertRule({
        ...cpu,
        warning: 90,
        for: '1m30s',
        keepFiringFor: 5000,
        matchers: { host: 'db1' },
      }),
    );
    expect(r).toMatchObject({
      forMs: 90_000,
      keepFiringForMs: 5000,
      matchers: [{ label: 'host', op: '=', value: 'db1' }],
    });
  });

  it('rejects duplicate ids and prefixes issues with the index', () => {
    const r = defineAlertRules([
      { ...cpu, warning: 1 },
      { ...cpu, warning: 1 },
      { ...cpu, id: 'x', warning: { threshold: 1, recovery: 2 } },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues.map((i) => i.path)).toEqual(['1.id', '2.warning.recovery']);
  });

  it('holds: NaN never holds, for any comparator', () => {
    for (const c of ['>', '>=', '<', '<=', '==', '!='] as const)
      expect(holds(c, Number.NaN, 1)).toBe(false);
    expect(holds('!=', 2, 1)).toBe(true);
    expect(holds('<=', 1, 1)).toBe(true);
  });
});

describe('metric catalog (4.1)', () => {
  it('names every metric of the charter with a unit, kind, cadence and thresholds', () => {
    const c = builtinCatalog();
    const byClause = (clause: string) =>
      [...c.metrics.values()]
        .filter(
          (m) =>
            ({ system: '4.1.1', application: '4.1.2', network: '4.1.3', data: '4.1.4' })[
              m.category as 'system'
            ] === clause,
        )
        .map((m) => m.name);
    expect(byClause('4.1.1')).toEqual([
      'system.cpu.usage',
      'system.memory.usage',
      'system.disk.io.utilisation',
      'system.network.bandwidth.usage',
    ]);
    expect(byClause('4.1.2')).toEqual(
      expect.arrayContaining(['app.transaction.volume', 'app.response.time', 'app.success.rate']),
    );
    expect(byClause('4.1.3')).toEqual(
      expect.arrayContaining([
        'network.port.traffic',
        'network.packet.loss',
        'network.link.utilisation',
      ]),
    );
    expect(byClause('4.1.4')).toEqual(
      expect.arrayContaining([
        'data.accuracy',
        'data.completeness',
        'data.backup.last_success_age',
        'data.backup.last_result',
      ]),
    );
    expect(c.get('data.backup.last_result')).toMatchObject({
      cadence: 86_400_000,
      thresholds: { comparator: '<', critical: 1 },
    });
  });

  it('accepts consumer metrics and rejects malformed ones naming the field', () => {
    const c = unwrap(
      defineMetricCatalog([
        {
          ...testMetrics[0]!,
          name: 'queue.depth',
          noDataAfter: '10m',
          thresholds: { comparator: '>', warning: 1000 },
        },
      ]),
    );
    expect(c.get('queue.depth')).toMatchObject({ cadence: 60_000, noDataAfter: 600_000 });
    const bad = defineMetricCatalog([{ ...testMetrics[0]!, cadence: 'often' }]);
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'validation', issues: [{ path: '0.cadence' }] },
    });
  });

  it('parses and formats durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1x')).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
    expect(formatDuration(90_061_001)).toBe('1d1h1m1s1ms');
    expect(formatDuration(0)).toBe('0s');
  });
});
