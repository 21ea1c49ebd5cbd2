import { unwrap } from 'opscharter/core';
import { testAlertRules } from 'opscharter/testing';
import { describe, expect, it } from 'vitest';
import { testMetrics } from './_fixtures.js';

type Kind = 'pending' | 'firing' | 'escalated' | 'deescalated' | 'resolved' | 'no_data';
interface Case {
  name: string;
  rule: Record<string, unknown>;
  values: string;
  /** Transitions of the rule at each minute (index = minute); omitted minutes expect none. */
  expect: Record<number, Kind[]>;
  upTo?: number;
}

const base = { id: 'r', metric: 'test.gauge', comparator: '>' };
const cases: Case[] = [
  {
    name: 'pending at the first true evaluation, fires when t - activeAt >= for (inclusive)',
    rule: { ...base, warning: 90, for: '2m' },
    values: '50 95 95 95 50',
    expect: { 1: ['pending'], 3: ['firing'], 4: ['resolved'] },
  },
  {
    name: 'for 0 fires at the same evaluation',
    rule: { ...base, warning: 90 },
    values: '50 95',
    expect: { 1: ['firing'] },
  },
  {
    name: 'a pending alert that goes false is dropped with no resolved notice',
    rule: { ...base, warning: 90, for: '5m' },
    values: '95 95 50 50',
    expect: { 0: ['pending'] },
  },
  {
    name: 'hysteresis: fire above 90, resolve only at or below 85',
    rule: { ...base, warning: { threshold: 90, recovery: 85 } },
    values: '95 88 86 85 91',
    expect: { 0: ['firing'], 3: ['resolved'], 4: ['firing'] },
  },
  {
    name: 'keepFiringFor: timer from the first false evaluation, strict <',
    rule: { ...base, warning: 90, keepFiringFor: '2m' },
    values: '95 50 50 50 50',
    expect: { 0: ['firing'], 3: ['resolved'] },
  },
  {
    name: 'keepFiringFor restarts when the condition holds again',
    rule: { ...base, warning: 90, keepFiringFor: '2m' },
    values: '95 50 95 50 50 50',
    expect: { 0: ['firing'], 5: ['resolved'] },
  },
  {
    name: 'keepFiringFor does not hold an alert that never fired',
    rule: { ...base, warning: 90, for: '5m', keepFiringFor: '10m' },
    values: '95 50 50',
    expect: { 0: ['pending'] },
  },
  {
    name: 'lookback is left-open: a sample exactly lookback old is gone',
    rule: { ...base, warning: 90, lookback: '2m', noDataAfter: '10m' },
    values: '95 _ _ _',
    expect: { 0: ['firing'], 2: ['resolved'] },
  },
  {
    name: 'severity ladder escalates and comes back with per-rung recovery',
    rule: {
      ...base,
      warning: { threshold: 90, recovery: 85 },
      critical: { threshold: 95, recovery: 92 },
    },
    values: '91 96 93 91 84',
    expect: { 0: ['firing'], 1: ['escalated'], 3: ['deescalated'], 4: ['resolved'] },
  },
  {
    name: 'a critical-only ladder fires critical',
    rule: { ...base, critical: 95 },
    values: '91 96 91',
    expect: { 1: ['firing'], 2: ['resolved'] },
  },
  {
    name: 'silence beyond noDataAfter is no_data, never a recovery',
    rule: { ...base, warning: 90 },
    values: '95 _x5 95 50',
    expect: { 0: ['firing'], 4: ['no_data'], 7: ['resolved'] },
  },
  {
    name: 'a stale marker ends the series: the alert resolves, no no_data',
    rule: { ...base, warning: 90 },
    values: '95 stale _ _ _ _',
    expect: { 0: ['firing'], 1: ['resolved'] },
  },
  {
    name: 'comparator < with recovery above',
    rule: { ...base, comparator: '<', warning: { threshold: 10, recovery: 20 } },
    values: '50 5 15 20',
    expect: { 1: ['firing'], 3: ['resolved'] },
  },
  {
    name: 'comparator == and !=',
    rule: { ...base, comparator: '==', critical: 0 },
    values: '1 0 1',
    expect: { 1: ['firing'], 2: ['resolved'] },
  },
  {
    name: 'avg over a window (t - w, t]',
    rule: { ...base, warning: 85, window: { fn: 'avg', range: '3m' } },
    values: '80 100 100 60 60 60',
    expect: { 1: ['firing'], 4: ['resolved'] },
  },
  {
    name: 'max over a window',
    rule: { ...base, warning: 90, window: { fn: 'max', range: '2m' } },
    values: '95 50 50 50',
    expect: { 0: ['firing'], 2: ['resolved'] },
  },
  {
    name: 'count over a window; an inactive series also reports no_data',
    rule: { ...base, comparator: '>=', warning: 3, window: { fn: 'count', range: '3m' } },
    values: '1 1 1 1 _ _ _',
    expect: { 2: ['firing'], 4: ['resolved'], 7: ['no_data'] },
  },
];

describe('evaluator semantics (Prometheus where they overlap)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const minutes = c.upTo ?? c.values.split(/\s+/).length + 2;
      const transitions = Array.from({ length: minutes }, (_, m) => ({
        at: `${m}m`,
        rule: 'r',
        expected: (c.expect[m] ?? []).map((kind) => ({ kind })),
      }));
      const r = unwrap(
        testAlertRules({
          rules: [c.rule],
          metrics: testMetrics,
          interval: '1m',
          series: [{ series: 'test.gauge{host="a"}', values: c.values }],
          transitions,
        }),
      );
      expect(r.report, r.trace.join('\n')).toBe('');
      expect(r.ok).toBe(true);
    });
  }
});

describe('derived ratios and matchers', () => {
  it('fires on succeeded / total below the threshold, and 0/0 is no value', () => {
    const r = unwrap(
      testAlertRules({
        rules: [
          {
            id: 'sr',
            metric: { numerator: 'test.ok', denominator: 'test.all', scale: 100 },
            comparator: '<',
            critical: 95,
          },
        ],
        metrics: testMetrics,
        interval: '1m',
        series: [
          { series: 'test.ok{app="claims"}', values: '99 90 0 99' },
          { series: 'test.all{app="claims"}', values: '100 100 0 100' },
        ],
        transitions: [
          { at: '0m', rule: 'sr', expected: [] },
          {
            at: '1m',
            rule: 'sr',
            expected: [{ kind: 'firing', severity: 'critical', labels: { app: 'claims' } }],
          },
          { at: '2m', rule: 'sr', expected: [{ kind: 'resolved' }] },
          { at: '3m', rule: 'sr', expected: [] },
        ],
      }),
    );
    expect(r.report).toBe('');
  });

  it('applies label matchers (anchored regex) once per series', () => {
    const r = unwrap(
      testAlertRules({
        rules: [
          {
            ...base,
            id: 'db',
            warning: 90,
            matchers: [{ label: 'host', op: '=~', value: 'db.*' }],
            labels: { team: 'dba' },
          },
        ],
        metrics: testMetrics,
        interval: '1m',
        series: [
          { series: 'test.gauge{host="db1"}', values: '95' },
          { series: 'test.gauge{host="web1"}', values: '95' },
          { series: 'test.gauge{host="xdb1"}', values: '95' },
        ],
        alerts: [
          {
            at: '0m',
            rule: 'db',
            expected: [{ state: 'firing', labels: { host: 'db1', team: 'dba' } }],
          },
        ],
      }),
    );
    expect(r.report).toBe('');
  });
});
