import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The entries come from package.json `exports`, so the build and the exports cannot drift apart.
const pkg = JSON.parse(readFileSync('./package.json', 'utf8')) as {
  exports: Record<string, string | { 'opscharter-source'?: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const entry = Object.fromEntries(
  Object.values(pkg.exports)
    .flatMap((target) =>
      typeof target === 'object' && target['opscharter-source']
        ? [target['opscharter-source']]
        : [],
    )
    .map((src) => [src.replace(/^\.\/src\//, '').replace(/\.ts$/, ''), src]),
);

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
  sourcemap: false,
  // What the consumer installs stays outside the bundle: the runtime and peer dependencies.
  external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})],
});
