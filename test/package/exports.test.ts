import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
  peerDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

type Entry = {
  'opscharter-source': string;
  import: { types: string; default: string };
  require: { types: string; default: string };
};

const entries = Object.entries(pkg.exports).filter(([k]) => k !== './package.json') as [
  string,
  Entry,
][];

describe('package shape', () => {
  it('has an entry per module folder, each with a source file', () => {
    const modules = readdirSync(new URL('src/', root), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `./${d.name}`);
    expect(entries.map(([k]) => k).sort()).toEqual(['.', ...modules].sort());
    for (const [, target] of entries) {
      expect(existsSync(new URL(target['opscharter-source'], root))).toBe(true);
    }
  });

  it('puts types first in each condition and keeps ESM and CJS paths in step', () => {
    for (const [key, target] of entries) {
      const base = key === '.' ? 'index' : `${key.slice(2)}/index`;
      expect(Object.keys(target)).toEqual(['opscharter-source', 'import', 'require']);
      expect(Object.keys(target.import)[0]).toBe('types');
      expect(Object.keys(target.require)[0]).toBe('types');
      expect(target.import).toEqual({ types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` });
      expect(target.require).toEqual({
        types: `./dist/${base}.d.cts`,
        default: `./dist/${base}.cjs`,
      });
      if (key !== '.')
        expect(pkg.typesVersions['*']?.[key.slice(2)]).toEqual([`./dist/${base}.d.ts`]);
    }
  });

  it('derives the build and the API reference entries from the exports', () => {
    const tsup = readFileSync(new URL('tsup.config.ts', root), 'utf8');
    const typedoc = readFileSync(new URL('typedoc.config.mjs', root), 'utf8');
    expect(tsup).toMatch(/pkg\.exports/);
    expect(typedoc).toMatch(/pkg\.exports/);
  });

  it('pins every version exactly and keeps zod a peer', () => {
    for (const deps of [pkg.dependencies, pkg.devDependencies]) {
      for (const [name, version] of Object.entries(deps)) {
        expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
      }
    }
    expect(pkg.peerDependencies.zod).toBeDefined();
    expect(pkg.dependencies.zod).toBeUndefined();
  });

  it('imports nothing from node: in src', () => {
    const files = readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts'),
    );
    for (const file of files) {
      const source = readFileSync(new URL(`src/${file}`, root), 'utf8');
      expect(source, file).not.toMatch(/from ['"]node:|require\(['"]node:/);
    }
  });
});
