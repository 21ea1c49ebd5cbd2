import { Bench, type Task } from 'tinybench';

/** One measured way of doing the work, with how many operations one iteration performs. */
export interface Contender {
  readonly name: string;
  /** Operations (commands, samples, decisions…) done by one call of `run`. */
  readonly opsPerRun: number;
  readonly run: () => void;
  /** Prepares state before each iteration, outside the timing. */
  readonly beforeEach?: () => void;
}

/** A measured contender: operations per second and nanoseconds per operation. */
export interface Measured {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly nsPerOp: number;
}

/**
 * Runs the contenders in one tinybench run and prints throughput and the ratio of each to the
 * baseline (the first contender, the simple limit), so figures compare within one machine state.
 */
export async function compare(
  title: string,
  contenders: readonly Contender[],
  options: { time?: number; iterations?: number } = {},
): Promise<Measured[]> {
  const bench = new Bench({
    time: options.time ?? 1000,
    iterations: options.iterations ?? 5,
    warmup: true,
  });
  for (const c of contenders) {
    bench.add(c.name, c.run, c.beforeEach ? { beforeEach: c.beforeEach } : {});
  }
  await bench.run();
  const measured = contenders.map((c, i) => {
    const task = bench.tasks[i] as Task;
    const meanMs = task.result && 'latency' in task.result ? task.result.latency.mean : Number.NaN;
    const nsPerOp = (meanMs * 1e6) / c.opsPerRun;
    return { name: c.name, opsPerSecond: 1e9 / nsPerOp, nsPerOp };
  });
  printTable(title, measured);
  return measured;
}

/** Prints measured contenders with their ratio to the first one. */
export function printTable(title: string, measured: readonly Measured[]): void {
  const base = measured[0];
  console.log(`\n## ${title}`);
  console.log('| contender | ops/s | ns/op | × baseline |');
  console.log('|---|---:|---:|---:|');
  for (const m of measured) {
    const ratio = base ? m.nsPerOp / base.nsPerOp : Number.NaN;
    console.log(
      `| ${m.name} | ${fmt(m.opsPerSecond)} | ${m.nsPerOp.toFixed(1)} | ${ratio.toFixed(2)} |`,
    );
  }
}

/** Formats a large number with thousands separators. */
export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Peak resident memory growth while `work` runs, sampled every few milliseconds, in MiB. */
export async function peakMemory<T>(
  work: () => T | Promise<T>,
): Promise<{ result: T; peakMiB: number }> {
  globalThis.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMiB: (peak - start) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}
