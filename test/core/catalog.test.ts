import { existsSync, readFileSync } from 'node:fs';
import {
  charterCoverage,
  clauseCoverage,
  clauseIds,
  clauseTitle,
  isClauseId,
  text,
} from 'opscharter';
import { defineRule } from 'opscharter/core';
import { describe, expect, it } from 'vitest';

// The team's charter lives outside the repository (../shared); docs/charter.md is the copy the
// package ships and the tests read. Where the original is at hand, the copy must equal it.
const shared = new URL('../../../shared/charter.md', import.meta.url);

describe('clause catalog', () => {
  it.skipIf(!existsSync(shared))('docs/charter.md is the team charter, unchanged', () => {
    const copy = readFileSync(new URL('../../docs/charter.md', import.meta.url), 'utf8');
    expect(copy).toBe(readFileSync(shared, 'utf8'));
  });

  it('holds exactly the clauses of the charter, in order', () => {
    const charter = readFileSync(new URL('../../docs/charter.md', import.meta.url), 'utf8');
    const listed: string[] = [];
    for (const m of charter.matchAll(/^- (\d\.\d(?:\.\d)?)(?:[–-](\d\.\d\.\d))? /gm)) {
      const [, first, last] = m;
      if (!first) continue;
      if (!last) {
        listed.push(first);
        continue;
      }
      const prefix = first.slice(0, first.lastIndexOf('.') + 1);
      for (let i = Number(first.split('.').pop()); i <= Number(last.split('.').pop()); i++)
        listed.push(`${prefix}${i}`);
    }
    // 1.1 to 1.3 are headed "- 1.1 目的 Purpose" too; 4.2.x and 5.x are plain items.
    expect(listed).toEqual([...clauseIds]);
  });

  it('titles every clause in both languages', () => {
    for (const id of clauseIds) {
      expect(clauseTitle(id).zh.length).toBeGreaterThan(0);
      expect(clauseTitle(id).en.length).toBeGreaterThan(0);
    }
    expect(isClauseId('3.3.4')).toBe(true);
    expect(isClauseId('3.3')).toBe(false);
  });

  it('reports which rules enforce each clause and which clauses nothing enforces', () => {
    const a = defineRule({
      id: 'x.a',
      clauses: ['3.3.4', '3.3.5'],
      severity: 'low',
      title: text('甲', 'A'),
    });
    const b = defineRule({
      id: 'x.b',
      clauses: ['3.3.4'],
      severity: 'low',
      title: text('乙', 'B'),
    });
    const coverage = clauseCoverage([a, b, a]);
    expect(coverage.clauses.find((c) => c.clause === '3.3.4')?.rules).toEqual(['x.a', 'x.b']);
    expect(coverage.unenforced).not.toContain('3.3.5');
    expect(coverage.unenforced).toContain('1.1');
    expect(coverage.clauses).toHaveLength(clauseIds.length);
    const whole = charterCoverage();
    expect(whole.clauses.length + 0).toBe(clauseIds.length);
  });
});
