// Bundles built ESM entries for a browser and checks two promises of the package: no `node:`
// import reaches a bundle, and each entry stays within its gzip size budget (size-budget.json).
// Budgets count our code and our dependencies, not the peer dependency zod: a portal that uses
// opscharter brings its own zod and shares it. The size with zod is printed as well.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const budget = JSON.parse(readFileSync(new URL('../size-budget.json', import.meta.url), 'utf8'));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const peers = Object.keys(pkg.peerDependencies ?? {});
const builtins = /^node:|^(fs|path|crypto|os|stream|util|zlib|child_process|module|url)$/;

async function bundle(entry, external) {
  const nodeImports = [];
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
    external,
    plugins: [
      {
        name: 'no-node-builtins',
        setup(b) {
          b.onResolve({ filter: builtins }, (args) => {
            nodeImports.push(`${args.path} (from ${args.importer})`);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0].contents;
  return { nodeImports, bytes: code.length, gzip: gzipSync(code).length };
}

let failed = false;
for (const [entry, limit] of Object.entries(budget.gzipBytes)) {
  const file = `dist/${entry}.js`;
  const own = await bundle(file, peers);
  const whole = await bundle(file, []);
  if (own.nodeImports.length > 0) {
    console.error(`${file}: Node built-ins imported:\n  ${own.nodeImports.join('\n  ')}`);
    failed = true;
  }
  const over = own.gzip > limit;
  failed ||= over;
  console.log(
    `${over ? 'OVER ' : ''}${file}: ${own.bytes} B minified, ${own.gzip} B gzip without ${peers.join(', ')} (budget ${limit} B); ${whole.gzip} B gzip with it`,
  );
}
process.exit(failed ? 1 : 0);
