import type { AuditSnapshotInput } from 'opscharter/security';

/** The audit instant of the tests: 09:00 on 31 March 2026 in Shanghai. */
export const AT = '2026-03-31T09:00:00+08:00';

/** An instant `days` calendar days before AT's day, at a given Shanghai wall-clock time. */
export function daysAgo(days: number, time = '10:00'): string {
  const d = new Date(Date.UTC(2026, 2, 31 - days));
  return `${d.toISOString().slice(0, 10)}T${time}:00+08:00`;
}

type Snapshot = {
  -readonly [K in keyof AuditSnapshotInput]-?: NonNullable<
    AuditSnapshotInput[K]
  > extends readonly (infer T)[]
    ? T[]
    : AuditSnapshotInput[K];
};

/** A small, fully compliant company: every check has data and passes. */
export function compliantSnapshot(): Snapshot {
  return {
    takenAt: AT,
    people: [
      { id: 'p1', name: '王芳', departmentKind: 'it', status: 'active' },
      { id: 'p2', name: '李娜', departmentKind: 'business', status: 'active' },
      { id: 'p3', name: '张伟', departmentKind: 'it', status: 'active' },
    ],
    systems: [
      { id: 'core', lastAccessReviewAt: daysAgo(10), lastVulnerabilityScanAt: daysAgo(10) },
      { id: 'crm', lastAccessReviewAt: daysAgo(20), lastVulnerabilityScanAt: daysAgo(5) },
    ],
    accounts: [
      personal('a1', 'p1', 'core'),
      personal('a2', 'p2', 'crm'),
      { ...personal('a3', 'p3', 'core'), dedicatedAdmin: true, mfa: true },
      {
        id: 'svc1',
        system: 'core',
        owner: 'p1',
        type: 'service',
        enabled: true,
        createdAt: daysAgo(400),
        lastLoginAt: daysAgo(1),
        interactiveLogin: false,
      },
    ],
    roles: [
      { id: 'reader', permissions: ['policy.read'] },
      { id: 'writer', permissions: ['policy.write'] },
      { id: 'payer', permissions: ['claim.pay'] },
      { id: 'approver', permissions: ['claim.approve'] },
      { id: 'dba', privileged: true, permissions: ['db.admin.grant'], adminKind: 'system' },
      { id: 'secadmin', privileged: true, permissions: ['sec.policy'], adminKind: 'security' },
      { id: 'auditadmin', privileged: true, permissions: ['audit.read'], adminKind: 'audit' },
    ],
    grants: [
      grant('a1', 'reader'),
      grant('a1', 'payer'),
      grant('a2', 'writer'),
      grant('a2', 'approver'),
      { ...grant('a3', 'dba'), expiresAt: daysAgo(-30) },
      grant('svc1', 'reader'),
    ],
    sodRules: [{ id: 'pay-approve', roles: ['payer', 'approver'] }],
    credentials: [
      {
        id: 'k1',
        principal: 'svc1',
        kind: 'api_key',
        active: true,
        createdAt: daysAgo(200),
        rotatedAt: daysAgo(30),
        lastUsedAt: daysAgo(1),
      },
    ],
    patches: [
      {
        id: 'KB1',
        system: 'core',
        severity: 'critical',
        releasedAt: daysAgo(60),
        installedAt: daysAgo(50),
      },
    ],
    vulnerabilities: [
      { id: 'V1', system: 'crm', severity: 'high', foundAt: daysAgo(40), fixedAt: daysAgo(20) },
    ],
    backupJobs: [{ id: 'b1', system: 'core', runs: [{ at: daysAgo(0, '02:00'), ok: true }] }],
    restoreTests: [{ job: 'b1', at: daysAgo(30), ok: true }],
    dataAssets: [
      {
        id: 'claims-db',
        classification: 'confidential',
        encryptedAtRest: true,
        encryptedInTransit: true,
      },
    ],
    policies: [{ id: 'access-control', lastReviewedAt: daysAgo(100) }],
    training: [
      { person: 'p1', completedAt: daysAgo(100) },
      { person: 'p3', completedAt: daysAgo(200) },
    ],
  } as Snapshot;
}

/** A personal account in good order. */
export function personal(id: string, owner: string, system: string) {
  return {
    id,
    system,
    owner,
    type: 'personal' as const,
    enabled: true,
    createdAt: daysAgo(300),
    lastLoginAt: daysAgo(2),
    passwordChangedAt: daysAgo(20),
    mfa: true,
    dedicatedAdmin: false,
  };
}

/** A grant in good order. */
export function grant(account: string, role: string) {
  return { account, role, grantedAt: daysAgo(100), lastUsedAt: daysAgo(3), grantedBy: 'p9' };
}
