// Monitoring evaluator: 1M samples over 10k series, 100 scrapes 15 s apart, shuffled within a
// scrape; rule `> 90 for 60s` resolving at `<= 85`; then 50 rules. Ratios to a hand-written
// typed-array loop (the limit) and to json-rules-engine (per sample, on a subset, scaled).
import { Engine } from 'json-rules-engine';
import { unwrap } from 'opscharter/core';
import {
  createEvaluator,
  defineAlertRules,
  type Evaluator,
  type Sample,
  type TransitionBatch,
} from 'opscharter/monitoring';
import { compare, fmt, peakMemory } from './_lib/report.js';

const SERIES = 10_000;
const SCRAPES = 100;
const STEP = 15_000;
const T0 = Date.UTC(2026, 2, 31, 1);
const SAMPLES = SERIES * SCRAPES;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + Math.imul(t ^ (t >>> 14), 53 | t));
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per scrape: shuffled series indices, times and values (a noisy wave crossing 85 and 90). */
function generate() {
  const rnd = mulberry32(42);
  const phase = Float64Array.from({ length: SERIES }, () => rnd() * Math.PI * 2);
  const level = Float64Array.from({ length: SERIES }, () => 70 + rnd() * 20);
  const scrapes: { handles: Int32Array; times: Float64Array; values: Float64Array; t: number }[] =
    [];
  for (let k = 0; k < SCRAPES; k++) {
    const handles = Int32Array.from({ length: SERIES }, (_, i) => i);
    for (let i = SERIES - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const x = handles[i]!;
      handles[i] = handles[j]!;
      handles[j] = x;
    }
    const t = T0 + k * STEP;
    const times = new Float64Array(SERIES).fill(t);
    const values = new Float64Array(SERIES);
    for (let i = 0; i < SERIES; i++) {
      const h = handles[i]!;
      values[i] = level[h]! + 12 * Math.sin(phase[h]! + k / 6) + (rnd() - 0.5) * 6;
    }
    scrapes.push({ handles, times, values, t });
  }
  return scrapes;
}

const ruleInput = (id: string, threshold: number) => ({
  id,
  metric: 'system.cpu.usage',
  comparator: '>',
  warning: { threshold, recovery: threshold - 5 },
  for: '60s',
});

/** The limit: threshold, `for` and hysteresis in typed arrays, per sample, nothing else. */
function handWritten(rules: number) {
  const state = new Uint8Array(SERIES * rules);
  const activeAt = new Float64Array(SERIES * rules);
  const th = Float64Array.from({ length: rules }, (_, r) => 90 - r);
  const rec = Float64Array.from({ length: rules }, (_, r) => 85 - r);
  let transitions = 0;
  return {
    reset() {
      state.fill(0);
      activeAt.fill(0);
      transitions = 0;
    },
    scrape(handles: Int32Array, times: Float64Array, values: Float64Array) {
      for (let i = 0; i < handles.length; i++) {
        const h = handles[i]!;
        const t = times[i]!;
        const v = values[i]!;
        for (let r = 0; r < rules; r++) {
          const k = h * rules + r;
          const s = state[k]!;
          if (s === 0) {
            if (v > th[r]!) {
              state[k] = 1;
              activeAt[k] = t;
              transitions++;
            }
          } else if (s === 1) {
            if (!(v > th[r]!)) state[k] = 0;
            else if (t - activeAt[k]! >= 60_000) {
              state[k] = 2;
              transitions++;
            }
          } else if (v <= rec[r]!) {
            state[k] = 0;
            transitions++;
          }
        }
      }
    },
    get transitions() {
      return transitions;
    },
  };
}

export default async function run(): Promise<void> {
  const scrapes = generate();
  const rules1 = unwrap(defineAlertRules([ruleInput('cpu', 90)]));
  const rules50 = unwrap(
    defineAlertRules(Array.from({ length: 50 }, (_, r) => ruleInput(`cpu_${r}`, 90 - r))),
  );
  const labels = Array.from({ length: SERIES }, (_, i) =>
    Object.freeze({ host: `h${i}`, ci: `CI-${i % 500}` }),
  );
  const objects: Sample[][] = scrapes.map((s) =>
    Array.from(s.handles, (h, i) => ({
      metric: 'system.cpu.usage',
      labels: labels[h]!,
      t: s.times[i]!,
      value: s.values[i]!,
    })),
  );

  const fresh = (rules: typeof rules1): Evaluator => {
    const ev = createEvaluator({ rules });
    for (let i = 0; i < SERIES; i++) unwrap(ev.series('system.cpu.usage', labels[i]!));
    return ev;
  };
  // Each benchmark iteration continues the same stream 25 minutes later (times shifted outside
  // the timing), so state carries over as in a long-running stream processor.
  const SPAN = SCRAPES * STEP;
  let shift = 0;
  const shiftTo = (iteration: number) => {
    const delta = iteration * SPAN - shift;
    if (delta === 0) return;
    shift += delta;
    for (const s of scrapes) {
      s.t += delta;
      for (let i = 0; i < SERIES; i++) s.times[i]! += delta;
    }
    for (const scrape of objects) for (const o of scrape) (o as { t: number }).t += delta;
  };
  // Columnar in and out: typed arrays of samples in, transitions as a batch of columns out
  // (every field of every transition available, objects built on demand), the batch's memory
  // reused from one evaluation to the next as a stream processor would.
  const columnar = (ev: Evaluator) => {
    let n = 0;
    let batch: TransitionBatch | undefined;
    for (const s of scrapes) {
      ev.ingestColumns(s.handles, s.times, s.values);
      batch = ev.evaluateBatch(s.t, batch);
      n += batch.length;
    }
    return n;
  };
  const objectApi = (ev: Evaluator) => {
    let n = 0;
    for (let k = 0; k < SCRAPES; k++) {
      ev.ingest(objects[k]!);
      n += ev.evaluate(scrapes[k]!.t).length;
    }
    return n;
  };

  // Sanity: every contender sees the same transitions on the first pass.
  const base1 = handWritten(1);
  for (const s of scrapes) base1.scrape(s.handles, s.times, s.values);
  const colCount = columnar(fresh(rules1));
  const objCount = objectApi(createEvaluator({ rules: rules1 }));
  console.log(
    `\ntransitions over the first pass: hand-written ${fmt(base1.transitions)}, columnar ${fmt(colCount)}, object ${fmt(objCount)}`,
  );

  // json-rules-engine: the same rule per sample (threshold and recovery as engine rules, `for`
  // and state around it), on a 20k-sample subset (200 series × 100 scrapes), scaled per sample.
  const SUB_SERIES = 200;
  const subset = scrapes.map((s) => {
    const idx: number[] = [];
    for (let i = 0; i < s.handles.length; i++) if (s.handles[i]! < SUB_SERIES) idx.push(i);
    return idx.map((i) => [s.handles[i]!, s.times[i]!, s.values[i]!] as const);
  });
  const engine = new Engine();
  engine.addRule({
    conditions: { all: [{ fact: 'value', operator: 'greaterThan', value: 90 }] },
    event: { type: 'above' },
  });
  engine.addRule({
    conditions: { all: [{ fact: 'value', operator: 'greaterThan', value: 85 }] },
    event: { type: 'held' },
  });
  const jreState = new Uint8Array(SUB_SERIES);
  const jreActive = new Float64Array(SUB_SERIES);
  const jre = async () => {
    jreState.fill(0);
    for (const scrape of subset) {
      for (const [h, t, v] of scrape) {
        const { events } = await engine.run({ value: v });
        const above = events.some((e) => e.type === 'above');
        const held = events.some((e) => e.type === 'held');
        const s = jreState[h]!;
        if (s === 0) {
          if (above) {
            jreState[h] = 1;
            jreActive[h] = t;
          }
        } else if (s === 1) {
          if (!above) jreState[h] = 0;
          else if (t - jreActive[h]! >= 60_000) jreState[h] = 2;
        } else if (!held) jreState[h] = 0;
      }
    }
  };

  // One counter for every contender: each run is later in time than any run before it, so no
  // evaluator ever sees its own samples again (the stats printed below prove nothing was dropped).
  let iteration = 0;
  const evaluators: [string, Evaluator][] = [];
  const contenders = (rules: typeof rules1, count: number, suffix: string) => {
    const hw = handWritten(count);
    const col = fresh(rules);
    const obj = createEvaluator({ rules });
    evaluators.push([`columnar${suffix}`, col], [`object${suffix}`, obj]);
    return [
      {
        name: `hand-written typed-array loop${suffix}`,
        opsPerRun: SAMPLES,
        beforeEach: () => shiftTo(++iteration),
        run: () => {
          for (const s of scrapes) hw.scrape(s.handles, s.times, s.values);
        },
      },
      {
        name: `opscharter columnar API${suffix}`,
        opsPerRun: SAMPLES,
        beforeEach: () => shiftTo(++iteration),
        run: () => void columnar(col),
      },
      {
        name: `opscharter object API${suffix}`,
        opsPerRun: SAMPLES,
        beforeEach: () => shiftTo(++iteration),
        run: () => void objectApi(obj),
      },
    ];
  };
  const r1 = await compare(
    'monitoring: 1M samples, 10k series, 1 rule `> 90 for 60s`, resolve `<= 85` (ns per sample; json-rules-engine measured on a 20k-sample subset and scaled per sample)',
    [
      ...contenders(rules1, 1, ''),
      {
        name: 'json-rules-engine (20k-sample subset, scaled)',
        opsPerRun: SUB_SERIES * SCRAPES,
        run: jre,
      },
    ],
    { iterations: 8, time: 2000 },
  );
  const r50 = await compare(
    'monitoring: 1M samples, 10k series, 50 rules (ns per sample)',
    contenders(rules50, 50, ', 50 rules'),
    {
      iterations: 4,
      time: 2000,
    },
  );

  for (const [name, ev] of evaluators) {
    const st = ev.stats();
    console.log(
      `${name}: accepted ${fmt(st.accepted)}, out of order ${st.outOfOrder}, duplicate ${st.duplicate}`,
    );
  }
  shiftTo(++iteration);
  const memCol = await peakMemory(() => columnar(fresh(rules1)));
  const memObj = await peakMemory(() => objectApi(createEvaluator({ rules: rules1 })));
  const memCol50 = await peakMemory(() => columnar(fresh(rules50)));
  const [hw, col, obj, jr] = r1;
  const ratio = (a?: { nsPerOp: number }, b?: { nsPerOp: number }) =>
    a && b ? a.nsPerOp / b.nsPerOp : Number.NaN;
  console.log(
    `\npeak memory growth: columnar ${memCol.peakMiB.toFixed(1)} MiB, object API ${memObj.peakMiB.toFixed(1)} MiB, columnar 50 rules ${memCol50.peakMiB.toFixed(1)} MiB (object API includes its samples' garbage)`,
  );
  console.log(
    `targets: columnar ${ratio(col, hw).toFixed(2)}× hand-written (≤ 2.5), object ${ratio(obj, hw).toFixed(2)}× (≤ 10), json-rules-engine ${ratio(jr, col).toFixed(0)}× slower than columnar and ${ratio(jr, obj).toFixed(0)}× slower than object (≥ 150)`,
  );
  console.log(
    `50 rules: columnar ${ratio(r50[1], r50[0]).toFixed(2)}× hand-written, object ${ratio(r50[2], r50[0]).toFixed(2)}×`,
  );

  // A cross-check of the one-rule ratios on a shared machine: the tables above measure each
  // contender for seconds, one after the other, and average, so load that comes and goes
  // between them moves the ratio (±20 % seen on a shared 2-core machine). Here the three run in
  // turn, one pass each, for 25 rounds; other work only ever adds time, so the fastest pass of
  // each is the nearest to a quiet machine. The tables remain the figures.
  const hwX = handWritten(1);
  const colX = fresh(rules1);
  const objX = createEvaluator({ rules: rules1 });
  const fastest = { hw: Infinity, col: Infinity, obj: Infinity };
  const wall = (work: () => void) => {
    shiftTo(++iteration);
    const t0 = performance.now();
    work();
    return performance.now() - t0;
  };
  for (let round = 0; round < 28; round++) {
    const h = wall(() => {
      for (const s of scrapes) hwX.scrape(s.handles, s.times, s.values);
    });
    const c = wall(() => void columnar(colX));
    const o = wall(() => void objectApi(objX));
    if (round < 3) continue; // warm-up
    fastest.hw = Math.min(fastest.hw, h);
    fastest.col = Math.min(fastest.col, c);
    fastest.obj = Math.min(fastest.obj, o);
  }
  console.log(
    `interleaved cross-check (fastest of 25 passes each): hand-written ${((fastest.hw * 1e6) / SAMPLES).toFixed(1)} ns, columnar ${(fastest.col / fastest.hw).toFixed(2)}×, object ${(fastest.obj / fastest.hw).toFixed(2)}×`,
  );
}
