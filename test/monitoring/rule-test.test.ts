import { unwrap } from 'opscharter/core';
import { expandSeries, parseSelector, testAlertRules } from 'opscharter/testing';
import { describe, expect, it } from 'vitest';
import { testMetrics } from './_fixtures.js';

describe('promtool-style rule tests', () => {
  it.each([
    ['0+10x3', [0, 10, 20, 30]],
    ['5-1x2', [5, 4, 3]],
    ['7x2', [7, 7, 7]],
    ['_ _x2 stale 1.5', [null, null, null, 'stale', 1.5]],
    ['-2 Inf -Inf', [-2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]],
    ['1e3+1e2x1', [1000, 1100]],
  ] as const)('expands %s', (notation, expected) => {
    expect(unwrap(expandSeries(notation))).toEqual(expected);
  });

  it('names the token it cannot read', () => {
    expect(expandSeries('1 2 oops')).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'values.2' }] },
    });
  });

  it('reads selectors', () => {
    expect(parseSelector('system.cpu.usage{host="db1", ci="CI-\\"1"}')).toEqual({
      metric: 'system.cpu.usage',
      labels: { host: 'db1', ci: 'CI-"1' },
    });
    expect(parseSelector('up')).toEqual({ metric: 'up', labels: {} });
    expect(parseSelector('up{host=db1}')).toBeUndefined();
    expect(parseSelector('{}')).toBeUndefined();
  });

  const spec = {
    rules: [
      {
        id: 'cpu_high',
        metric: 'test.gauge',
        comparator: '>',
        warning: { threshold: 90, recovery: 85 },
        for: '2m',
      },
    ],
    metrics: testMetrics,
    interval: '1m',
    series: [{ series: 'test.gauge{host="a"}', values: '50 95x4 80' }],
  };

  it('passes when the alerts are as expected', () => {
    const r = unwrap(
      testAlertRules({
        ...spec,
        alerts: [
          {
            at: '1m',
            rule: 'cpu_high',
            expected: [{ state: 'pending', severity: 'warning', labels: { host: 'a' } }],
          },
          { at: '3m', rule: 'cpu_high', expected: [{ labels: { host: 'a' } }] },
          { at: '6m', rule: 'cpu_high', expected: [] },
        ],
      }),
    );
    expect(r).toMatchObject({ ok: true, report: '' });
    expect(r.trace).toEqual([
      '1m cpu_high pending warning {host="a"} 95',
      '3m cpu_high firing warning {host="a"} 95',
      '6m cpu_high resolved warning {host="a"} 80',
    ]);
  });

  it('reports each mismatch readably', () => {
    const r = unwrap(
      testAlertRules({
        ...spec,
        alerts: [{ at: '2m', rule: 'cpu_high', expected: [{ state: 'firing' }] }],
        transitions: [{ at: '6m', rule: 'cpu_high', expected: [] }],
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.report).toBe(
      [
        "alerts of rule 'cpu_high' at 2m:",
        '  expected: [firing * *]',
        '  got:      [pending warning {host="a"}]',
        "transitions of rule 'cpu_high' at 6m:",
        '  expected: []',
        '  got:      [resolved warning {host="a"}]',
      ].join('\n'),
    );
  });

  it.each([
    ['a bad rule', { rules: [{ id: 'x', metric: 'nope' }] }, 'rules.0.metric'],
    ['a bad interval', { interval: 'soon' }, 'interval'],
    ['a bad selector', { series: [{ series: 'x{', values: '1' }] }, 'series.0.series'],
    ['an unknown metric', { series: [{ series: 'nope', values: '1' }] }, 'series.0.series'],
    ['bad values', { series: [{ series: 'test.gauge', values: '1 ?' }] }, 'series.0.values'],
    ['a bad time', { alerts: [{ at: 'later', rule: 'cpu_high', expected: [] }] }, 'alerts.0.at'],
    [
      'an unknown rule',
      { transitions: [{ at: '1m', rule: 'nope', expected: [] }] },
      'transitions.0.rule',
    ],
    ['bad metrics', { metrics: [{ name: '' }] }, '0.name'],
  ] as const)('rejects %s naming the field', (_n, patch, path) => {
    const r = testAlertRules({ ...spec, ...(patch as object) } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues.map((i) => i.path)).toContain(path);
  });
});
