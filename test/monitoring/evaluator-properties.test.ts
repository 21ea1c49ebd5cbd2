import fc from 'fast-check';
import { unwrap } from 'opscharter/core';
import {
  type AlertTransition,
  createEvaluator,
  defineAlertRules,
  defineMetricCatalog,
} from 'opscharter/monitoring';
import { describe, expect, it } from 'vitest';
import { testMetrics } from './_fixtures.js';

const catalog = unwrap(defineMetricCatalog(testMetrics));
const M = 60_000;

/** Per host, one value per minute or a missed scrape (null); at most two misses in a row. */
const stream = fc
  .array(
    fc.array(fc.option(fc.integer({ min: 70, max: 100 }), { freq: 6 }), {
      minLength: 1,
      maxLength: 40,
    }),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((hosts) =>
    hosts.map((vals) =>
      vals.map((v, i) => (v === null && vals[i - 1] === null && vals[i - 2] === null ? 80 : v)),
    ),
  );

/** Like `stream`, with gaps of any length, so that series go without data and come back. */
const gappyStream = fc.array(
  fc.array(fc.option(fc.integer({ min: 70, max: 100 }), { freq: 3 }), {
    minLength: 1,
    maxLength: 40,
  }),
  { minLength: 1, maxLength: 4 },
);

function run(
  hosts: (number | null)[][],
  rule: Record<string, unknown>,
  from = 0,
  to = Math.max(...hosts.map((h) => h.length)),
  ev = createEvaluator({ rules: unwrap(defineAlertRules([rule], catalog)), catalog }),
) {
  const out: AlertTransition[][] = [];
  for (let k = from; k < to; k++) {
    ev.ingest(
      hosts.flatMap((vals, h) => {
        const v = vals[k];
        return v === null || v === undefined
          ? []
          : [{ metric: 'test.gauge', labels: { host: `h${h}` }, t: k * M, value: v }];
      }),
    );
    out.push([...ev.evaluate(k * M)]);
  }
  return { out, ev };
}

/** The instant value at minute k: the newest sample at or before it (lookback 5m). */
function valueAt(vals: (number | null)[], k: number): number | undefined {
  for (let j = k; j >= 0 && j > k - 5; j--) {
    const v = vals[j];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}

describe('evaluator properties', () => {
  it('never fires before the condition has held for `for`', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 0, max: 5 }), (hosts, forMin) => {
        const { out } = run(hosts, {
          id: 'r',
          metric: 'test.gauge',
          comparator: '>',
          warning: { threshold: 90, recovery: 85 },
          for: forMin * M,
        });
        out.forEach((ts, k) => {
          for (const t of ts) {
            if (t.kind !== 'firing') continue;
            const vals = hosts[Number(t.labels.host!.slice(1))]!;
            const since = (t.activeAt ?? 0) / M;
            expect(k - since).toBeGreaterThanOrEqual(forMin);
            for (let j = since; j <= k; j++) expect(valueAt(vals, j)).toBeGreaterThan(90);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never resolves while the value is still beyond the recovery threshold', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 0, max: 3 }), (hosts, forMin) => {
        const { out } = run(hosts, {
          id: 'r',
          metric: 'test.gauge',
          comparator: '>',
          warning: { threshold: 90, recovery: 85 },
          for: forMin * M,
        });
        out.forEach((ts, k) => {
          for (const t of ts) {
            if (t.kind !== 'resolved') continue;
            const v = valueAt(hosts[Number(t.labels.host!.slice(1))]!, k);
            if (v !== undefined) expect(v).toBeLessThanOrEqual(85);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the specialised `>` loop agrees with the general one', () => {
    fc.assert(
      fc.property(
        fc.oneof(stream, gappyStream),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        (hosts, forMin, keep) => {
          const rule = {
            id: 'r',
            metric: 'test.gauge',
            comparator: '>',
            warning: { threshold: 90, recovery: 85 },
            for: forMin * M,
            keepFiringFor: keep * M,
          };
          const fast = run(hosts, rule).out;
          // an unreachable critical rung forces the general loop
          const general = run(hosts, { ...rule, critical: 1e9 }).out;
          // every field, message and fingerprint included
          expect(JSON.stringify(general)).toBe(JSON.stringify(fast));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('`<` on negated values mirrors `>`, ladder and hysteresis included', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 0, max: 3 }), (hosts, forMin) => {
        const up = {
          id: 'r',
          metric: 'test.gauge',
          comparator: '>',
          warning: { threshold: 90, recovery: 85 },
          critical: { threshold: 97, recovery: 93 },
          for: forMin * M,
        };
        const down = {
          ...up,
          comparator: '<',
          warning: { threshold: -90, recovery: -85 },
          critical: { threshold: -97, recovery: -93 },
        };
        const negated = hosts.map((vals) => vals.map((v) => (v === null ? null : -v)));
        const a = run(hosts, up).out.map((ts) =>
          ts.map((t) => `${t.kind}:${t.severity}@${t.at}:${t.labels.host}`),
        );
        const b = run(negated, down).out.map((ts) =>
          ts.map((t) => `${t.kind}:${t.severity}@${t.at}:${t.labels.host}`),
        );
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('snapshot -> restore -> continue gives the same transitions as never stopping', () => {
    fc.assert(
      fc.property(stream, fc.nat(), fc.integer({ min: 0, max: 3 }), (hosts, cutSeed, forMin) => {
        const rule = {
          id: 'r',
          metric: 'test.gauge',
          comparator: '>',
          warning: { threshold: 90, recovery: 85 },
          critical: { threshold: 97, recovery: 93 },
          for: forMin * M,
          keepFiringFor: '1m',
          flapping: { window: '10m', maxChanges: 3 },
        };
        const len = Math.max(...hosts.map((h) => h.length));
        const cut = cutSeed % (len + 1);
        const straight = run(hosts, rule).out;
        const first = run(hosts, rule, 0, cut);
        const fresh = createEvaluator({
          rules: unwrap(defineAlertRules([rule], catalog)),
          catalog,
        });
        expect(fresh.restore(JSON.parse(JSON.stringify(first.ev.snapshot()))).ok).toBe(true);
        const second = run(hosts, rule, cut, len, fresh);
        expect([...first.out, ...second.out]).toEqual(straight);
      }),
      { numRuns: 200 },
    );
  });
});
