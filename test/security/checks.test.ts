import { type AuditPolicy, type AuditReport, audit } from 'opscharter/security';
import { describe, expect, it } from 'vitest';
import { AT, compliantSnapshot, daysAgo, grant, personal } from './fixtures.js';

function run(snapshot: unknown, policy?: AuditPolicy, at: string = AT): AuditReport {
  const r = audit(snapshot, policy, at);
  if (!r.ok) throw new Error(JSON.stringify(r.error.issues));
  return r.value;
}
const failed = (r: AuditReport, rule: string) =>
  r.findings.filter((f) => f.ruleId === rule).map((f) => f.subject.id);
const lacking = (r: AuditReport, rule: string) =>
  r.insufficientData.filter((f) => f.ruleId === rule).map((f) => f.subject.id);
const check = (r: AuditReport, rule: string) => r.checks.find((c) => c.ruleId === rule)!;

describe('the compliant company', () => {
  it('passes every check, with data for each', () => {
    const r = run(compliantSnapshot());
    expect(r.findings).toEqual([]);
    expect(r.insufficientData).toEqual([]);
    expect(r.profile).toBe('mlps-l3');
    expect(r.parameters.dormantDays).toBe(90);
    const evaluated = r.checks.filter((c) => c.pass > 0).map((c) => c.ruleId);
    expect(evaluated).toEqual(
      expect.arrayContaining([
        'security.dormant.no_login',
        'security.orphan.no_owner',
        'security.sod.conflict',
        'security.sod.three_admin',
        'security.privileged.no_mfa',
        'security.backup.rpo',
        'security.training.overdue',
      ]),
    );
  });
});

describe('leavers (6.4.2)', () => {
  it('an enabled account of a leaver is critical; used after the leave date is flagged apart', () => {
    const s = compliantSnapshot();
    s.people[1] = { ...s.people[1]!, status: 'left', leftAt: daysAgo(10) };
    const r = run(s);
    expect(failed(r, 'security.leaver.active_access')).toEqual(['a2']);
    expect(r.findings.find((f) => f.subject.id === 'a2')?.severity).toBe('critical');
    expect(failed(r, 'security.leaver.used_after_leave')).toEqual(['a2']);
  });

  it('a disabled account that still holds grants is a finding; one with none is not', () => {
    const s = compliantSnapshot();
    s.people[1] = { ...s.people[1]!, status: 'left', leftAt: daysAgo(10) };
    s.accounts[1] = { ...s.accounts[1]!, enabled: false, lastLoginAt: daysAgo(20) };
    s.grants = s.grants.map((g) => (g.account === 'a2' ? { ...g, lastUsedAt: daysAgo(20) } : g));
    expect(failed(run(s), 'security.leaver.active_access')).toEqual(['a2']);
    expect(failed(run(s), 'security.leaver.used_after_leave')).toEqual([]);
    s.grants = s.grants.filter((g) => g.account !== 'a2');
    expect(failed(run(s), 'security.leaver.active_access')).toEqual([]);
  });

  it('a leave date in the past makes a person a leaver whatever the status; a future one does not', () => {
    const s = compliantSnapshot();
    s.people[1] = { ...s.people[1]!, leftAt: '2026-03-31T08:00:00+08:00' };
    expect(failed(run(s), 'security.leaver.active_access')).toEqual(['a2']);
    s.people[1] = { ...s.people[1]!, leftAt: '2026-04-01' };
    expect(failed(run(s), 'security.leaver.active_access')).toEqual([]);
  });

  it('the grace period counts calendar days in the policy zone', () => {
    const s = compliantSnapshot();
    s.people[1] = { ...s.people[1]!, status: 'left', leftAt: daysAgo(3, '18:00') };
    const grace = (days: number) => ({ overrides: { leaverGraceDays: days } });
    expect(failed(run(s, grace(3)), 'security.leaver.active_access')).toEqual(['a2']);
    expect(failed(run(s, grace(4)), 'security.leaver.active_access')).toEqual([]);
  });

  it('a leaver without a leave date fails at grace 0 and lacks data otherwise', () => {
    const s = compliantSnapshot();
    s.people[1] = { ...s.people[1]!, status: 'left' };
    let r = run(s);
    expect(failed(r, 'security.leaver.active_access')).toEqual(['a2']);
    expect(lacking(r, 'security.leaver.used_after_leave')).toEqual(['a2']);
    r = run(s, { overrides: { leaverGraceDays: 5 } });
    expect(lacking(r, 'security.leaver.active_access')).toEqual(['a2']);
  });
});

describe('dormant accounts (5.3.2)', () => {
  it('exactly N days without login passes; N + 1 fails', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, lastLoginAt: daysAgo(90, '00:00') };
    s.accounts[1] = { ...s.accounts[1]!, lastLoginAt: daysAgo(91, '23:59') };
    expect(failed(run(s), 'security.dormant.no_login')).toEqual(['a2']);
  });

  it('day boundaries are in the policy zone, not the machine zone', () => {
    const s = compliantSnapshot();
    // 00:30 on the 90th day in Shanghai is still the 91st day before in UTC.
    s.accounts[0] = { ...s.accounts[0]!, lastLoginAt: daysAgo(90, '00:30') };
    expect(failed(run(s), 'security.dormant.no_login')).toEqual([]);
    const utc = run(s, { overrides: { zone: 'UTC' } }, '2026-03-31T12:00:00Z');
    expect(failed(utc, 'security.dormant.no_login')).toEqual(['a1']);
  });

  it('the CIS profile uses 45 days and says so in the report', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, lastLoginAt: daysAgo(50) };
    expect(failed(run(s), 'security.dormant.no_login')).toEqual([]);
    const cis = run(s, { security: { profile: 'cis-v8' } });
    expect(cis.profile).toBe('cis-v8');
    expect(cis.parameters.dormantDays).toBe(45);
    expect(failed(cis, 'security.dormant.no_login')).toEqual(['a1']);
  });

  it('never-used accounts fail once older than N days; without a creation date they lack data', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, lastLoginAt: null, createdAt: daysAgo(91) };
    s.accounts[1] = { ...s.accounts[1]!, lastLoginAt: null, createdAt: daysAgo(90) };
    let r = run(s);
    expect(failed(r, 'security.dormant.never_used')).toEqual(['a1']);
    const { createdAt: _drop, ...noCreated } = s.accounts[0]!;
    s.accounts[0] = noCreated;
    r = run(s);
    expect(lacking(r, 'security.dormant.never_used')).toEqual(['a1']);
  });

  it('a missing last login is insufficient data, never a pass', () => {
    const s = compliantSnapshot();
    const { lastLoginAt: _drop, ...rest } = s.accounts[0]!;
    s.accounts[0] = rest;
    const r = run(s);
    expect(lacking(r, 'security.dormant.no_login')).toEqual(['a1']);
    expect(check(r, 'security.dormant.no_login').insufficientData).toBe(1);
  });

  it('temporary accounts past their end date and still enabled', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, expiresAt: '2026-03-31T08:59:00+08:00' };
    s.accounts[1] = { ...s.accounts[1]!, expiresAt: '2026-03-31T09:01:00+08:00' };
    expect(failed(run(s), 'security.dormant.temporary_expired')).toEqual(['a1']);
  });

  it('service accounts are out of the dormancy check unless the policy says so', () => {
    const s = compliantSnapshot();
    s.accounts[3] = { ...s.accounts[3]!, lastLoginAt: daysAgo(200) };
    expect(failed(run(s), 'security.dormant.no_login')).toEqual([]);
    const r = run(s, { overrides: { dormantIncludesService: true } });
    expect(failed(r, 'security.dormant.no_login')).toEqual(['svc1']);
  });
});

describe('orphan, shared, default and service accounts', () => {
  it('finds accounts without an owner and with an owner not in the people list', () => {
    const s = compliantSnapshot();
    s.accounts.push({ ...personal('o1', 'p1', 'core'), owner: null });
    s.accounts.push({ ...personal('o2', 'p1', 'core'), owner: 'ghost' });
    s.accounts.push({ ...personal('o3', 'p1', 'core'), owner: null, enabled: false });
    const r = run(s);
    expect(failed(r, 'security.orphan.no_owner')).toEqual(['o1']);
    expect(failed(r, 'security.orphan.unknown_owner')).toEqual(['o2']);
  });

  it('shared and default accounts enabled, service accounts with interactive login', () => {
    const s = compliantSnapshot();
    s.accounts.push({ ...personal('sh', 'p1', 'core'), type: 'shared' });
    s.accounts.push({ ...personal('adm', 'p1', 'core'), type: 'default' });
    s.accounts.push({ ...personal('off', 'p1', 'core'), type: 'default', enabled: false });
    s.accounts.push({ ...s.accounts[3]!, id: 'svc2', interactiveLogin: true });
    s.accounts.push({ ...s.accounts[3]!, id: 'svc3', interactiveLogin: undefined });
    const r = run(s);
    expect(failed(r, 'security.account.shared_enabled')).toEqual(['sh']);
    expect(failed(r, 'security.account.default_enabled')).toEqual(['adm']);
    expect(failed(r, 'security.account.service_interactive')).toEqual(['svc2']);
    expect(lacking(r, 'security.account.service_interactive')).toEqual(['svc3']);
  });
});

describe('privileged access', () => {
  it('privileged accounts without MFA, admin rights on daily-use accounts', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, mfa: false };
    s.grants.push({ ...grant('a1', 'dba'), expiresAt: daysAgo(-10) });
    const r = run(s);
    expect(failed(r, 'security.privileged.no_mfa')).toEqual(['a1']);
    expect(failed(r, 'security.privileged.daily_use')).toEqual(['a1']);
  });

  it('missing MFA or purpose is insufficient data', () => {
    const s = compliantSnapshot();
    const { mfa: _m, dedicatedAdmin: _d, ...rest } = s.accounts[2]!;
    s.accounts[2] = rest;
    const r = run(s);
    expect(lacking(r, 'security.privileged.no_mfa')).toEqual(['a3']);
    expect(lacking(r, 'security.privileged.daily_use')).toEqual(['a3']);
  });

  it('standing privileged grants and unused privileged grants', () => {
    const s = compliantSnapshot();
    s.grants[4] = { ...grant('a3', 'dba'), lastUsedAt: daysAgo(91) };
    const r = run(s);
    expect(failed(r, 'security.privileged.standing')).toEqual(['a3/dba']);
    expect(failed(r, 'security.privileged.unused')).toEqual(['a3/dba']);
    const off = run(s, { overrides: { forbidStandingPrivilege: false } });
    expect(failed(off, 'security.privileged.standing')).toEqual([]);
    expect(check(off, 'security.privileged.standing').enabled).toBe(false);
  });

  it('an expired grant no longer counts as held', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, mfa: false };
    s.grants.push({ ...grant('a1', 'dba'), expiresAt: daysAgo(1) });
    expect(failed(run(s), 'security.privileged.no_mfa')).toEqual([]);
  });
});

describe('least privilege', () => {
  it('grants unused for more than N days, never-used grants by grant date, missing use date', () => {
    const s = compliantSnapshot();
    s.grants[0] = { ...grant('a1', 'reader'), id: 'g-old', lastUsedAt: daysAgo(91) };
    s.grants[1] = { ...grant('a1', 'payer'), id: 'g-edge', lastUsedAt: daysAgo(90, '00:00') };
    s.grants[2] = { ...grant('a2', 'writer'), id: 'g-never', lastUsedAt: null };
    s.grants[3] = { account: 'a2', role: 'approver', id: 'g-unknown', grantedAt: daysAgo(1) };
    const r = run(s);
    expect(failed(r, 'security.least_privilege.unused_grant')).toEqual(['g-old', 'g-never']);
    expect(lacking(r, 'security.least_privilege.unused_grant')).toEqual(['g-unknown']);
    expect(r.findings.find((f) => f.subject.id === 'g-old')?.details).toMatchObject({
      account: 'a1',
    });
  });

  it('wildcard and full-admin permissions, permissions granted straight to accounts', () => {
    const s = compliantSnapshot();
    s.roles.push({ id: 'god', permissions: ['claims:*'] });
    s.grants.push(grant('a1', 'god'));
    s.grants.push({ account: 'a2', permission: 'AdministratorAccess', lastUsedAt: daysAgo(1) });
    s.grants.push({ account: 'a2', permission: 'report.read', lastUsedAt: daysAgo(1) });
    const r = run(s);
    expect(failed(r, 'security.least_privilege.wildcard')).toEqual([
      'a1/god',
      'a2/AdministratorAccess',
    ]);
    expect(failed(r, 'security.least_privilege.direct_permission')).toEqual([
      'a2/AdministratorAccess',
      'a2/report.read',
    ]);
  });
});

describe('credentials', () => {
  it('rotation period, several active keys, unused keys', () => {
    const s = compliantSnapshot();
    s.credentials.push({
      id: 'k2',
      principal: 'svc1',
      kind: 'access_key',
      active: true,
      createdAt: daysAgo(91),
      rotatedAt: null,
      lastUsedAt: null,
    });
    s.credentials.push({
      id: 'k3',
      principal: 'svc1',
      kind: 'secret',
      active: false,
      createdAt: daysAgo(900),
    });
    const r = run(s);
    expect(failed(r, 'security.credential.rotation')).toEqual(['k2']);
    expect(failed(r, 'security.credential.multiple_active')).toEqual(['svc1']);
    expect(failed(r, 'security.credential.unused')).toEqual(['k2']);
  });

  it('a key of exactly the rotation age passes; unknown rotation of an old key lacks data', () => {
    const s = compliantSnapshot();
    s.credentials[0] = { ...s.credentials[0]!, rotatedAt: daysAgo(90, '00:00') };
    expect(failed(run(s), 'security.credential.rotation')).toEqual([]);
    const { rotatedAt: _r, ...rest } = s.credentials[0]!;
    s.credentials[0] = rest;
    expect(lacking(run(s), 'security.credential.rotation')).toEqual(['k1']);
  });
});

describe('separation of duties', () => {
  it('one person holding a forbidden pair across two accounts', () => {
    const s = compliantSnapshot();
    s.accounts.push(personal('a1b', 'p1', 'crm'));
    s.grants.push(grant('a1b', 'approver'));
    const r = run(s);
    expect(failed(r, 'security.sod.conflict')).toEqual(['p1/pay-approve']);
    expect(r.findings[0]?.severity).toBe('high');
  });

  it('sets of three roles need all three; disabled accounts do not count', () => {
    const s = compliantSnapshot();
    s.sodRules.push({ id: 'trio', roles: ['reader', 'writer', 'payer'] });
    s.grants.push(grant('a1', 'writer'));
    expect(failed(run(s), 'security.sod.conflict')).toEqual(['p1/trio']);
    s.accounts.push({ ...personal('a1c', 'p1', 'crm'), enabled: false });
    s.grants.push(grant('a1c', 'approver'));
    expect(failed(run(s), 'security.sod.conflict')).toEqual(['p1/trio']);
  });

  it('three-admin separation: system, security and audit administrators are different people', () => {
    const s = compliantSnapshot();
    s.accounts.push({ ...personal('a3b', 'p3', 'crm'), dedicatedAdmin: true });
    s.grants.push({ ...grant('a3b', 'auditadmin'), expiresAt: daysAgo(-5) });
    expect(failed(run(s), 'security.sod.three_admin')).toEqual(['p3']);
    const cis = run(s, { security: { profile: 'cis-v8' } });
    expect(check(cis, 'security.sod.three_admin')).toMatchObject({ enabled: false, fail: 0 });
  });

  it('an account without an owner is its own principal', () => {
    const s = compliantSnapshot();
    s.accounts.push({ ...personal('x1', 'p1', 'core'), owner: null });
    s.grants.push(grant('x1', 'payer'), grant('x1', 'approver'));
    expect(failed(run(s), 'security.sod.conflict')).toEqual(['x1/pay-approve']);
  });
});

describe('passwords', () => {
  it('older than the maximum age; never changed; changed only at creation', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, passwordChangedAt: daysAgo(91) };
    s.accounts[1] = { ...s.accounts[1]!, passwordChangedAt: null };
    s.accounts[2] = { ...s.accounts[2]!, passwordChangedAt: s.accounts[2]!.createdAt };
    const r = run(s);
    expect(failed(r, 'security.password.max_age')).toEqual(['a1']);
    expect(failed(r, 'security.password.initial')).toEqual(['a2', 'a3']);
  });

  it('a null maximum age turns the age check off and the report says so', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, passwordChangedAt: daysAgo(400) };
    const r = run(s, { overrides: { passwordMaxAgeDays: null } });
    expect(failed(r, 'security.password.max_age')).toEqual([]);
    expect(check(r, 'security.password.max_age').enabled).toBe(false);
    expect(r.overridden).toEqual(['passwordMaxAgeDays']);
  });
});

describe('reviews, patches, vulnerabilities', () => {
  it('access reviews and scans overdue per system; unrecorded systems lack data', () => {
    const s = compliantSnapshot();
    s.systems[0] = { id: 'core', lastAccessReviewAt: daysAgo(91), lastVulnerabilityScanAt: null };
    s.systems[1] = {
      id: 'crm',
      lastAccessReviewAt: daysAgo(100),
      accessReviewPeriodDays: 180,
      lastVulnerabilityScanAt: daysAgo(1),
    };
    s.accounts.push(personal('hr1', 'p2', 'hr'));
    const r = run(s);
    expect(failed(r, 'security.review.overdue')).toEqual(['core']);
    expect(failed(r, 'security.vulnerability.scan_overdue')).toEqual(['core']);
    expect(lacking(r, 'security.review.overdue')).toEqual(['hr']);
  });

  it('critical patches past the deadline, high findings past remediation', () => {
    const s = compliantSnapshot();
    s.patches.push({
      id: 'KB2',
      system: 'core',
      severity: 'critical',
      releasedAt: daysAgo(31),
      installedAt: null,
    });
    s.patches.push({
      id: 'KB3',
      system: 'core',
      severity: 'critical',
      releasedAt: daysAgo(30),
      installedAt: null,
    });
    s.patches.push({
      id: 'KB4',
      system: 'core',
      severity: 'low',
      releasedAt: daysAgo(300),
      installedAt: null,
    });
    s.patches.push({ id: 'KB5', system: 'core', severity: 'critical', releasedAt: daysAgo(300) });
    s.vulnerabilities.push({
      id: 'V2',
      system: 'crm',
      severity: 'high',
      foundAt: daysAgo(31),
      fixedAt: null,
    });
    s.vulnerabilities.push({
      id: 'V3',
      system: 'crm',
      severity: 'critical',
      foundAt: daysAgo(16),
      fixedAt: null,
    });
    s.vulnerabilities.push({
      id: 'V4',
      system: 'crm',
      severity: 'medium',
      foundAt: daysAgo(300),
      fixedAt: null,
    });
    const r = run(s);
    expect(failed(r, 'security.patch.overdue')).toEqual(['core/KB2']);
    expect(lacking(r, 'security.patch.overdue')).toEqual(['core/KB5']);
    expect(failed(r, 'security.vulnerability.remediation_overdue')).toEqual(['V2', 'V3']);
  });
});

describe('backups, encryption, policies, training', () => {
  it('RPO, failures in a row, restore tests overdue or failed', () => {
    const s = compliantSnapshot();
    s.backupJobs.push({
      id: 'b2',
      runs: [
        { at: daysAgo(0, '01:00'), ok: false },
        { at: daysAgo(1, '01:00'), ok: false },
        { at: daysAgo(2, '01:00'), ok: false },
        { at: daysAgo(3, '01:00'), ok: true },
      ],
    });
    s.backupJobs.push({ id: 'b3', rpoHours: 168, runs: [{ at: daysAgo(5), ok: true }] });
    s.backupJobs.push({ id: 'b4', runs: [] });
    s.restoreTests.push({ job: 'b2', at: daysAgo(10), ok: false });
    s.restoreTests.push({ job: 'b3', at: daysAgo(181), ok: true });
    const r = run(s);
    expect(failed(r, 'security.backup.rpo')).toEqual(['b2', 'b4']);
    expect(failed(r, 'security.backup.consecutive_failures')).toEqual(['b2']);
    expect(lacking(r, 'security.backup.consecutive_failures')).toEqual(['b4']);
    expect(failed(r, 'security.backup.restore_test')).toEqual(['b2', 'b3', 'b4']);
  });

  it('important data not encrypted; unknown encryption lacks data; public data is out of scope', () => {
    const s = compliantSnapshot();
    s.dataAssets.push({
      id: 'd1',
      classification: 'secret',
      encryptedAtRest: false,
      encryptedInTransit: true,
    });
    s.dataAssets.push({ id: 'd2', classification: 'confidential', encryptedAtRest: true });
    s.dataAssets.push({ id: 'd3', classification: 'public', encryptedAtRest: false });
    const r = run(s);
    expect(failed(r, 'security.encryption.at_rest')).toEqual(['d1']);
    expect(lacking(r, 'security.encryption.in_transit')).toEqual(['d2']);
  });

  it('policies not reviewed and staff whose training is overdue', () => {
    const s = compliantSnapshot();
    s.policies.push({ id: 'backup', lastReviewedAt: daysAgo(366) });
    s.policies.push({ id: 'crypto', lastReviewedAt: null });
    s.policies.push({ id: 'net', lastReviewedAt: daysAgo(366), reviewPeriodDays: 730 });
    s.training = [{ person: 'p1', completedAt: daysAgo(366) }];
    s.people.push({ id: 'p4', status: 'active' });
    const r = run(s);
    expect(failed(r, 'security.policy.review_overdue')).toEqual(['backup', 'crypto']);
    expect(failed(r, 'security.training.overdue')).toEqual(['p1', 'p3']);
    expect(lacking(r, 'security.training.overdue')).toEqual(['p4']);
  });

  it('a check whose section is absent says which section it lacks', () => {
    const { patches: _p, training: _t, ...rest } = compliantSnapshot();
    const r = run(rest);
    expect(check(r, 'security.patch.overdue').missingSections).toEqual(['patches']);
    expect(check(r, 'security.training.overdue').missingSections).toEqual(['training']);
    expect(check(r, 'security.dormant.no_login').missingSections).toEqual([]);
  });
});

describe('the report', () => {
  it('groups findings by severity, most serious first, then clause', () => {
    const s = compliantSnapshot();
    s.people[1] = { ...s.people[1]!, status: 'left', leftAt: daysAgo(10) };
    s.accounts.push({ ...personal('o1', 'p1', 'core'), owner: null });
    s.accounts[0] = { ...s.accounts[0]!, lastLoginAt: daysAgo(120) };
    const r = run(s);
    const ranks = r.findings.map((f) =>
      ['info', 'low', 'medium', 'high', 'critical'].indexOf(f.severity),
    );
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    expect(r.groups[0]).toMatchObject({ severity: 'critical', clause: '6.4.2' });
    expect(r.groups.reduce((n, g) => n + g.count, 0)).toBe(r.findings.length);
    expect(r.summary.byClause['6.4.2']).toBe(2);
  });

  it('takes an instant as a Date too, and refuses an invalid one as a validation error', () => {
    expect(audit(compliantSnapshot(), undefined, new Date(AT)).ok).toBe(true);
    const bad = audit(compliantSnapshot(), undefined, 'not a time');
    expect(!bad.ok && bad.error.issues[0]?.path).toBe('at');
  });
});
