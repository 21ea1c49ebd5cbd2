import fc from 'fast-check';
import { definePolicy } from 'opscharter';
import {
  type ChangeEnv,
  type ChangeRequest,
  canApprove,
  changeWorkflow,
  contentFingerprint,
} from 'opscharter/change';
import { createEntity, decide, type OpsError, unwrap } from 'opscharter/core';
import type { Actor } from 'opscharter/org';
import { describe, expect, it } from 'vitest';
import { answers, assignments, requestInput, setup, staff, testPolicy } from './fixtures.js';

const policy = testPolicy({
  authority: {
    delegations: [
      {
        id: 'D1',
        from: staff.itHead.id,
        to: staff.deputy.id,
        start: '2026-04-01T00:00:00+08:00',
        end: '2026-04-12T00:00:00+08:00',
      },
    ],
  },
});
const env: ChangeEnv = { change: policy.change, schedule: [] };
const people = Object.values(staff) as Actor[];
const requesters = people.filter((p) => p.id !== staff.implementer.id);
// Inside the planned window: nothing but approvals stands between a change and implementation.
const now = new Date('2026-04-10T23:00:00+08:00');

/** The oracle, written apart from the engine: stages each risk needs, and who may fill them. */
const oracle: Record<string, { stage: string; role: string; needed: number }[]> = {
  low: [{ stage: 'ops', role: 'ops_manager', needed: 1 }],
  medium: [
    { stage: 'ops', role: 'ops_manager', needed: 1 },
    { stage: 'it_head', role: 'it_head', needed: 1 },
  ],
  high: [
    { stage: 'ops', role: 'ops_manager', needed: 1 },
    { stage: 'it_head', role: 'it_head', needed: 1 },
    { stage: 'leadership', role: 'cio', needed: 1 },
  ],
  critical: [
    { stage: 'ops', role: 'ops_manager', needed: 1 },
    { stage: 'it_head', role: 'it_head', needed: 1 },
    { stage: 'leadership', role: 'cio', needed: 1 },
    { stage: 'cab', role: 'cab_member', needed: 2 },
    { stage: 'executive', role: 'executive', needed: 1 },
  ],
};

function holds(personId: string, role: string): boolean {
  return assignments.some((a) => a.actorId === personId && a.role === role);
}

/** Every approval the risk requires, by distinct people of the right role, none the requester. */
function fullyApproved(c: ChangeRequest): boolean {
  const level = c.evaluation?.risk.level;
  if (!level) return false;
  const fp = contentFingerprint(c);
  const used = new Set<string>();
  for (const need of oracle[level]!) {
    const people = new Set<string>();
    for (const a of c.approvals) {
      if (
        a.stage !== need.stage ||
        a.decision !== 'approved' ||
        a.invalidated ||
        a.fingerprint !== fp
      )
        continue;
      const principal = a.onBehalfOf?.id ?? a.by.id;
      if (!holds(principal, need.role)) return false;
      if (principal === c.requester.id || a.by.id === c.requester.id) return false;
      if (used.has(principal)) return false;
      people.add(principal);
    }
    if (people.size < need.needed) return false;
    for (const p of people) used.add(p);
  }
  return true;
}

const levels = ['low', 'medium', 'high', 'critical'] as const;
const planB = { ...requestInput().plan, steps: ['Another step'] };

const commandArb = fc.oneof(
  fc.record({
    type: fc.constant('pre_review'),
    input: fc.record({ outcome: fc.constantFrom('accept', 'rework') }),
  }),
  fc.record({ type: fc.constant('resubmit') }),
  fc.record({
    type: fc.constant('evaluate'),
    input: fc.constantFrom(...levels).map((l) => ({
      answers: answers[l],
      technicalFeasibility: 'x',
      businessImpact: 'y',
      riskMeasures: ['m'],
    })),
  }),
  fc.record({ type: fc.constant('submit_for_approval') }),
  fc.record({ type: fc.constant('approve'), input: fc.constant({}) }),
  fc.record({
    type: fc.constant('approve'),
    input: fc
      .constantFrom('ops', 'it_head', 'leadership', 'cab', 'executive')
      .map((stage) => ({ stage })),
  }),
  fc.record({
    type: fc.constant('reject'),
    input: fc.record({ outcome: fc.constantFrom('end', 'rework'), reason: fc.constant('r') }),
  }),
  fc.record({
    type: fc.constant('amend'),
    input: fc.constantFrom({ plan: planB }, { title: 'New title' }),
  }),
  fc.record({ type: fc.constant('emergency_approve') }),
  fc.record({ type: fc.constant('escalate') }),
  fc.record({
    type: fc.constant('start_implementation'),
    input: fc.constant({ backupConfirmed: true, backupReference: 'b' }),
  }),
);

/**
 * A step is either any command by anyone, or the next step of the happy path by someone from
 * the people who might plausibly do it (the requester and a leaver among them), so that runs
 * reach implementation often and the invariant is tested where it matters.
 */
const stepArb = fc.record({
  guided: fc.nat(9).map((n) => n < 8),
  pick: fc.nat(),
  actor: fc.constantFrom(...people),
  command: commandArb,
  level: fc.constantFrom(...levels),
});

const approverPool = [
  staff.opsManager,
  staff.opsManager2,
  staff.itHead,
  staff.deputy,
  staff.financeItHead,
  staff.cio,
  staff.cab1,
  staff.cab2,
  staff.cab3,
  staff.exec,
  staff.leaver,
  staff.requester,
  staff.implementer,
];

function guidedStep(
  c: ChangeRequest,
  step: { pick: number; actor: Actor; level: (typeof levels)[number] },
): { actor: Actor; command: { type: string; input?: unknown } } {
  const from = (pool: Actor[]) => pool[step.pick % pool.length]!;
  switch (c.state) {
    case 'submitted':
      return c.type === 'emergency'
        ? {
            actor: from([staff.opsManager, staff.opsManager2, staff.requester, staff.leaver]),
            command: { type: 'emergency_approve' },
          }
        : {
            actor: from([staff.opsManager, staff.opsManager2, staff.requester]),
            command: { type: 'pre_review', input: { outcome: 'accept' } },
          };
    case 'rework':
      return {
        actor: c.requester.id === step.actor.id ? step.actor : from(requesters),
        command: { type: 'resubmit' },
      };
    case 'pre_reviewed':
      return {
        actor: from([staff.opsManager, staff.opsManager2]),
        command: {
          type: 'evaluate',
          input: {
            answers: answers[step.level],
            technicalFeasibility: 'x',
            businessImpact: 'y',
            riskMeasures: ['m'],
          },
        },
      };
    case 'evaluated':
      return {
        actor: from([staff.opsManager, staff.opsManager2, staff.requester]),
        command: { type: 'submit_for_approval' },
      };
    case 'awaiting_approval':
      return { actor: from(approverPool), command: { type: 'approve', input: {} } };
    default:
      return {
        actor: from([staff.implementer, staff.requester, staff.opsManager]),
        command: {
          type: 'start_implementation',
          input: { backupConfirmed: true, backupReference: 'b' },
        },
      };
  }
}

function newChange(requester: Actor, type: 'normal' | 'emergency'): ChangeRequest {
  const input = requestInput({ type });
  return createEntity<ChangeRequest>(
    'change',
    'submitted',
    'request',
    {
      id: 'CHG-P',
      ...input,
      scope: { services: [], departments: [], ...input.scope },
      requester: { id: requester.id, name: requester.name },
      revision: 1,
      approvals: [],
      escalations: [],
      linkedIncidentIds: [],
    } as never,
    requester,
    new Date('2026-04-08T09:00:00+08:00'),
  ).entity;
}

const reached = { implemented: 0, emergency: 0 };

describe('properties (3.3.3, 3.3.4)', () => {
  it('no sequence of commands by any actors implements a normal change without the approvals its risk requires, or lets anyone approve their own change', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...requesters),
        fc.array(stepArb, { minLength: 10, maxLength: 60 }),
        (requester, steps) => {
          let c = newChange(requester, 'normal');
          for (const step of steps) {
            const { actor, command } = step.guided ? guidedStep(c, step) : step;
            const r = decide(changeWorkflow, c, command as never, actor, { now, policy: env });
            if (!r.ok) continue;
            c = r.value.next;
            for (const a of c.approvals) {
              if (a.decision !== 'approved') continue;
              expect(a.by.id).not.toBe(c.requester.id);
              expect(a.onBehalfOf?.id).not.toBe(c.requester.id);
            }
            if (c.state === 'implementing') {
              reached.implemented += 1;
              expect(fullyApproved(c)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
    // The generator does reach implementation, so the invariant was exercised.
    expect(reached.implemented).toBeGreaterThan(0);
  });

  it('an emergency change is implemented only after an ops manager other than the requester approved it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...requesters),
        fc.array(stepArb, { maxLength: 20 }),
        (requester, steps) => {
          let c = newChange(requester, 'emergency');
          for (const step of steps) {
            const { actor, command } = step.guided ? guidedStep(c, step) : step;
            const r = decide(changeWorkflow, c, command as never, actor, { now, policy: env });
            if (!r.ok) continue;
            c = r.value.next;
            if (c.state === 'implementing') {
              reached.emergency += 1;
              const emergency = c.approvals.filter(
                (a) => a.stage === 'emergency' && !a.invalidated,
              );
              expect(emergency.length).toBeGreaterThan(0);
              for (const a of emergency) {
                expect(a.by.id).not.toBe(c.requester.id);
                expect(people.find((p) => p.id === a.by.id)?.roles).toContain('ops_manager');
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(reached.emergency).toBeGreaterThan(0);
  });

  it('the fast path and the explained path of canApprove always agree', () => {
    const c0 = newChange(staff.requester, 'normal');
    fc.assert(
      fc.property(
        fc.constantFrom(...people),
        fc.constantFrom(...levels),
        fc.subarray([staff.opsManager, staff.itHead, staff.cio, staff.deputy, staff.requester]),
        fc.constantFrom('awaiting_approval', 'evaluated', 'approved') as fc.Arbitrary<
          ChangeRequest['state']
        >,
        (actor, level, approvers, state) => {
          const c: ChangeRequest = {
            ...c0,
            state,
            evaluation: {
              by: { id: 'e', name: 'e' },
              at: now.toISOString(),
              answers: answers[level],
              risk: { level, score: 0, drivers: [] },
              technicalFeasibility: 'x',
              businessImpact: 'y',
              riskMeasures: [],
            },
            approvals: approvers.map((p, i) => ({
              stage: ['ops', 'it_head', 'leadership', 'it_head', 'ops'][i]!,
              ruleId: `authority.${level}`,
              decision: 'approved' as const,
              by: { id: p.id, name: p.name },
              at: now.toISOString(),
              fingerprint: contentFingerprint(c0),
            })),
          };
          const fast = canApprove(actor, c, policy, now, { explain: 'never' });
          const full = canApprove(actor, c, policy, now, { explain: 'always' });
          const lazy = canApprove(actor, c, policy, now);
          expect(full.allowed).toBe(fast.allowed);
          expect(full.reason).toBe(fast.reason);
          expect(lazy.allowed).toBe(fast.allowed);
          expect(lazy.reason).toBe(fast.reason);
          // The default mode's no builds its explanation only when read: the same as explained.
          if (!lazy.allowed) expect(lazy.explanation).toEqual(full.explanation);
          else expect(lazy.explanation).toBeUndefined();
          if (!full.allowed) expect(full.explanation!.violations.length).toBeGreaterThan(0);
          else expect(full.stage).toBe(fast.stage);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('canApprove answers on reused change and actor objects, across policies and directories interleaved, as on fresh copies', () => {
    // canApprove reads a change's facts once per change object, and an actor's directory row
    // once per actor object; answers must not depend on what was asked before.
    const c0 = newChange(staff.requester, 'normal');
    // Another authority table (one CAB stage for every change) and no standing directory, so a
    // directory given per call numbers its domains differently from the policy's.
    const cabOnly = definePolicy({
      change: {
        authority: {
          rules: [
            {
              id: 'authority.cab',
              match: {},
              stages: [
                {
                  id: 'cab',
                  title: { zh: '变更委员会', en: 'CAB' },
                  roles: ['cab_member', 'it_head'],
                  minLevel: 'staff',
                  order: 1,
                },
              ],
            },
          ],
        },
      },
    });
    const policies = [policy, cabOnly];
    const directories = [
      undefined,
      {
        assignments: [
          { actorId: staff.cab1.id, role: 'cab_member' as const, domain: 'claims' },
          { actorId: staff.deputy.id, role: 'it_head' as const, domain: 'finance' },
          { actorId: staff.itHead.id, role: 'it_head' as const, domain: 'claims' },
        ],
      },
    ];
    const changes: ChangeRequest[] = [];
    for (const level of levels) {
      for (const domains of [['finance'], ['claims'], [], ['finance', 'claims']]) {
        for (const approvers of [[], [staff.opsManager], [staff.opsManager, staff.itHead]]) {
          changes.push({
            ...c0,
            state: 'awaiting_approval',
            scope: { ...c0.scope, domains },
            evaluation: {
              by: { id: 'e', name: 'e' },
              at: now.toISOString(),
              answers: answers[level],
              risk: { level, score: 0, drivers: [] },
              technicalFeasibility: 'x',
              businessImpact: 'y',
              riskMeasures: [],
            },
            approvals: approvers.map((p, i) => ({
              stage: ['ops', 'it_head'][i]!,
              ruleId: `authority.${level}`,
              decision: 'approved' as const,
              by: { id: p.id, name: p.name },
              at: now.toISOString(),
              fingerprint: contentFingerprint(c0),
            })),
          });
        }
      }
    }
    const query = fc.record({
      actor: fc.nat(people.length - 1),
      change: fc.nat(changes.length - 1),
      policy: fc.nat(policies.length - 1),
      directory: fc.nat(directories.length - 1),
    });
    fc.assert(
      fc.property(fc.array(query, { minLength: 1, maxLength: 30 }), (queries) => {
        for (const q of queries) {
          const options = { explain: 'never' as const, directory: directories[q.directory] };
          const p = policies[q.policy]!;
          const reused = canApprove(people[q.actor]!, changes[q.change]!, p, now, options);
          const fresh = canApprove(
            { ...people[q.actor]! },
            structuredClone(changes[q.change]!),
            p,
            now,
            options,
          );
          expect(reused).toEqual(fresh);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('malformed requests are validation errors naming a field, and store nothing', async () => {
    const { ops } = setup();
    const keys = Object.keys(requestInput()) as (keyof ReturnType<typeof requestInput>)[];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...keys),
        fc.constantFrom<unknown>(null, 42, '', [], { nested: true }),
        async (key, value) => {
          const r = await ops.changes.request(staff.requester, { ...requestInput(), [key]: value });
          if (r.ok) return; // a value that happens to be valid for the field
          expect(r.error.code).toBe('validation');
          if (r.error.code !== 'validation') return;
          expect(r.error.issues.some((i) => i.path === key || i.path.startsWith(`${key}.`))).toBe(
            true,
          );
        },
      ),
      { numRuns: 150 },
    );
    expect(unwrap(await ops.changes.list()).items).toEqual([]);
  });
});

describe('malformed command input (every service command)', () => {
  it('is a validation error naming the field, never a throw, and changes nothing stored', async () => {
    const { ops } = setup();
    const c = unwrap(await ops.changes.request(staff.requester, requestInput()));
    const commands = [
      ['preReview', 'outcome'],
      ['amend', ''],
      ['evaluate', 'answers'],
      ['reject', 'outcome'],
      ['startImplementation', 'backupConfirmed'],
      ['logStep', 'step'],
      ['finishImplementation', 'outcome'],
      ['rollback', 'reason'],
      ['verify', 'testResults'],
      ['confirm', 'note'],
      ['close', 'review'],
      ['linkIncident', 'incidentId'],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...commands),
        fc.constantFrom<unknown>(null, 42, 'x', [], { unexpected: true }, { outcome: 7 }),
        async ([name, field], junk) => {
          const before = unwrap(await ops.changes.get(c.id));
          const call = ops.changes[name] as (
            a: unknown,
            id: string,
            i: unknown,
          ) => Promise<unknown>;
          const r = (await call(staff.opsManager, c.id, junk)) as { ok: boolean; error?: OpsError };
          expect(r.ok).toBe(false);
          expect(r.error?.code).toBe('validation');
          if (
            r.error?.code === 'validation' &&
            field !== '' &&
            junk !== null &&
            typeof junk === 'object' &&
            !Array.isArray(junk)
          ) {
            expect(r.error.issues.some((i) => i.path === field || i.path === '')).toBe(true);
          }
          expect(unwrap(await ops.changes.get(c.id))).toEqual(before);
        },
      ),
      { numRuns: 120 },
    );
  });
});
