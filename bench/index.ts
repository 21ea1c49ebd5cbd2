// Runs every benchmark suite (`bench/*.bench.ts`), or those whose name contains an argument:
// `npm run bench`, `npm run bench -- incident`. Each suite runs in a fresh process, so that one
// suite's heap and JIT state do not tilt the next one's figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const suite = process.env.OPSCHARTER_BENCH_SUITE;

if (suite) {
  const mod = (await import(new URL(suite, import.meta.url).href)) as {
    default: () => Promise<void>;
  };
  await mod.default();
} else {
  const filters = process.argv.slice(2);
  const suites = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  console.log(`# opscharter benchmarks, node ${process.version}, ${new Date().toISOString()}`);
  let failed = 0;
  for (const file of suites) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url)],
      {
        stdio: 'inherit',
        env: { ...process.env, OPSCHARTER_BENCH_SUITE: file },
      },
    );
    if (child.status !== 0) failed++;
  }
  process.exit(failed === 0 ? 0 : 1);
}
