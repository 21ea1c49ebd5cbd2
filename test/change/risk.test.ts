import { assessRisk, needsRiskMeasures } from 'opscharter/change';
import { describe, expect, it } from 'vitest';
import { answers, testPolicy } from './fixtures.js';

const risk = testPolicy().change.risk;

describe('assessRisk (3.3.2)', () => {
  it('computes each level from the answers, not from what someone typed', () => {
    for (const level of ['low', 'medium', 'high', 'critical'] as const) {
      const r = assessRisk(answers[level], risk);
      expect(r.ok && r.value.level).toBe(level);
    }
  });

  it('lists the answers that drove the result, heaviest first', () => {
    const r = assessRisk(answers.critical, risk);
    if (!r.ok) throw new Error('expected ok');
    expect(r.value.score).toBe(19);
    expect(r.value.drivers.map((d) => d.question)).toEqual([
      'impact_breadth',
      'business_criticality',
      'complexity',
      'rollback',
    ]);
    expect(r.value.drivers[0]?.title.zh).toContain('影响范围');
  });

  it('lets one answer force a floor: an untested change is at least high', () => {
    const r = assessRisk(answers.high, risk);
    if (!r.ok) throw new Error('expected ok');
    expect(r.value.score).toBeLessThan(11);
    expect(r.value.level).toBe('high');
    expect(r.value.drivers.find((d) => d.question === 'tested')?.minLevel).toBe('high');
  });

  it('names every missing, unknown or invalid answer as a field', () => {
    const r = assessRisk(
      { ...answers.low, tested: 'maybe', colour: 'red', timing: undefined as never },
      risk,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues.map((i) => i.path).sort()).toEqual([
      'answers.colour',
      'answers.tested',
      'answers.timing',
    ]);
  });

  it('follows a configured questionnaire', () => {
    const custom = testPolicy({
      risk: {
        questions: [
          {
            id: 'users',
            title: { zh: '用户数', en: 'Users' },
            options: [
              { value: 'few', title: { zh: '少', en: 'Few' }, score: 0 },
              { value: 'all', title: { zh: '全部', en: 'All' }, score: 10 },
            ],
          },
        ],
        thresholds: { medium: 5, high: 10, critical: 20 },
      },
    }).change.risk;
    const r = assessRisk({ users: 'all' }, custom);
    expect(r.ok && r.value.level).toBe('high');
    expect(() =>
      testPolicy({ risk: { thresholds: { medium: 9, high: 5, critical: 20 } } }),
    ).toThrow(/thresholds/);
  });

  it('asks risk-response measures of high and critical changes only', () => {
    expect(['low', 'medium', 'high', 'critical'].map((l) => needsRiskMeasures(l as never))).toEqual(
      [false, false, true, true],
    );
  });
});
