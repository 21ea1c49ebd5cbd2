import {
  definePolicy,
  matrix3x3,
  matrix5x5,
  PriorityMatrixSchema,
  priorities,
  priorityOf,
} from 'opscharter';
import { describe, expect, it } from 'vitest';

describe('priority matrix (3.1.2)', () => {
  it('gives P1 to P5 from the 3×3 preset', () => {
    const grid = matrix3x3.impact.map((i) =>
      matrix3x3.urgency.map((u) => priorityOf(matrix3x3, i, u)),
    );
    expect(grid).toEqual([
      ['P1', 'P2', 'P3'],
      ['P2', 'P3', 'P4'],
      ['P3', 'P4', 'P5'],
    ]);
  });

  it('is monotone in both axes in both presets and uses every priority', () => {
    for (const m of [matrix3x3, matrix5x5]) {
      const rank = (i: number, u: number) =>
        priorities.indexOf(priorityOf(m, m.impact[i]!, m.urgency[u]!)!);
      const used = new Set<string>();
      for (let i = 0; i < m.impact.length; i++) {
        for (let u = 0; u < m.urgency.length; u++) {
          used.add(priorities[rank(i, u)]!);
          if (i > 0) expect(rank(i, u)).toBeGreaterThanOrEqual(rank(i - 1, u));
          if (u > 0) expect(rank(i, u)).toBeGreaterThanOrEqual(rank(i, u - 1));
        }
      }
      expect([...used].sort()).toEqual([...priorities]);
    }
  });

  it('says undefined for a level the matrix lacks, and overrides for a major incident', () => {
    expect(priorityOf(matrix3x3, 'huge', 'high')).toBeUndefined();
    expect(priorityOf(matrix3x3, 'high', 'soon')).toBeUndefined();
    expect(priorityOf(matrix3x3, 'low', 'low', { major: true })).toBe('P1');
    expect(
      priorityOf(matrix5x5, 'negligible', 'planning', { major: true, majorPriority: 'P2' }),
    ).toBe('P2');
  });

  it('validates a consumer table on load, naming what is wrong', () => {
    const bad = PriorityMatrixSchema.safeParse({
      impact: ['a', 'a'],
      urgency: ['x', 'y'],
      table: [['P1', 'P2'], ['P3']],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['impact', 'table.1']);
    expect(() =>
      definePolicy({
        incident: { matrix: { impact: ['a'], urgency: ['x'], table: [['P9' as 'P1']] } },
      }),
    ).toThrow(/incident\.matrix/);
    expect(() =>
      definePolicy({
        incident: { matrix: { impact: ['a', 'b'], urgency: ['x'], table: [['P1']] } },
      }),
    ).toThrow(/one row per impact level/);
  });
});
