// A small insurer's access audit: a generated company with one planted problem of every kind,
// audited under the classified-protection profile, printed as the Markdown report.
// Run: npx tsx --conditions=opscharter-source examples/access-audit.ts
import { pathToFileURL } from 'node:url';
import { type AuditSnapshotInput, audit, renderAuditMarkdown } from 'opscharter/security';

/** The audit instant: 09:00 on 31 March 2026 in Shanghai. */
export const auditAt = '2026-03-31T09:00:00+08:00';

const day = (n: number, time = '10:00:00') => {
  const d = new Date(Date.UTC(2026, 2, 31 - n));
  return `${d.toISOString().slice(0, 10)}T${time}+08:00`;
};

/** A company of 30 people, compliant but for the planted problems, one of each kind. */
export function generateCompany(): AuditSnapshotInput {
  const people = Array.from({ length: 30 }, (_, i) => ({
    id: `E${String(i + 1).padStart(3, '0')}`,
    name: `员工${i + 1}`,
    departmentKind: i < 10 ? ('it' as const) : ('business' as const),
    status: 'active' as const,
  }));
  const accounts = people.map((p, i) => ({
    id: `${p.id.toLowerCase()}@core`,
    system: i % 2 ? 'claims' : 'core',
    owner: p.id,
    type: 'personal' as const,
    enabled: true,
    createdAt: day(400),
    lastLoginAt: day(i % 7),
    passwordChangedAt: day(10 + i),
    mfa: true,
    dedicatedAdmin: false,
  }));
  const roles = [
    { id: 'claims.view', permissions: ['claims.read'] },
    { id: 'claims.pay', permissions: ['claims.pay'] },
    { id: 'claims.approve', permissions: ['claims.approve'] },
    { id: 'db.admin', privileged: true, permissions: ['db.*'], adminKind: 'system' as const },
    {
      id: 'sec.admin',
      privileged: true,
      permissions: ['security.policy'],
      adminKind: 'security' as const,
    },
    { id: 'log.audit', privileged: true, permissions: ['logs.read'], adminKind: 'audit' as const },
  ];
  const grants: NonNullable<AuditSnapshotInput['grants']> = accounts.map((a) => ({
    account: a.id,
    role: 'claims.view',
    grantedAt: day(300),
    lastUsedAt: day(1),
  }));
  const s = {
    takenAt: auditAt,
    people,
    accounts,
    roles,
    grants,
    sodRules: [
      { id: 'pay-vs-approve', title: '付款与审批分离', roles: ['claims.pay', 'claims.approve'] },
    ],
    systems: [
      { id: 'core', lastAccessReviewAt: day(30), lastVulnerabilityScanAt: day(20) },
      { id: 'claims', lastAccessReviewAt: day(120), lastVulnerabilityScanAt: day(100) },
    ],
    credentials: [
      {
        id: 'key-batch-1',
        principal: 'svc-batch@core',
        kind: 'api_key' as const,
        active: true,
        createdAt: day(200),
        rotatedAt: null,
        lastUsedAt: day(1),
      },
      {
        id: 'key-batch-2',
        principal: 'svc-batch@core',
        kind: 'api_key' as const,
        active: true,
        createdAt: day(20),
        rotatedAt: null,
        lastUsedAt: null,
      },
    ],
    patches: [
      {
        id: 'CVE-2026-0001-fix',
        system: 'core',
        severity: 'critical' as const,
        releasedAt: day(45),
        installedAt: null,
      },
    ],
    vulnerabilities: [
      {
        id: 'VULN-17',
        system: 'claims',
        severity: 'high' as const,
        foundAt: day(60),
        fixedAt: null,
      },
    ],
    backupJobs: [
      {
        id: 'claims-db-nightly',
        system: 'claims',
        runs: [
          { at: day(0, '02:00:00'), ok: false },
          { at: day(1, '02:00:00'), ok: false },
          { at: day(2, '02:00:00'), ok: false },
          { at: day(3, '02:00:00'), ok: true },
        ],
      },
    ],
    restoreTests: [{ job: 'claims-db-nightly', at: day(250), ok: true }],
    dataAssets: [
      {
        id: 'policyholder-pii',
        classification: 'confidential',
        encryptedAtRest: true,
        encryptedInTransit: false,
      },
    ],
    policies: [{ id: 'access-control-policy', title: '访问控制策略', lastReviewedAt: day(500) }],
    training: people
      .slice(0, 10)
      .map((p, i) => ({ person: p.id, completedAt: day(i === 3 ? 400 : 100) })),
  };

  // The planted problems, one of each kind.
  people[4] = { ...people[4]!, status: 'left' as const, leftAt: day(20) } as never; // leaver, used after leave
  accounts[5] = { ...accounts[5]!, lastLoginAt: day(120) }; // dormant
  accounts[6] = { ...accounts[6]!, lastLoginAt: null as never, createdAt: day(100) }; // never used
  accounts.push(
    { ...accounts[7]!, id: 'temp-auditor@claims', expiresAt: day(3) } as never, // temporary, expired
    { ...accounts[8]!, id: 'ghost@core', owner: null as never }, // orphan
    { ...accounts[8]!, id: 'old-contractor@core', owner: 'C999' }, // unknown owner
    { ...accounts[8]!, id: 'counter@claims', type: 'shared' as never }, // shared
    { ...accounts[8]!, id: 'sa@core', type: 'default' as never }, // default
    {
      ...accounts[8]!,
      id: 'svc-batch@core',
      type: 'service' as never,
      interactiveLogin: true,
    } as never,
    { ...accounts[0]!, id: 'e001-admin@core', dedicatedAdmin: true, mfa: false }, // privileged, no MFA
  );
  accounts[9] = { ...accounts[9]!, passwordChangedAt: day(200) }; // password too old
  accounts[10] = { ...accounts[10]!, passwordChangedAt: null as never }; // initial password
  grants.push(
    { account: 'e001-admin@core', role: 'db.admin', grantedAt: day(300), lastUsedAt: day(100) }, // standing, unused privileged, wildcard
    {
      account: 'e002@core',
      role: 'sec.admin',
      grantedAt: day(30),
      lastUsedAt: day(1),
      expiresAt: day(-30),
    }, // admin on daily account
    {
      account: 'e001-admin@core',
      role: 'log.audit',
      grantedAt: day(30),
      lastUsedAt: day(1),
      expiresAt: day(-30),
    }, // three-admin
    { account: 'e012@core', role: 'claims.pay', grantedAt: day(30), lastUsedAt: day(1) },
    { account: 'e012@core', role: 'claims.approve', grantedAt: day(30), lastUsedAt: day(1) }, // SoD
    {
      account: 'e013@core',
      permission: 'claims.export',
      grantedAt: day(200),
      lastUsedAt: day(150),
    }, // direct, unused
    { account: 'e005@core', role: 'claims.pay', grantedAt: day(300), lastUsedAt: day(2) }, // leaver used it
  );
  return s;
}

/** Audits the generated company and returns the Markdown report. */
export function accessAuditExample(): string {
  const result = audit(generateCompany(), { security: { profile: 'mlps-l3' } }, auditAt, {
    waivers: [
      {
        id: 'WVR-2026-007',
        ruleId: 'security.account.shared_enabled',
        subject: 'counter@claims',
        expiresAt: '2026-06-30T00:00:00+08:00',
        state: 'active',
      },
    ],
  });
  if (!result.ok) {
    throw new Error(result.error.issues.map((i) => `${i.path}: ${i.message.en}`).join('\n'));
  }
  return renderAuditMarkdown(result.value);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(accessAuditExample());
}
