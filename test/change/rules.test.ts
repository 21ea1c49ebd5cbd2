import { allRules, charterCoverage, toMermaid } from 'opscharter';
import { changeRules, changeWorkflow } from 'opscharter/change';
import { describe, expect, it } from 'vitest';

describe('change rules and clause coverage', () => {
  it('names a 3.3 clause for every rule, with unique ids and bilingual titles', () => {
    const ids = changeRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of changeRules) {
      expect(r.clauses[0]).toMatch(/^3\.3\.[1-6]$/);
      expect(r.title.zh.length).toBeGreaterThan(0);
      expect(r.title.en.length).toBeGreaterThan(0);
    }
  });

  it('enforces every clause of 3.3 and is part of allRules', () => {
    for (const r of changeRules) expect(allRules).toContain(r);
    const covered = charterCoverage().clauses.filter((c) => c.clause.startsWith('3.3.'));
    expect(covered.map((c) => c.clause)).toEqual([
      '3.3.1',
      '3.3.2',
      '3.3.3',
      '3.3.4',
      '3.3.5',
      '3.3.6',
    ]);
    for (const c of covered) expect(c.rules.length).toBeGreaterThan(0);
  });

  it('draws the lifecycle', () => {
    const chart = toMermaid(changeWorkflow);
    expect(chart).toContain('[*] --> submitted');
    expect(chart).toContain('awaiting_approval --> approved: approve');
    expect(chart).toContain('submitted --> approved: emergency_approve');
  });
});
