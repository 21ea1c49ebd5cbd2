// Runs every benchmark suite (`bench/*.bench.ts`), or those whose name contains an argument:
// `npm run bench`, `npm run bench -- incident`.
import { readdirSync } from 'node:fs';

const filters = process.argv.slice(2);
const suites = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

console.log(`# opscharter benchmarks, node ${process.version}, ${new Date().toISOString()}`);
for (const file of suites) {
  const suite = (await import(new URL(file, import.meta.url).href)) as {
    default: () => Promise<void>;
  };
  await suite.default();
}
