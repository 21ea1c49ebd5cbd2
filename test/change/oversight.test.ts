import {
  approvalEscalations,
  ChangeIdSchema,
  changeFigures,
  contentFingerprint,
  emergencyFindings,
} from 'opscharter/change';
import { IncidentIdSchema } from 'opscharter/incident';
import { describe, expect, it } from 'vitest';
import { changeEntity, staff, start, testPolicy } from './fixtures.js';

const policy = testPolicy();
const HOUR = 3_600_000;

describe('approvalEscalations (3.3.3)', () => {
  it('flags the open stage after the timeout, counting from the last completed stage', () => {
    let c = changeEntity('high');
    expect(approvalEscalations(c, policy, new Date(Date.parse(start) + 23 * HOUR))).toEqual([]);
    const due = approvalEscalations(c, policy, new Date(Date.parse(start) + 25 * HOUR));
    expect(due[0]).toMatchObject({ stage: 'ops', escalateTo: ['it_head'] });
    expect(due[0]?.violation.clause).toBe('3.3.3');
    const later = new Date(Date.parse(start) + 20 * HOUR).toISOString();
    c = {
      ...c,
      approvals: [
        {
          stage: 'ops',
          ruleId: 'authority.high',
          decision: 'approved',
          by: { id: staff.opsManager.id, name: 'x' },
          at: later,
          fingerprint: contentFingerprint(c),
        },
      ],
    };
    expect(approvalEscalations(c, policy, new Date(Date.parse(start) + 30 * HOUR))).toEqual([]);
    expect(
      approvalEscalations(c, policy, new Date(Date.parse(start) + 45 * HOUR))[0],
    ).toMatchObject({
      stage: 'it_head',
      escalateTo: ['cio'],
      waitingSince: later,
    });
  });

  it('escalates the last stage to executives, or as the stage says', () => {
    const p = testPolicy({
      authority: {
        approvalTimeoutHours: 2,
        rules: [
          {
            id: 'one',
            match: {},
            stages: [
              {
                id: 'ops',
                title: { zh: '运维', en: 'Ops' },
                roles: ['ops_manager'],
                order: 1,
                escalateTo: ['it_head'],
              },
              { id: 'cio', title: { zh: 'CIO', en: 'CIO' }, roles: ['cio'], order: 2 },
            ],
          },
        ],
      },
    });
    expect(
      approvalEscalations(changeEntity('low'), p, new Date(Date.parse(start) + 3 * HOUR))[0]
        ?.escalateTo,
    ).toEqual(['it_head']);
    expect(
      approvalEscalations(
        changeEntity('low', { state: 'evaluated' }),
        p,
        new Date(Date.parse(start) + 3 * HOUR),
      ),
    ).toEqual([]);
  });
});

describe('emergencyFindings (3.3.3)', () => {
  it('finds emergencies without full approval after the deadline, not before', () => {
    const c = changeEntity('medium', {
      type: 'emergency',
      state: 'implemented',
      retrospectiveDueAt: new Date(Date.parse(start) + 24 * HOUR).toISOString(),
    });
    expect(emergencyFindings([c], policy, new Date(Date.parse(start) + 23 * HOUR))).toEqual([]);
    const found = emergencyFindings(
      [c, changeEntity('low')],
      policy,
      new Date(Date.parse(start) + 25 * HOUR),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      ruleId: 'change.emergency.retrospective',
      details: { change: 'CHG-X', missing: ['ops'] },
    });
  });
});

describe('changeFigures: the regulator figures', () => {
  const at = (iso: string, extra: object = {}) => {
    const c = changeEntity('low');
    return {
      ...c,
      id: ChangeIdSchema.parse(iso),
      plan: {
        ...c.plan,
        windowStart: iso,
        windowEnd: new Date(Date.parse(iso) + HOUR).toISOString(),
      },
      ...extra,
    };
  };
  const impl = (outcome: 'succeeded' | 'rolled_back') => ({
    startedAt: '2026-02-10T01:00:00.000Z',
    by: { id: 'x', name: 'x' },
    backupConfirmed: true as const,
    backupReference: 'b',
    log: [],
    outcome,
  });
  const changes = [
    at('2026-01-05T10:00:00+08:00', { type: 'emergency' }),
    at('2026-01-06T10:00:00+08:00', {
      implementation: { ...impl('succeeded'), startedAt: '2026-01-06T02:00:00.000Z' },
    }),
    at('2026-02-01T00:30:00+08:00', {
      implementation: { ...impl('rolled_back'), startedAt: '2026-01-31T16:30:00.000Z' },
      linkedIncidentIds: [IncidentIdSchema.parse('INC-1')],
    }),
    at('2026-02-03T10:00:00+08:00', { state: 'rejected' }),
    at('2026-04-03T10:00:00+08:00', { type: 'emergency' }),
  ];

  it('counts per month in Shanghai time: emergency share, success rate, incidents caused', () => {
    const figs = changeFigures(changes, {
      from: '2026-01-01T00:00:00+08:00',
      to: '2026-03-01T00:00:00+08:00',
      period: 'month',
    });
    expect(
      figs.map((f) => [
        f.period,
        f.total,
        f.emergency,
        f.implemented,
        f.successRate,
        f.causedIncidents,
      ]),
    ).toEqual([
      ['2026-01', 2, 1, 1, 1, 0],
      ['2026-02', 1, 0, 1, 0, 1],
    ]);
    expect(figs[0]?.emergencyShare).toBe(0.5);
  });

  it('counts per quarter and per year, with null rates when nothing happened', () => {
    const q = changeFigures(changes, {
      from: '2026-01-01T00:00:00+08:00',
      to: '2026-07-01T00:00:00+08:00',
      period: 'quarter',
    });
    expect(q.map((f) => [f.period, f.total, f.emergency])).toEqual([
      ['2026-Q1', 3, 1],
      ['2026-Q2', 1, 1],
    ]);
    expect(q[1]?.successRate).toBeNull();
    const y = changeFigures([], {
      from: '2026-01-01T00:00:00+08:00',
      to: '2027-01-01T00:00:00+08:00',
      period: 'year',
      timeZone: 'Asia/Shanghai',
    });
    expect(y).toEqual([
      expect.objectContaining({
        period: '2026',
        total: 0,
        emergencyShare: null,
        successRate: null,
      }),
    ]);
  });
});
