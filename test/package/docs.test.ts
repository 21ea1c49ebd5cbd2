import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const src = new URL('../../src/', import.meta.url);
const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
  (f) => f.endsWith('.ts') && !f.includes('_lib/'),
);

describe('documentation of the public API', () => {
  it('gives every exported function a JSDoc summary with an @example', () => {
    const missing: string[] = [];
    for (const file of files) {
      const source = readFileSync(new URL(file, src), 'utf8');
      for (const m of source.matchAll(/^export (?:async )?function (\w+)/gm)) {
        const before = source.slice(0, m.index);
        const doc = before.match(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:\/\/[^\n]*\n\s*)*$/);
        if (!doc?.[1]?.includes('@example')) missing.push(`${file}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('marks every entry point with @module', () => {
    for (const file of files.filter((f) => f === 'index.ts' || /^[a-z]+\/index\.ts$/.test(f))) {
      expect(readFileSync(new URL(file, src), 'utf8'), file).toMatch(/@module/);
    }
  });
});
