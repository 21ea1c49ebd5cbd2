import {
  type ApprovalRecord,
  type ChangeEnv,
  canApprove,
  contentFingerprint,
  dutiesMayCoincide,
  requiredApprovals,
} from 'opscharter/change';
import { formatViolations } from 'opscharter/core';
import { describe, expect, it } from 'vitest';
import { approvePure, changeEntity, staff, start, testPolicy } from './fixtures.js';

const at = new Date(start);
const policy = testPolicy();

function approval(
  change: ReturnType<typeof changeEntity>,
  stage: string,
  by: { id: string; name: string },
  ruleId = `authority.${change.evaluation!.risk.level}`,
): ApprovalRecord {
  return {
    stage,
    ruleId,
    decision: 'approved',
    by: { id: by.id, name: by.name },
    at: at.toISOString(),
    fingerprint: contentFingerprint(change),
  };
}

describe('requiredApprovals (3.3.3)', () => {
  it('maps each risk level to the default stages of common practice', () => {
    const stages = (level: 'low' | 'medium' | 'high' | 'critical') =>
      requiredApprovals(changeEntity(level), policy).stages.map((s) => s.id);
    expect(stages('low')).toEqual(['ops']);
    expect(stages('medium')).toEqual(['ops', 'it_head']);
    expect(stages('high')).toEqual(['ops', 'it_head', 'leadership']);
    expect(stages('critical')).toEqual(['ops', 'it_head', 'leadership', 'cab', 'executive']);
  });

  it('explains itself: rule, open stages, inputs, and what is missing', () => {
    const req = requiredApprovals(changeEntity('medium'), policy);
    expect(req.ruleId).toBe('authority.medium');
    expect(req.openStages).toEqual(['ops']);
    expect(req.complete).toBe(false);
    expect(req.inputs).toMatchObject({ type: 'normal', risk: 'medium', domains: ['claims'] });
    expect(req.violations[0]).toMatchObject({
      ruleId: 'change.approval.incomplete',
      clause: '3.3.3',
    });
  });

  it('runs stages in order and parallel stages together', () => {
    let c = changeEntity('critical');
    c = {
      ...c,
      approvals: [
        approval(c, 'ops', staff.opsManager),
        approval(c, 'it_head', staff.itHead),
        approval(c, 'leadership', staff.cio),
      ],
    };
    const req = requiredApprovals(c, policy);
    expect(req.openStages).toEqual(['cab', 'executive']);
    expect(req.stages.find((s) => s.id === 'cab')?.needed).toBe(2);
  });

  it('counts one person once, and ignores approvals of other content or invalidated ones', () => {
    let c = changeEntity('low');
    const twice = [approval(c, 'ops', staff.opsManager), approval(c, 'ops', staff.opsManager)];
    c = { ...c, approvals: twice };
    expect(requiredApprovals(c, policy).stages[0]?.approvals).toHaveLength(1);
    const stale = { ...approval(c, 'ops', staff.opsManager), fingerprint: 'other' };
    expect(requiredApprovals({ ...c, approvals: [stale] }, policy).complete).toBe(false);
    const voided = {
      ...approval(c, 'ops', staff.opsManager),
      invalidated: { at: start, reason: { zh: 'x', en: 'x' }, fields: ['plan'] },
    };
    expect(requiredApprovals({ ...c, approvals: [voided] }, policy).complete).toBe(false);
  });

  it('needs an evaluation first, and a rule that covers the change', () => {
    expect(requiredApprovals(changeEntity(undefined), policy).violations[0]?.ruleId).toBe(
      'change.evaluate.required',
    );
    const narrow = testPolicy({
      authority: {
        rules: [
          {
            id: 'only-low',
            match: { risk: ['low'] },
            stages: [
              { id: 'ops', title: { zh: '运维', en: 'Ops' }, roles: ['ops_manager'], order: 1 },
            ],
          },
        ],
      },
    });
    expect(requiredApprovals(changeEntity('high'), narrow).violations[0]?.ruleId).toBe(
      'change.approve.no_rule',
    );
  });

  it('prefers a rule for the business domain over the general one', () => {
    const p = testPolicy({
      authority: {
        rules: [
          {
            id: 'claims-medium',
            match: { risk: ['medium'], domains: ['claims'] },
            stages: [
              { id: 'ops', title: { zh: '运维', en: 'Ops' }, roles: ['ops_manager'], order: 1 },
              { id: 'cio', title: { zh: 'CIO', en: 'CIO' }, roles: ['cio'], order: 2 },
            ],
          },
          {
            id: 'general',
            match: {},
            stages: [
              { id: 'ops', title: { zh: '运维', en: 'Ops' }, roles: ['ops_manager'], order: 1 },
            ],
          },
        ],
      },
    });
    expect(requiredApprovals(changeEntity('medium'), p).ruleId).toBe('claims-medium');
    const finance = changeEntity('medium');
    const other = { ...finance, scope: { ...finance.scope, domains: ['finance'] } };
    expect(requiredApprovals(other, p).ruleId).toBe('general');
  });
});

describe('canApprove (3.3.3)', () => {
  it('allows the holder of the open stage and names the stage and rule', () => {
    const d = canApprove(staff.opsManager, changeEntity('medium'), policy, at);
    expect(d).toMatchObject({ allowed: true, stage: 'ops', ruleId: 'authority.medium' });
    expect(d.explanation).toBeUndefined();
    const explained = canApprove(staff.opsManager, changeEntity('medium'), policy, at, {
      explain: 'always',
    });
    expect(explained.explanation?.matchedRules).toEqual(['authority.medium']);
    expect(explained.explanation?.inputs.openStages).toEqual(['ops']);
  });

  it('explains each no with its own inputs, however many come in a row', () => {
    const c = changeEntity('medium');
    const later = new Date(at.getTime() + 60_000);
    const first = canApprove(staff.itHead, c, policy, at);
    const second = canApprove(staff.itHead, c, policy, later);
    const third = canApprove(staff.verifier, c, policy, later, { stage: 'it_head' });
    expect(first.explanation?.inputs.at).toBe(at.toISOString());
    expect(second.explanation?.inputs.at).toBe(later.toISOString());
    expect(third.explanation?.inputs.actor.id).toBe(staff.verifier.id);
    expect(third.explanation?.inputs.openStages).toEqual(['ops']);
    expect(first.explanation).toBe(first.explanation);
    // The instant is taken when asked: a Date edited afterwards changes no explanation.
    const clock = new Date(at);
    const fourth = canApprove(staff.itHead, c, policy, clock);
    clock.setTime(later.getTime());
    expect(fourth.explanation?.inputs.at).toBe(at.toISOString());
    // A lazy no spreads and serialises as the answer it is, without its inputs.
    expect({ ...first }).toEqual({ allowed: false, reason: 'no_authority' });
    expect(JSON.parse(JSON.stringify(second))).toEqual({
      allowed: false,
      reason: 'no_authority',
      explanation: JSON.parse(JSON.stringify(second.explanation)),
    });
  });

  it('reads status and level on every call; who an actor object is, once', () => {
    const c = changeEntity('medium');
    const actor = { ...staff.opsManager };
    expect(canApprove(actor, c, policy, at).allowed).toBe(true);
    Object.assign(actor, { status: 'left' });
    expect(canApprove(actor, c, policy, at).reason).toBe('inactive');
    Object.assign(actor, { status: 'active', level: 'staff' });
    expect(canApprove(actor, c, policy, at).reason).toBe('no_authority');
    // The directory row is resolved once per actor object (documented): a new id needs a new object.
    const renamed = { ...actor, id: staff.requester.id, level: 'manager' as const };
    expect(canApprove(renamed, c, policy, at).reason).toBe('self');
  });

  it('denies the next stage before the first is complete (order)', () => {
    const d = canApprove(staff.itHead, changeEntity('medium'), policy, at);
    expect(d.allowed).toBe(false);
    expect(d.reason).toBe('no_authority');
    expect(d.explanation?.failed.map((f) => f.constraint)).toContain('stage.ops.role');
  });

  it('denies the requester, always, with a bilingual reason', () => {
    const c = changeEntity('low', {
      requester: { id: staff.opsManager.id, name: staff.opsManager.name },
    });
    const d = canApprove(staff.opsManager, c, policy, at);
    expect(d).toMatchObject({ allowed: false, reason: 'self' });
    expect(formatViolations(d.explanation!.violations, 'zh')).toContain('申请人不得审批自己的变更');
    expect(formatViolations(d.explanation!.violations, 'en')).toContain(
      'may not approve their own change',
    );
  });

  it('denies an approver who has left or is disabled', () => {
    const d = canApprove(staff.leaver, changeEntity('low'), policy, at);
    expect(d.reason).toBe('inactive');
    const disabled = canApprove(
      { ...staff.opsManager, status: 'disabled' },
      changeEntity('low'),
      policy,
      at,
    );
    expect(disabled.explanation?.violations[0]?.ruleId).toBe('change.approve.inactive');
  });

  it('denies an approver outside the domain of the change', () => {
    let c = changeEntity('medium');
    c = { ...c, approvals: [approval(c, 'ops', staff.opsManager)] };
    const d = canApprove(staff.financeItHead, c, policy, at);
    expect(d.reason).toBe('scope');
    expect(d.explanation?.violations[0]?.ruleId).toBe('change.approve.scope');
    const finance = { ...c, scope: { ...c.scope, domains: ['finance'] } };
    const fa = { ...finance, approvals: [approval(finance, 'ops', staff.opsManager)] };
    expect(canApprove(staff.financeItHead, fa, policy, at).allowed).toBe(true);
  });

  it('denies separation-of-duty conflicts unless the policy relaxes the pair', () => {
    const c = changeEntity('low', {
      preReview: { by: { id: staff.opsManager.id, name: 'x' }, at: start, outcome: 'accepted' },
    });
    expect(canApprove(staff.opsManager, c, policy, at).reason).toBe('separation');
    const relaxed = testPolicy({ separation: { relax: [['pre_reviewer', 'approver']] } });
    expect(canApprove(staff.opsManager, c, relaxed, at).allowed).toBe(true);
    const implementer = changeEntity('low', {
      plan: { ...changeEntity('low').plan, implementer: { id: staff.opsManager.id, name: 'x' } },
    });
    expect(canApprove(staff.opsManager, implementer, policy, at).reason).toBe('separation');
    expect(dutiesMayCoincide(relaxed, 'pre_reviewer', 'approver')).toBe(true);
  });

  it('never lets the policy relax requester-approves-own', () => {
    expect(() => testPolicy({ separation: { relax: [['requester', 'approver']] } })).toThrow(
      /requester/,
    );
    expect(dutiesMayCoincide(policy, 'approver', 'requester')).toBe(false);
  });

  it("counts one person's approval once even if they hold several roles", () => {
    const both = testPolicy({
      authority: {
        assignments: [
          { actorId: staff.opsManager.id, role: 'ops_manager', domain: '*' },
          { actorId: staff.opsManager.id, role: 'it_head', domain: '*' },
        ],
      },
    });
    let c = changeEntity('medium');
    c = { ...c, approvals: [approval(c, 'ops', staff.opsManager)] };
    const d = canApprove({ ...staff.opsManager, level: 'department_head' }, c, both, at);
    expect(d.reason).toBe('once');
  });

  it('lets an explicit deny beat every allow', () => {
    const p = testPolicy({
      authority: {
        denies: [
          {
            id: 'deny.claims.freeze-ops',
            title: { zh: '理赔域暂停该运维经理审批', en: 'Ops manager suspended for claims' },
            match: { domains: ['claims'] },
            actors: { ids: [staff.opsManager.id] },
          },
        ],
      },
    });
    const d = canApprove(staff.opsManager, changeEntity('low'), p, at);
    expect(d.reason).toBe('denied');
    expect(d.explanation?.matchedRules).toEqual(['authority.low', 'deny.claims.freeze-ops']);
    expect(canApprove(staff.opsManager2, changeEntity('low'), p, at).allowed).toBe(true);
  });

  it('denies by default what no rule allows', () => {
    const d = canApprove(staff.verifier, changeEntity('low'), policy, at);
    expect(d).toMatchObject({ allowed: false, reason: 'no_authority' });
    expect(d.explanation?.inputs.assignments).toEqual([]);
  });

  it('refuses outside the approval states and once everything is approved', () => {
    expect(
      canApprove(staff.opsManager, changeEntity('low', { state: 'evaluated' }), policy, at).reason,
    ).toBe('state');
    let c = changeEntity('low');
    c = { ...c, approvals: [approval(c, 'ops', staff.opsManager)] };
    expect(canApprove(staff.opsManager2, c, policy, at).reason).toBe('complete');
    expect(canApprove(staff.opsManager2, changeEntity(undefined), policy, at).reason).toBe(
      'no_evaluation',
    );
  });

  it('collects every deny when explaining, and agrees with the fast path', () => {
    const c = changeEntity('low', {
      requester: { id: staff.leaver.id, name: staff.leaver.name },
      state: 'evaluated',
    });
    const d = canApprove(staff.leaver, c, policy, at);
    expect(d.explanation?.violations.map((v) => v.ruleId)).toEqual([
      'change.approve.state',
      'change.approve.inactive',
      'change.approve.self',
    ]);
    expect(canApprove(staff.leaver, c, policy, at, { explain: 'never' })).toEqual({
      allowed: false,
      reason: 'state',
    });
  });

  it('honours a quorum of named members: all of them', () => {
    const p = testPolicy({
      authority: {
        rules: [
          {
            id: 'board',
            match: {},
            stages: [
              {
                id: 'board',
                title: { zh: '委员会', en: 'Board' },
                roles: ['cab_member'],
                quorum: 'all',
                members: [staff.cab1.id, staff.cab2.id],
                order: 1,
              },
            ],
          },
        ],
      },
    });
    const env: ChangeEnv = { change: p.change, schedule: [] };
    const c = changeEntity('low');
    expect(canApprove(staff.cab3, c, p, at).explanation?.failed.map((f) => f.constraint)).toContain(
      'stage.board.members',
    );
    const one = approvePure(c, staff.cab1, env);
    if (!one.ok) throw new Error(one.error.message.en);
    expect(one.value.next.state).toBe('awaiting_approval');
    const two = approvePure(one.value.next, staff.cab2, env);
    expect(two.ok && two.value.next.state).toBe('approved');
  });
});

describe('delegation (3.3.3)', () => {
  const window = { start: '2026-04-01T00:00:00+08:00', end: '2026-04-15T00:00:00+08:00' };
  const withDelegation = (extra: object = {}) =>
    testPolicy({
      authority: {
        delegations: [
          {
            id: 'D1',
            from: staff.itHead.id,
            fromName: staff.itHead.name,
            to: staff.deputy.id,
            ...window,
            ...extra,
          },
        ],
      },
    });
  const medium = () => {
    const c = changeEntity('medium');
    return { ...c, approvals: [approval(c, 'ops', staff.opsManager)] };
  };

  it('lets a delegate of the required level approve, and records both people', () => {
    const p = withDelegation();
    const d = canApprove(staff.deputy, medium(), p, at);
    expect(d).toMatchObject({
      allowed: true,
      stage: 'it_head',
      onBehalfOf: staff.itHead.id,
      delegationId: 'D1',
    });
    const r = approvePure(medium(), staff.deputy, { change: p.change, schedule: [] });
    if (!r.ok) throw new Error(r.error.message.en);
    const record = r.value.next.approvals.at(-1);
    expect(record).toMatchObject({
      by: { id: staff.deputy.id },
      onBehalfOf: { id: staff.itHead.id, name: staff.itHead.name },
      delegationId: 'D1',
    });
    expect(r.value.next.state).toBe('approved');
  });

  it('does not count an expired or not yet valid delegation', () => {
    const p = withDelegation();
    const late = canApprove(staff.deputy, medium(), p, new Date('2026-04-20T00:00:00+08:00'));
    expect(late.allowed).toBe(false);
    expect(late.explanation?.failed.map((f) => f.constraint)).toContain('delegation.D1.window');
  });

  it('is not transitive', () => {
    const p = testPolicy({
      authority: {
        delegations: [
          { id: 'D1', from: staff.itHead.id, to: staff.deputy.id, ...window },
          { id: 'D2', from: staff.deputy.id, to: staff.financeItHead.id, ...window },
        ],
      },
    });
    const c = { ...medium(), scope: { ...medium().scope, domains: ['claims'] } };
    const d = canApprove(staff.financeItHead, c, p, at);
    expect(d.allowed).toBe(false);
    expect(d.explanation?.failed.map((f) => f.constraint)).toContain(
      'delegation.D2.stage.it_head.delegator_role',
    );
  });

  it('refuses a delegate below the required level', () => {
    const p = testPolicy({
      authority: {
        delegations: [{ id: 'D1', from: staff.itHead.id, to: staff.verifier.id, ...window }],
      },
    });
    const d = canApprove(staff.verifier, medium(), p, at);
    expect(d.explanation?.failed.map((f) => f.constraint)).toContain(
      'delegation.D1.stage.it_head.delegate_level',
    );
  });

  it('refuses what the delegator or the delegate requested', () => {
    const p = withDelegation();
    const byDelegator = {
      ...medium(),
      requester: { id: staff.itHead.id, name: staff.itHead.name },
    };
    const d1 = canApprove(staff.deputy, byDelegator, p, at);
    expect(d1.allowed).toBe(false);
    expect(d1.explanation?.violations.map((v) => v.ruleId)).toContain('change.approve.delegation');
    const byDelegate = { ...medium(), requester: { id: staff.deputy.id, name: staff.deputy.name } };
    expect(canApprove(staff.deputy, byDelegate, p, at).reason).toBe('self');
  });

  it('counts the delegator once: no second approval for the same principal', () => {
    const p = withDelegation();
    let c = changeEntity('high');
    c = {
      ...c,
      approvals: [approval(c, 'ops', staff.opsManager), approval(c, 'it_head', staff.itHead)],
    };
    expect(canApprove(staff.deputy, c, p, at).allowed).toBe(false);
  });

  it('may be limited to some domains, and takes a directory given at run time', () => {
    const d = canApprove(staff.deputy, medium(), policy, at, {
      directory: {
        delegations: [
          { id: 'D9', from: staff.itHead.id, to: staff.deputy.id, ...window, domains: ['finance'] },
        ],
      },
    });
    expect(d.explanation?.failed.map((f) => f.constraint)).toContain('delegation.D9.domains');
    const ok = canApprove(staff.deputy, medium(), policy, at, {
      directory: {
        delegations: [{ id: 'D9', from: staff.itHead.id, to: staff.deputy.id, ...window }],
      },
    });
    expect(ok.allowed).toBe(true);
  });
});
