import {
  type ChangeId,
  type ChangeRequest,
  changeWorkflow,
  parseChangeId,
} from 'opscharter/change';
import { decide, formatViolations, type OpsError, type Result, unwrap } from 'opscharter/core';
import { describe, expect, it } from 'vitest';
import { answers, requestInput, setup, staff, toApproval } from './fixtures.js';

const HOUR = 3_600_000;

function failure<T>(r: Result<T, OpsError>): OpsError {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

function ruleIds(e: OpsError): string[] {
  return e.code === 'forbidden' || e.code === 'policy_violation'
    ? e.violations.map((v) => v.ruleId)
    : [];
}

async function implement(
  ops: ReturnType<typeof setup>['ops'],
  clock: ReturnType<typeof setup>['clock'],
  id: ChangeId,
) {
  clock.set('2026-04-10T22:05:00+08:00');
  unwrap(
    await ops.changes.startImplementation(staff.implementer, id, {
      backupConfirmed: true,
      backupReference: 'RMAN-2026-04-10',
    }),
  );
  unwrap(
    await ops.changes.logStep(staff.implementer, id, { step: 'Apply the patch', result: 'ok' }),
  );
}

describe('change lifecycle (3.3.1 to 3.3.6)', () => {
  it('takes a medium-risk change from request to close-out', async () => {
    const { ops, clock, sink } = setup();
    const c = await toApproval(ops, 'medium');
    expect(c.evaluation?.risk.level).toBe('medium');
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    const approved = unwrap(
      await ops.changes.approve(staff.itHead, c.id, { note: 'OK for Friday' }),
    );
    expect(approved.state).toBe('approved');
    expect(ops.changes.requiredApprovals(approved).complete).toBe(true);
    await implement(ops, clock, c.id);
    unwrap(
      await ops.changes.finishImplementation(staff.implementer, c.id, { outcome: 'succeeded' }),
    );
    unwrap(
      await ops.changes.verify(staff.verifier, c.id, {
        testResults: 'All smoke tests passed',
        expectedEffectMet: true,
        noAdverseImpact: true,
      }),
    );
    unwrap(await ops.changes.confirm(staff.claimsManager, c.id, { note: 'Claims work normally' }));
    const closed = unwrap(
      await ops.changes.close(staff.opsManager, c.id, { review: 'Went to plan' }),
    );
    expect(closed.state).toBe('closed');
    expect(closed.closeOut?.archive).toEqual([
      'request',
      'evaluation_report',
      'approval_records',
      'implementation_plan',
      'test_report',
      'business_confirmation',
    ]);
    expect(closed.implementation?.log).toHaveLength(1);
    expect(sink.events.map((e) => e.type)).toContain('change.approve');
    expect(closed.history.map((h) => h.command)).toEqual([
      'request',
      'pre_review',
      'evaluate',
      'submit_for_approval',
      'approve',
      'approve',
      'start_implementation',
      'log_step',
      'finish_implementation',
      'verify',
      'confirm',
      'close',
    ]);
  });

  it('lets the ops manager send a request back for rework (3.3.1)', async () => {
    const { ops } = setup();
    const c = unwrap(await ops.changes.request(staff.requester, requestInput()));
    const back = unwrap(
      await ops.changes.preReview(staff.opsManager, c.id, {
        outcome: 'rework',
        note: 'Add a test plan',
      }),
    );
    expect(back.state).toBe('rework');
    expect(failure(await ops.changes.resubmit(staff.opsManager, c.id)).code).toBe('forbidden');
    unwrap(await ops.changes.amend(staff.requester, c.id, { testPlan: 'Full regression' }));
    expect(unwrap(await ops.changes.resubmit(staff.requester, c.id)).state).toBe('submitted');
    expect(
      failure(
        await ops.changes.evaluate(staff.opsManager, c.id, {
          answers: answers.low,
          technicalFeasibility: 'x',
          businessImpact: 'y',
        }),
      ).code,
    ).toBe('policy_violation');
  });

  it('keeps the pre-reviewer apart from the requester', async () => {
    const { ops } = setup();
    const c = unwrap(await ops.changes.request(staff.opsManager, requestInput()));
    const e = failure(await ops.changes.preReview(staff.opsManager, c.id, { outcome: 'accept' }));
    expect(ruleIds(e)).toEqual(['change.separation.conflict']);
  });

  it('asks risk-response measures of a high-risk change before approval (3.3.2)', async () => {
    const { ops } = setup();
    const c = unwrap(await ops.changes.request(staff.requester, requestInput()));
    unwrap(await ops.changes.preReview(staff.opsManager, c.id, { outcome: 'accept' }));
    unwrap(
      await ops.changes.evaluate(staff.opsManager, c.id, {
        answers: answers.high,
        technicalFeasibility: 'x',
        businessImpact: 'y',
      }),
    );
    expect(ruleIds(failure(await ops.changes.submitForApproval(staff.requester, c.id)))).toEqual([
      'change.evaluate.risk_measures',
    ]);
  });

  it('blocks a high-risk change approved out of order or by its requester, saying why in both languages', async () => {
    const { ops } = setup();
    const c = await toApproval(ops, 'high');
    const early = failure(await ops.changes.approve(staff.cio, c.id));
    expect(early.code).toBe('forbidden');
    expect(early.message.zh).toContain('无权审批当前阶段');
    expect(early.message.en).toContain('may not approve the open stage');
    const own = failure(await ops.changes.approve(staff.requester, c.id));
    expect(ruleIds(own)).toContain('change.approve.self');
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    unwrap(await ops.changes.approve(staff.itHead, c.id));
    const stored = unwrap(await ops.changes.get(c.id));
    expect(stored.state).toBe('awaiting_approval');
    expect(
      failure(
        await ops.changes.startImplementation(staff.implementer, c.id, {
          backupConfirmed: true,
          backupReference: 'b',
        }),
      ).code,
    ).toBe('invalid_transition');
    expect(unwrap(await ops.changes.approve(staff.cio, c.id)).state).toBe('approved');
  });

  it('ends or sends back on rejection, and records it', async () => {
    const { ops } = setup();
    const c = await toApproval(ops, 'medium');
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    const back = unwrap(
      await ops.changes.reject(staff.itHead, c.id, {
        outcome: 'rework',
        reason: 'Window too long',
      }),
    );
    expect(back.state).toBe('rework');
    expect(back.approvals[0]?.invalidated?.fields).toEqual(['rework']);
    expect(back.approvals.at(-1)).toMatchObject({ decision: 'rejected', note: 'Window too long' });
    const d = await toApproval(ops, 'low');
    expect(
      failure(await ops.changes.reject(staff.verifier, d.id, { outcome: 'end', reason: 'no' }))
        .code,
    ).toBe('forbidden');
    expect(
      unwrap(
        await ops.changes.reject(staff.opsManager, d.id, { outcome: 'end', reason: 'Not needed' }),
      ).state,
    ).toBe('rejected');
  });

  it('voids approvals when the plan, window or scope changes, and says why', async () => {
    const { ops, sink } = setup();
    const c = await toApproval(ops, 'medium');
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    unwrap(await ops.changes.approve(staff.itHead, c.id));
    const wording = unwrap(
      await ops.changes.amend(staff.requester, c.id, { title: 'Patch the claims DB' }),
    );
    expect(wording.state).toBe('approved');
    const plan = {
      ...c.plan,
      windowStart: '2026-04-17T22:00:00+08:00',
      windowEnd: '2026-04-18T01:00:00+08:00',
    };
    const moved = unwrap(await ops.changes.amend(staff.requester, c.id, { plan }));
    expect(moved.state).toBe('awaiting_approval');
    expect(moved.revision).toBe(2);
    expect(moved.approvals.every((a) => a.invalidated?.fields.includes('plan'))).toBe(true);
    expect(moved.approvals[0]?.invalidated?.reason.en).toContain(
      'plan changed after this approval',
    );
    expect(ops.changes.requiredApprovals(moved).openStages).toEqual(['ops']);
    const event = sink.events.at(-1);
    expect(event?.type).toBe('change.amend');
    const voided = (event?.data?.invalidated ?? []) as { ruleId: string }[];
    expect(voided[0]?.ruleId).toBe('change.approval.invalidated');
    // The same people may approve the new content.
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
  });

  it('flags an overdue approval for escalation and never approves by itself', async () => {
    const { ops, clock } = setup();
    const c = await toApproval(ops, 'medium');
    expect(ruleIds(failure(await ops.changes.escalate(staff.opsManager, c.id)))).toEqual([
      'change.approval.timeout',
    ]);
    clock.advance(25 * HOUR);
    const flagged = unwrap(await ops.changes.escalate(staff.opsManager, c.id));
    expect(flagged.state).toBe('awaiting_approval');
    expect(flagged.approvals).toEqual([]);
    expect(flagged.escalations[0]).toMatchObject({ stage: 'ops', escalateTo: ['it_head'] });
    expect(ops.changes.escalations(flagged)).toEqual([]);
    expect(failure(await ops.changes.escalate(staff.opsManager, c.id)).code).toBe(
      'policy_violation',
    );
  });
});

describe('implementation checks (3.3.4)', () => {
  it('starts only inside the window, by the implementer, with the backup confirmed', async () => {
    const { ops, clock } = setup();
    const c = await toApproval(ops, 'low');
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    const early = failure(
      await ops.changes.startImplementation(staff.implementer, c.id, {
        backupConfirmed: true,
        backupReference: 'b',
      }),
    );
    expect(ruleIds(early)).toEqual(['change.implement.window']);
    clock.set('2026-04-10T22:05:00+08:00');
    expect(
      ruleIds(
        failure(
          await ops.changes.startImplementation(staff.verifier, c.id, {
            backupConfirmed: true,
            backupReference: 'b',
          }),
        ),
      ),
    ).toContain('change.implement.implementer');
    expect(
      ruleIds(
        failure(
          await ops.changes.startImplementation(staff.implementer, c.id, {
            backupConfirmed: false,
            backupReference: 'b',
          }),
        ),
      ),
    ).toEqual(['change.implement.backup']);
    expect(
      unwrap(
        await ops.changes.startImplementation(staff.implementer, c.id, {
          backupConfirmed: true,
          backupReference: 'b',
        }),
      ).state,
    ).toBe('implementing');
  });

  it('refuses to implement without the approvals the risk requires', () => {
    const { policy } = setup();
    const env = { change: policy.change, schedule: [] };
    const base = {
      id: 'CHG-F',
      state: 'approved',
      version: 1,
      createdAt: '2026-04-08T01:00:00.000Z',
      updatedAt: '2026-04-08T01:00:00.000Z',
      history: [],
      ...requestInput(),
      scope: { ...requestInput().scope, services: [], departments: [] },
      requester: { id: staff.requester.id, name: 'x' },
      revision: 1,
      approvals: [],
      escalations: [],
      linkedIncidentIds: [],
      evaluation: {
        by: { id: 'e', name: 'e' },
        at: '2026-04-08T01:00:00.000Z',
        answers: answers.high,
        risk: { level: 'high', score: 5, drivers: [] },
        technicalFeasibility: 'x',
        businessImpact: 'y',
        riskMeasures: ['m'],
      },
    } as unknown as ChangeRequest;
    const r = decide(
      changeWorkflow,
      base,
      { type: 'start_implementation', input: { backupConfirmed: true, backupReference: 'b' } },
      staff.implementer,
      {
        now: new Date('2026-04-10T22:05:00+08:00'),
        policy: env,
      },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(ruleIds(r.error)).toContain('change.approval.incomplete');
  });

  it('reports a window in a closing freeze before approval', async () => {
    const { ops } = setup();
    const plan = {
      ...requestInput().plan,
      windowStart: '2026-04-30T22:00:00+08:00',
      windowEnd: '2026-05-01T01:00:00+08:00',
    };
    const c = unwrap(await ops.changes.request(staff.requester, requestInput({ plan })));
    unwrap(await ops.changes.preReview(staff.opsManager, c.id, { outcome: 'accept' }));
    unwrap(
      await ops.changes.evaluate(staff.opsManager, c.id, {
        answers: answers.low,
        technicalFeasibility: 'x',
        businessImpact: 'y',
      }),
    );
    const e = failure(await ops.changes.submitForApproval(staff.requester, c.id));
    expect(ruleIds(e)).toEqual(['change.schedule.freeze']);
    expect(formatViolations(e.code === 'policy_violation' ? e.violations : [], 'zh')).toContain(
      '月末结账封网期',
    );
  });

  it('reports two approved changes on the same CI with overlapping windows', async () => {
    const { ops } = setup();
    const first = await toApproval(ops, 'low');
    unwrap(await ops.changes.approve(staff.opsManager, first.id));
    const second = unwrap(await ops.changes.request(staff.requester, requestInput()));
    unwrap(await ops.changes.preReview(staff.opsManager, second.id, { outcome: 'accept' }));
    unwrap(
      await ops.changes.evaluate(staff.opsManager, second.id, {
        answers: answers.low,
        technicalFeasibility: 'x',
        businessImpact: 'y',
      }),
    );
    const e = failure(await ops.changes.submitForApproval(staff.requester, second.id));
    expect(ruleIds(e)).toEqual(['change.schedule.overlap']);
    const scheduled = unwrap(await ops.changes.list({ where: { state: 'approved' } })).items;
    const buttons = unwrap(
      ops.changes.availableCommands(unwrap(await ops.changes.get(second.id)), staff.requester, {
        scheduled,
      }),
    );
    expect(buttons.find((b) => b.type === 'submit_for_approval')?.violations[0]?.ruleId).toBe(
      'change.schedule.overlap',
    );
    const unaware = unwrap(
      ops.changes.availableCommands(unwrap(await ops.changes.get(second.id)), staff.requester),
    );
    expect(unaware.find((b) => b.type === 'submit_for_approval')?.allowed).toBe(true);
  });

  it('records a rollback as an outcome, and closes without a test report', async () => {
    const { ops, clock } = setup();
    const c = await toApproval(ops, 'low');
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    await implement(ops, clock, c.id);
    const rb = unwrap(
      await ops.changes.finishImplementation(staff.implementer, c.id, {
        outcome: 'rolled_back',
        reason: 'Patch failed',
      }),
    );
    expect(rb.state).toBe('rolled_back');
    expect(rb.implementation).toMatchObject({
      outcome: 'rolled_back',
      rollbackReason: 'Patch failed',
    });
    expect(rb.history).toHaveLength(8);
    expect(
      unwrap(await ops.changes.close(staff.opsManager, c.id, { review: 'Retry next week' })).state,
    ).toBe('closed');
  });
});

describe('verification and close-out (3.3.5, 3.3.6)', () => {
  async function implemented() {
    const s = setup();
    const c = await toApproval(s.ops, 'low');
    unwrap(await s.ops.changes.approve(staff.opsManager, c.id));
    await implement(s.ops, s.clock, c.id);
    unwrap(
      await s.ops.changes.finishImplementation(staff.implementer, c.id, { outcome: 'succeeded' }),
    );
    return { ...s, id: c.id };
  }

  it('keeps the verifier apart from the implementer and asks for the expected effect', async () => {
    const { ops, id } = await implemented();
    const own = failure(
      await ops.changes.verify(staff.implementer, id, {
        testResults: 'ok',
        expectedEffectMet: true,
        noAdverseImpact: true,
      }),
    );
    expect(ruleIds(own)).toEqual(['change.separation.conflict']);
    const bad = failure(
      await ops.changes.verify(staff.verifier, id, {
        testResults: 'slow',
        expectedEffectMet: true,
        noAdverseImpact: false,
      }),
    );
    expect(ruleIds(bad)).toEqual(['change.verify.result']);
    expect(
      unwrap(await ops.changes.rollback(staff.implementer, id, { reason: 'Slow queries' })).state,
    ).toBe('rolled_back');
  });

  it('takes the final confirmation from the business department in the scope only', async () => {
    const { ops, id } = await implemented();
    unwrap(
      await ops.changes.verify(staff.verifier, id, {
        testResults: 'ok',
        expectedEffectMet: true,
        noAdverseImpact: true,
      }),
    );
    expect(
      ruleIds(failure(await ops.changes.confirm(staff.financeManager, id, { note: 'ok' }))),
    ).toEqual(['change.confirm.business']);
    expect(
      ruleIds(failure(await ops.changes.close(staff.opsManager, id, { review: 'x' }))),
    ).toEqual([]);
    unwrap(await ops.changes.confirm(staff.claimsManager, id, { note: 'ok' }));
    expect(unwrap(await ops.changes.close(staff.opsManager, id, { review: 'x' })).state).toBe(
      'closed',
    );
    const linked = unwrap(
      await ops.changes.linkIncident(staff.opsManager, id, { incidentId: 'INC-000007' }),
    );
    expect(linked.state).toBe('closed');
    expect(linked.linkedIncidentIds).toEqual(['INC-000007']);
  });
});

describe('emergency and standard changes', () => {
  it('implements an emergency after the ops manager alone, then needs the full approval within 24 h', async () => {
    const { ops, clock } = setup();
    clock.set('2026-04-10T22:00:00+08:00');
    const c = unwrap(
      await ops.changes.request(staff.requester, requestInput({ type: 'emergency' })),
    );
    expect(failure(await ops.changes.emergencyApprove(staff.requester, c.id)).code).toBe(
      'forbidden',
    );
    const ok = unwrap(await ops.changes.emergencyApprove(staff.opsManager, c.id));
    expect(ok.state).toBe('approved');
    expect(ok.retrospectiveDueAt).toBe('2026-04-11T14:00:00.000Z');
    await implement(ops, clock, c.id);
    unwrap(
      await ops.changes.finishImplementation(staff.implementer, c.id, { outcome: 'succeeded' }),
    );
    unwrap(
      await ops.changes.evaluate(staff.opsManager2, c.id, {
        answers: answers.medium,
        technicalFeasibility: 'x',
        businessImpact: 'y',
      }),
    );
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    clock.advance(25 * HOUR);
    const findings = unwrap(await ops.changes.emergencyFindings());
    expect(findings.map((f) => f.ruleId)).toEqual(['change.emergency.retrospective']);
    const done = unwrap(await ops.changes.approve(staff.itHead, c.id));
    expect(done.state).toBe('implemented');
    expect(ops.changes.requiredApprovals(done).complete).toBe(true);
    expect(unwrap(await ops.changes.emergencyFindings())[0]?.details?.completedAt).toBeDefined();
  });

  it('cannot close an emergency change without its retrospective approval', async () => {
    const { ops, clock } = setup();
    const c = unwrap(
      await ops.changes.request(staff.requester, requestInput({ type: 'emergency' })),
    );
    unwrap(await ops.changes.emergencyApprove(staff.opsManager, c.id));
    await implement(ops, clock, c.id);
    unwrap(
      await ops.changes.finishImplementation(staff.implementer, c.id, {
        outcome: 'rolled_back',
        reason: 'x',
      }),
    );
    const e = failure(await ops.changes.close(staff.opsManager, c.id, { review: 'x' }));
    expect(ruleIds(e)).toEqual(['change.close.archive']);
  });

  it('authorises a standard change only when it matches an approved template', async () => {
    const { ops } = setup({
      standardTemplates: [
        {
          id: 'tpl-restart',
          title: { zh: '重启应用', en: 'Restart app' },
          cis: ['claims-db'],
          maxDurationMinutes: 240,
        },
      ],
    });
    const good = unwrap(
      await ops.changes.request(
        staff.requester,
        requestInput({ type: 'standard', templateId: 'tpl-restart' }),
      ),
    );
    expect(
      failure(await ops.changes.preReview(staff.opsManager, good.id, { outcome: 'accept' })).code,
    ).toBe('policy_violation');
    expect(unwrap(await ops.changes.authorizeStandard(staff.opsManager, good.id)).state).toBe(
      'approved',
    );
    const bad = unwrap(
      await ops.changes.request(
        staff.requester,
        requestInput({
          type: 'standard',
          templateId: 'tpl-restart',
          scope: { ...requestInput().scope, cis: ['web'] },
        }),
      ),
    );
    expect(
      ruleIds(failure(await ops.changes.authorizeStandard(staff.opsManager, bad.id))),
    ).toContain('change.standard.template');
    const unknown = unwrap(
      await ops.changes.request(
        staff.requester,
        requestInput({ type: 'standard', templateId: 'nope' }),
      ),
    );
    expect(
      ruleIds(failure(await ops.changes.authorizeStandard(staff.opsManager, unknown.id))),
    ).toContain('change.standard.template');
  });
});

describe('validation: malformed input names the field and stores nothing', () => {
  it('rejects a malformed request', async () => {
    const { ops } = setup();
    const e = failure(
      await ops.changes.request(staff.requester, { ...requestInput(), rollbackPlan: '' }),
    );
    expect(e.code === 'validation' && e.issues.map((i) => i.path)).toEqual(['rollbackPlan']);
    const w = failure(
      await ops.changes.request(staff.requester, {
        ...requestInput(),
        plan: { ...requestInput().plan, windowEnd: '2026-04-10T21:00:00+08:00' },
      }),
    );
    expect(w.code === 'validation' && w.issues[0]?.path).toBe('plan.windowEnd');
    const std = failure(
      await ops.changes.request(staff.requester, { ...requestInput(), type: 'standard' }),
    );
    expect(std.code === 'validation' && std.issues[0]?.path).toBe('templateId');
    const who = failure(await ops.changes.request({ id: 'x' }, requestInput()));
    expect(who.code === 'validation' && who.issues[0]?.path).toMatch(/^actor\./);
    expect(unwrap(await ops.changes.list()).items).toEqual([]);
  });

  it('rejects the implementer being the requester by default', async () => {
    const { ops } = setup();
    const plan = { ...requestInput().plan, implementer: { id: staff.requester.id, name: 'x' } };
    expect(
      ruleIds(failure(await ops.changes.request(staff.requester, requestInput({ plan })))),
    ).toEqual(['change.separation.conflict']);
    expect(unwrap(await ops.changes.list()).items).toEqual([]);
    const relaxed = setup({ separation: { relax: [['requester', 'implementer']] } });
    expect((await relaxed.ops.changes.request(staff.requester, requestInput({ plan }))).ok).toBe(
      true,
    );
  });

  it('rejects bad answers and bad commands without changing the change', async () => {
    const { ops } = setup();
    const c = unwrap(await ops.changes.request(staff.requester, requestInput()));
    unwrap(await ops.changes.preReview(staff.opsManager, c.id, { outcome: 'accept' }));
    const before = unwrap(await ops.changes.get(c.id));
    const e = failure(
      await ops.changes.evaluate(staff.opsManager, c.id, {
        answers: { ...answers.low, tested: 'kind of' },
        technicalFeasibility: 'x',
        businessImpact: 'y',
      }),
    );
    expect(e.code === 'validation' && e.issues.map((i) => i.path)).toEqual(['answers.tested']);
    const e2 = failure(await ops.changes.preReview(staff.opsManager, c.id, { outcome: 'maybe' }));
    expect(e2.code === 'validation' && e2.issues[0]?.path).toBe('outcome');
    const e3 = failure(await ops.changes.amend(staff.requester, c.id, {}));
    expect(e3.code).toBe('validation');
    const unknown = unwrap(parseChangeId('CHG-404'));
    const missing = failure(await ops.changes.approve(staff.opsManager, unknown));
    expect(missing).toMatchObject({ code: 'not_found', entity: 'change', id: 'CHG-404' });
    expect(missing.message).toEqual({ zh: '未找到变更 CHG-404', en: 'Change CHG-404 not found' });
    expect(unwrap(await ops.changes.get(c.id))).toEqual(before);
  });

  it('validates calendar and figures queries', async () => {
    const { ops } = setup();
    const e = failure(
      await ops.changes.calendar({ from: 'yesterday', to: '2026-05-01T00:00:00Z' }),
    );
    expect(e.code === 'validation' && e.issues[0]?.path).toBe('from');
    const f = failure(
      await ops.changes.figures({
        from: '2026-01-01T00:00:00Z',
        to: '2026-02-01T00:00:00Z',
        period: 'week',
      }),
    );
    expect(f.code === 'validation' && f.issues[0]?.path).toBe('period');
    expect(failure(await ops.changes.approvedWindows('claims-db' as never)).code).toBe(
      'validation',
    );
  });
});

describe('queries', () => {
  it('serves the calendar, the approved windows and the regulator figures', async () => {
    const { ops, clock } = setup();
    const a = await toApproval(ops, 'low');
    unwrap(await ops.changes.approve(staff.opsManager, a.id));
    const cal = unwrap(
      await ops.changes.calendar({
        from: '2026-04-01T00:00:00+08:00',
        to: '2026-05-01T00:00:00+08:00',
        states: ['approved'],
      }),
    );
    expect(cal.map((e) => e.id)).toEqual([a.id]);
    expect(unwrap(await ops.changes.approvedWindows(['claims-db'])).map((w) => w.changeId)).toEqual(
      [a.id],
    );
    await implement(ops, clock, a.id);
    unwrap(
      await ops.changes.finishImplementation(staff.implementer, a.id, { outcome: 'succeeded' }),
    );
    unwrap(await ops.changes.linkIncident(staff.opsManager, a.id, { incidentId: 'INC-1' }));
    const figs = unwrap(
      await ops.changes.figures({
        from: '2026-04-01T00:00:00+08:00',
        to: '2026-05-01T00:00:00+08:00',
        period: 'month',
      }),
    );
    expect(figs).toEqual([
      expect.objectContaining({
        period: '2026-04',
        total: 1,
        emergency: 0,
        successRate: 1,
        causedIncidents: 1,
      }),
    ]);
  });

  it('tells a portal which commands an actor may use, and why not', async () => {
    const { ops } = setup();
    const c = await toApproval(ops, 'medium');
    const forRequester = unwrap(ops.changes.availableCommands(c, staff.requester));
    const approve = forRequester.find((b) => b.type === 'approve');
    expect(approve?.allowed).toBe(false);
    expect(approve?.violations.map((v) => v.ruleId)).toContain('change.approve.self');
    const forOps = unwrap(ops.changes.availableCommands(c, staff.opsManager));
    expect(forOps.find((b) => b.type === 'approve')?.allowed).toBe(true);
    expect(unwrap(await ops.changes.canApprove(staff.itHead, c)).reason).toBe('no_authority');
  });

  it('takes a live approver directory from the deps', async () => {
    const { createChangeService, changeSpec } = await import('opscharter/change');
    const { createMemoryRepository } = await import('opscharter/memory');
    const { manualClock, sequentialIds, nullSink } = await import('opscharter/core');
    const { definePolicy } = await import('opscharter');
    let directory = {
      assignments: [
        { actorId: staff.opsManager.id, role: 'ops_manager' as const, domain: 'claims' },
      ],
    };
    const service = createChangeService(createMemoryRepository(changeSpec), {
      clock: manualClock('2026-04-08T09:00:00+08:00'),
      ids: sequentialIds(),
      policy: definePolicy(),
      sink: nullSink,
      directory: () => directory,
    });
    const c = unwrap(await service.request(staff.requester, requestInput()));
    unwrap(await service.preReview(staff.opsManager2, c.id, { outcome: 'accept' }));
    unwrap(
      await service.evaluate(staff.opsManager2, c.id, {
        answers: answers.low,
        technicalFeasibility: 'x',
        businessImpact: 'y',
      }),
    );
    unwrap(await service.submitForApproval(staff.requester, c.id));
    directory = { assignments: [] };
    expect(failure(await service.approve(staff.opsManager, c.id)).code).toBe('forbidden');
    directory = {
      assignments: [{ actorId: staff.opsManager.id, role: 'ops_manager', domain: 'claims' }],
    };
    expect(unwrap(await service.approve(staff.opsManager, c.id)).state).toBe('approved');
    directory = { assignments: [{ actorId: '', role: 'ops_manager', domain: 'claims' }] };
    const bad = failure(
      await service
        .canApprove(staff.opsManager, c)
        .then(() => service.approve(staff.opsManager, c.id)),
    );
    expect(bad.code === 'validation' && bad.issues[0]?.path).toBe(
      'directory.assignments.0.actorId',
    );
  });

  it('cancels at the requester’s wish only', async () => {
    const { ops } = setup();
    const c = unwrap(await ops.changes.request(staff.requester, requestInput()));
    expect(failure(await ops.changes.cancel(staff.opsManager, c.id)).code).toBe('forbidden');
    expect(unwrap(await ops.changes.cancel(staff.requester, c.id, 'No longer needed')).state).toBe(
      'cancelled',
    );
  });
});
