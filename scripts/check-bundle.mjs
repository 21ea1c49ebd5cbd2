// Bundles the built ESM entry for a browser and checks two promises of the package:
// no `node:` import reaches the bundle, and the main entry stays within its gzip size budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const budget = JSON.parse(readFileSync(new URL('../size-budget.json', import.meta.url), 'utf8'));
const nodeImports = [];
const result = await build({
  entryPoints: ['dist/index.js'],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  minify: true,
  write: false,
  metafile: true,
  logLevel: 'silent',
  plugins: [
    {
      name: 'no-node-builtins',
      setup(b) {
        b.onResolve(
          { filter: /^node:|^(fs|path|crypto|os|stream|util|zlib|child_process)$/ },
          (args) => {
            nodeImports.push(`${args.path} (from ${args.importer})`);
            return { path: args.path, external: true };
          },
        );
      },
    },
  ],
});
if (nodeImports.length > 0) {
  console.error(`browser bundle: Node built-ins imported:\n  ${nodeImports.join('\n  ')}`);
  process.exit(1);
}
const code = result.outputFiles[0].contents;
const gzip = gzipSync(code).length;
const line = `browser bundle of dist/index.js: ${code.length} B minified, ${gzip} B gzip (budget ${budget.mainEntryGzipBytes} B)`;
if (gzip > budget.mainEntryGzipBytes) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(line);
