// Bundles the built ESM entry for a browser and checks two promises of the package:
// no `node:` import reaches the bundle, and the main entry stays within its gzip size budget.
// The budget counts our code and our dependencies, not the peer dependency zod: a portal that
// uses opscharter brings its own zod and shares it. The size with zod is printed as well.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const budget = JSON.parse(readFileSync(new URL('../size-budget.json', import.meta.url), 'utf8'));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const peers = Object.keys(pkg.peerDependencies ?? {});
const nodeImports = [];
const bundle = (external) =>
  build({
    entryPoints: ['dist/index.js'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    external,
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
const result = await bundle(peers);
const withPeers = await bundle([]);
if (nodeImports.length > 0) {
  console.error(`browser bundle: Node built-ins imported:\n  ${nodeImports.join('\n  ')}`);
  process.exit(1);
}
const code = result.outputFiles[0].contents;
const gzip = gzipSync(code).length;
const gzipWithPeers = gzipSync(withPeers.outputFiles[0].contents).length;
const line = `browser bundle of dist/index.js without ${peers.join(', ')}: ${code.length} B minified, ${gzip} B gzip (budget ${budget.mainEntryGzipBytes} B); with them ${gzipWithPeers} B gzip`;
if (gzip > budget.mainEntryGzipBytes) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(line);
