import { createOps, definePolicy } from 'opscharter';
import { collectingSink, manualClock, sequentialIds, unwrap } from 'opscharter/core';
import { createMemoryRepository, createMemoryStore } from 'opscharter/memory';
import type { Actor } from 'opscharter/org';
import {
  parseStoredReportId,
  storedReportSpec,
  waiverSpec,
  waiverWorkflow,
} from 'opscharter/security';
import { describeRepositoryConformance } from 'opscharter/testing';
import { describe, expect, it } from 'vitest';
import { storedReportConformance, waiverConformance } from './conformance-options.js';
import { AT, compliantSnapshot, daysAgo } from './fixtures.js';

const auditor: Actor = {
  id: 'u-aud',
  name: '周审计',
  department: 'audit',
  departmentKind: 'other',
  roles: ['auditor'],
  level: 'staff',
};
const officer: Actor = {
  id: 'u-sec',
  name: '陈安全',
  department: 'it',
  departmentKind: 'it',
  roles: ['security_officer'],
  level: 'manager',
};
const engineer: Actor = {
  id: 'u-eng',
  name: '张工',
  department: 'it',
  departmentKind: 'it',
  roles: ['system_engineer'],
  level: 'staff',
};

function setup() {
  const clock = manualClock(AT);
  const sink = collectingSink();
  const store = createMemoryStore();
  const ops = createOps({ store, clock, ids: sequentialIds(), sink, policy: definePolicy() });
  return { ops, clock, sink, store };
}

function sharedSnapshot() {
  const s = compliantSnapshot();
  s.accounts.push({
    id: 'shared-1',
    system: 'core',
    owner: 'p1',
    type: 'shared',
    enabled: true,
    createdAt: daysAgo(100),
    lastLoginAt: daysAgo(1),
    passwordChangedAt: daysAgo(5),
  });
  return s;
}

describe('security service', () => {
  it('runs an audit, stores the report and publishes an event; an officer acknowledges it', async () => {
    const { ops, sink } = setup();
    const stored = await ops.security.run(auditor, sharedSnapshot());
    expect(stored.ok).toBe(true);
    if (!stored.ok) return;
    expect(stored.value).toMatchObject({
      id: 'AUD-000001',
      state: 'recorded',
      findings: 1,
      version: 1,
    });
    expect(sink.events.map((e) => e.type)).toEqual(['security_report.run']);
    const byEngineer = await ops.security.acknowledge(engineer, stored.value.id);
    expect(!byEngineer.ok && byEngineer.error.code).toBe('forbidden');
    const ack = await ops.security.acknowledge(officer, stored.value.id);
    expect(ack.ok && ack.value.state).toBe('acknowledged');
    const list = await ops.security.listReports({ where: { state: 'acknowledged' } });
    expect(list.ok && list.value.items.map((r) => r.id)).toEqual(['AUD-000001']);
  });

  it('a malformed snapshot is a validation error and stores nothing', async () => {
    const { ops } = setup();
    const r = await ops.security.run(auditor, { people: [], accounts: [{ id: 1 }] });
    expect(!r.ok && r.error.code).toBe('validation');
    const list = await ops.security.listReports();
    expect(list.ok && list.value.items).toEqual([]);
    const noActor = await ops.security.run({ id: '' }, compliantSnapshot());
    expect(!noActor.ok && noActor.error.code).toBe('validation');
  });

  it('a waiver: requested, approved by an authorised approver who is not the requester, then it suppresses', async () => {
    const { ops, clock } = setup();
    const requested = await ops.security.requestWaiver(officer, {
      ruleId: 'security.account.shared_enabled',
      subject: 'shared-1',
      reason: '柜面共享终端,有视频监控',
      expiresAt: '2026-06-30T00:00:00+08:00',
    });
    if (!requested.ok) throw new Error(requested.error.code);
    const self = await ops.security.approveWaiver(officer, requested.value.id);
    expect(!self.ok && self.error.code).toBe('forbidden');
    if (!self.ok && self.error.code === 'forbidden') {
      expect(self.error.violations.map((v) => v.ruleId)).toContain(
        'security.waiver.approver_not_requester',
      );
    }
    const byEngineer = await ops.security.approveWaiver(engineer, requested.value.id);
    expect(!byEngineer.ok && byEngineer.error.code).toBe('forbidden');
    const other: Actor = { ...officer, id: 'u-sec-2', name: '刘安全' };
    const approved = await ops.security.approveWaiver(other, requested.value.id);
    expect(approved.ok && approved.value).toMatchObject({
      state: 'active',
      approvedBy: { id: 'u-sec-2' },
    });

    const report = await ops.security.run(auditor, sharedSnapshot());
    if (!report.ok) throw new Error(report.error.code);
    expect(report.value.report.findings).toEqual([]);
    expect(report.value.report.waived.map((f) => f.subject.id)).toEqual(['shared-1']);

    // After expiry the waiver stops suppressing, even before anyone moves it to `expired`.
    clock.set('2026-07-01T00:00:00+08:00');
    const later = await ops.security.run(auditor, sharedSnapshot());
    if (!later.ok) throw new Error(later.error.code);
    expect(later.value.report.findings.map((f) => f.subject.id)).toContain('shared-1');
    expect(later.value.report.waivers[0]?.state).toBe('expired');
    const diff = await ops.security.diff(report.value.id, later.value.id);
    expect(diff.ok && diff.value.waiverLapsed.map((f) => f.subject.id)).toEqual(['shared-1']);

    const moved = await ops.security.expireDueWaivers(auditor);
    expect(moved.ok && moved.value.map((w) => w.state)).toEqual(['expired']);
  });

  it('expiry is mandatory, in the future and within the maximum; reasons are required', async () => {
    const { ops } = setup();
    const noExpiry = await ops.security.requestWaiver(engineer, {
      ruleId: 'security.account.shared_enabled',
      subject: 'x',
      reason: 'r',
    });
    expect(
      !noExpiry.ok && noExpiry.error.code === 'validation' && noExpiry.error.issues[0]?.path,
    ).toBe('expiresAt');
    const badRule = await ops.security.requestWaiver(engineer, {
      ruleId: 'security.nope',
      subject: 'x',
      reason: 'r',
      expiresAt: '2026-05-01T00:00:00Z',
    });
    expect(
      !badRule.ok && badRule.error.code === 'validation' && badRule.error.issues[0]?.path,
    ).toBe('ruleId');
    const none = await ops.security.listWaivers();
    expect(none.ok && none.value.items).toEqual([]);
    const far = await ops.security.requestWaiver(engineer, {
      ruleId: 'security.account.shared_enabled',
      subject: 'x',
      reason: 'r',
      expiresAt: '2028-05-01T00:00:00Z',
    });
    if (!far.ok) throw new Error('request');
    const tooFar = await ops.security.approveWaiver(officer, far.value.id);
    expect(!tooFar.ok && tooFar.error.code).toBe('policy_violation');
    const past = await ops.security.requestWaiver(engineer, {
      ruleId: 'security.account.shared_enabled',
      subject: 'x',
      reason: 'r',
      expiresAt: '2026-01-01T00:00:00Z',
    });
    if (!past.ok) throw new Error('request');
    const inPast = await ops.security.approveWaiver(officer, past.value.id);
    expect(!inPast.ok && inPast.error.code).toBe('policy_violation');
    const commands = ops.security.availableWaiverCommands(past.value, officer);
    expect(commands.ok && commands.value.find((c) => c.type === 'approve')?.allowed).toBe(false);
    const noReason = await ops.security.rejectWaiver(officer, past.value.id, { reason: '' });
    expect(!noReason.ok && noReason.error.code).toBe('validation');
    const rejected = await ops.security.rejectWaiver(officer, past.value.id, { reason: '已过期' });
    expect(rejected.ok && rejected.value.state).toBe('rejected');
  });

  it('a revoked waiver stops suppressing at once; a waiver cannot be expired early', async () => {
    const { ops } = setup();
    const w = await ops.security.requestWaiver(engineer, {
      ruleId: 'security.account.shared_enabled',
      subject: 'shared-1',
      reason: 'r',
      expiresAt: '2026-06-30T00:00:00+08:00',
    });
    if (!w.ok) throw new Error('request');
    await ops.security.approveWaiver(officer, w.value.id);
    const early = await ops.security.expireWaiver(auditor, w.value.id);
    expect(!early.ok && early.error.code).toBe('policy_violation');
    const revoked = await ops.security.revokeWaiver(officer, w.value.id, { reason: '终端已撤' });
    expect(revoked.ok && revoked.value.state).toBe('revoked');
    const report = ops.security.audit(sharedSnapshot(), {
      waivers: revoked.ok ? [revoked.value] : [],
    });
    expect(report.ok && report.value.findings.map((f) => f.subject.id)).toEqual(['shared-1']);
    expect(report.ok && report.value.waivers[0]).toMatchObject({
      state: 'revoked',
      applied: false,
    });
    const got = await ops.security.getWaiver(w.value.id);
    expect(got.ok && got.value.history.map((h) => h.command)).toEqual([
      'request',
      'approve',
      'revoke',
    ]);
    const listed = await ops.security.listWaivers({
      where: { ruleId: 'security.account.shared_enabled' },
    });
    expect(listed.ok && listed.value.items.length).toBe(1);
  });

  it('diff and get report name unknown ids as not found', async () => {
    const { ops } = setup();
    const [one, two, nine] = ['AUD-1', 'AUD-2', 'AUD-9'].map((s) => unwrap(parseStoredReportId(s)));
    const d = await ops.security.diff(one!, two!);
    expect(!d.ok && d.error.code).toBe('not_found');
    const stored = await ops.security.run(auditor, compliantSnapshot());
    if (!stored.ok) throw new Error('run');
    const d2 = await ops.security.diff(stored.value.id, nine!);
    expect(!d2.ok && d2.error.code).toBe('not_found');
    expect(!d2.ok && d2.error.message.zh).toBe('未找到安全审计报告 AUD-9');
  });
});

// The repositories of both aggregates pass the conformance suite.
describeRepositoryConformance(
  { describe, it },
  {
    name: 'security waiver (memory)',
    makeRepository: () => createMemoryRepository(waiverSpec),
    ...waiverConformance,
  },
);
describeRepositoryConformance(
  { describe, it },
  {
    name: 'security report (memory)',
    makeRepository: () => createMemoryRepository(storedReportSpec),
    ...storedReportConformance,
  },
);

it('the waiver workflow draws itself', () => {
  expect(waiverWorkflow.rules.map((r) => r.id)).toContain('security.waiver.approver_not_requester');
});
