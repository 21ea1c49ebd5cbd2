// @ts-check
import { readFileSync } from 'node:fs';

// The entry points come from package.json `exports`, like the tsup entries.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const entryPoints = Object.values(pkg.exports).flatMap((target) =>
  typeof target === 'object' && target['opscharter-source'] ? [target['opscharter-source']] : [],
);

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints,
  out: 'docs/api',
  name: 'opscharter',
  tsconfig: 'tsconfig.src.json',
  readme: 'README.md',
  excludePrivate: true,
  // The repository has no public remote to link sources to.
  disableSources: true,
};
