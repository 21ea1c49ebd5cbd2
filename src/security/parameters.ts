import { z } from 'zod';
import { TimeZoneSchema } from '../core/schemas.js';
import { roles } from '../org/roles.js';

/**
 * Every threshold of the security audit. Days are calendar days in `zone`; "older than N days"
 * means the day of the event is more than N calendar days before the audit day.
 */
export const SecurityParametersSchema = z.object({
  /** Time zone whose calendar days the day counts use. */
  zone: TimeZoneSchema,
  /** Days after the leave date an account may stay enabled or keep grants (0: none). */
  leaverGraceDays: z.number().int().nonnegative(),
  /** No login for more than this many days makes an enabled account dormant. */
  dormantDays: z.number().int().positive(),
  /** Service accounts do not log in interactively; include them in the dormancy check? */
  dormantIncludesService: z.boolean(),
  /** Privileged grants unused for more than this many days. */
  privilegedUnusedDays: z.number().int().positive(),
  /** Standing privileged grants (no expiry) are findings. */
  forbidStandingPrivilege: z.boolean(),
  /** Ordinary grants unused for more than this many days. */
  grantUnusedDays: z.number().int().positive(),
  /** Permission strings that mean full administration, besides anything ending in `*`. */
  fullAdminPermissions: z.array(z.string()),
  /** Keys and secrets older than this many days since creation or last rotation. */
  credentialRotationDays: z.number().int().positive(),
  /** More active credentials than this per principal is a finding. */
  maxActiveCredentials: z.number().int().positive(),
  /** Active credentials unused for more than this many days. */
  credentialUnusedDays: z.number().int().positive(),
  /** Password maximum age in days; `null` turns the check off (NIST SP 800-63B practice). */
  passwordMaxAgeDays: z.number().int().positive().nullable(),
  /** Three-admin separation: system, security and audit administrators are different people. */
  threeAdminSeparation: z.boolean(),
  /** Default period of a system's access review, in days. */
  accessReviewDays: z.number().int().positive(),
  /** Patch severities that must be installed within `patchDeadlineDays`. */
  patchSeverities: z.array(z.enum(['info', 'low', 'medium', 'high', 'critical'])),
  patchDeadlineDays: z.number().int().positive(),
  /** Vulnerability scans older than this many days. */
  scanPeriodDays: z.number().int().positive(),
  /** Days to remediate an open finding, per severity; severities not listed have no deadline. */
  remediationDays: z.object({
    critical: z.number().int().positive().optional(),
    high: z.number().int().positive().optional(),
    medium: z.number().int().positive().optional(),
    low: z.number().int().positive().optional(),
  }),
  /** Recovery point objective in hours: the last good backup must be newer. */
  backupRpoHours: z.number().positive(),
  /** This many failed runs in a row, most recent first, is a finding. */
  backupMaxConsecutiveFailures: z.number().int().positive(),
  /** Restore tests older than this many days. */
  restoreTestDays: z.number().int().positive(),
  /** Classifications of important data that must be encrypted at rest and in transit. */
  importantClassifications: z.array(z.string()),
  /** Security policy documents not reviewed for more than this many days. */
  policyReviewDays: z.number().int().positive(),
  /** Security training older than this many days. */
  trainingDays: z.number().int().positive(),
  /** Department kinds whose staff need security training (5.5.1 names ops staff). */
  trainingDepartmentKinds: z.array(z.enum(['it', 'business', 'other'])),
  /** Roles that may approve a waiver. */
  waiverApproverRoles: z.array(z.enum(roles)).min(1),
  /** Longest a waiver may run, in days. */
  maxWaiverDays: z.number().int().positive(),
});

/** Every threshold of the audit. */
export type SecurityParameters = z.infer<typeof SecurityParametersSchema>;

/** A named set of parameters, each with where its number comes from. */
export interface SecurityProfile {
  readonly id: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly parameters: SecurityParameters;
  /** Parameter name → the source of its value. */
  readonly sources: Readonly<Partial<Record<keyof SecurityParameters, string>>>;
}

const common = {
  zone: 'Asia/Shanghai',
  dormantIncludesService: false,
  forbidStandingPrivilege: true,
  fullAdminPermissions: ['*', 'admin', 'root', 'superuser', 'AdministratorAccess', 'sysadmin'],
  maxActiveCredentials: 1,
  threeAdminSeparation: true,
  patchSeverities: ['critical'],
  backupMaxConsecutiveFailures: 3,
  importantClassifications: ['confidential', 'secret', 'important', 'core'],
  trainingDepartmentKinds: ['it'],
  waiverApproverRoles: ['security_officer', 'it_head', 'cio'],
  maxWaiverDays: 365,
} satisfies Partial<SecurityParameters>;

/**
 * Common practice under China's classified protection of cybersecurity, level 3
 * (等保 2.0, GB/T 22239-2019). The standard says "periodically" and "in time"; the numbers
 * are what assessors commonly expect. The library's default.
 */
export const mlpsProfile: SecurityProfile = {
  id: 'mlps-l3',
  title: {
    zh: '网络安全等级保护(第三级)常见做法',
    en: 'Classified protection level 3, common practice',
  },
  parameters: {
    ...common,
    leaverGraceDays: 0,
    dormantDays: 90,
    privilegedUnusedDays: 90,
    grantUnusedDays: 90,
    credentialRotationDays: 90,
    credentialUnusedDays: 90,
    passwordMaxAgeDays: 90,
    accessReviewDays: 90,
    patchDeadlineDays: 30,
    scanPeriodDays: 90,
    remediationDays: { critical: 15, high: 30 },
    backupRpoHours: 24,
    restoreTestDays: 180,
    policyReviewDays: 365,
    trainingDays: 365,
  },
  sources: {
    leaverGraceDays: 'GB/T 22239-2019 8.1.9.2: 及时终止离岗人员的所有访问权限 (terminate at once)',
    dormantDays:
      'GB/T 22239-2019 8.1.4.2 b) 及时删除或停用多余的、过期的账户; 90 days is common assessor practice',
    passwordMaxAgeDays: 'GB/T 22239-2019 8.1.4.1 a) 口令…定期更换; 90 days is common practice',
    threeAdminSeparation:
      'GB/T 22239-2019 8.1.4.2 c) 管理用户的权限分离; 8.1.5 系统、审计、安全管理员',
    accessReviewDays: 'quarterly account review, common practice',
    patchDeadlineDays: 'GB/T 22239-2019 8.1.4.5 及时修补漏洞; 30 days common practice',
    scanPeriodDays: 'quarterly scans, common practice for level 3',
    remediationDays: 'critical 15 / high 30 days, common practice',
    backupRpoHours: 'GB/T 22239-2019 8.1.4.9 重要数据的本地数据备份与恢复; daily backups',
    restoreTestDays: 'half-yearly restore drills, common practice',
    policyReviewDays: 'GB/T 22239-2019 8.1.6 定期论证和审定安全管理制度; yearly',
    trainingDays: 'GB/T 22239-2019 8.1.9.3 定期进行安全意识教育和岗位技能培训; yearly',
    credentialRotationDays: 'same 90 days as passwords',
  },
};

/** CIS Critical Security Controls v8, with the safeguard each number comes from. */
export const cisV8Profile: SecurityProfile = {
  id: 'cis-v8',
  title: { zh: 'CIS 关键安全控制 v8', en: 'CIS Critical Security Controls v8' },
  parameters: {
    ...common,
    zone: 'UTC',
    leaverGraceDays: 0,
    dormantDays: 45,
    privilegedUnusedDays: 45,
    grantUnusedDays: 90,
    credentialRotationDays: 90,
    credentialUnusedDays: 45,
    passwordMaxAgeDays: 365,
    threeAdminSeparation: false,
    accessReviewDays: 90,
    patchDeadlineDays: 30,
    scanPeriodDays: 90,
    remediationDays: { critical: 30, high: 30 },
    backupRpoHours: 168,
    restoreTestDays: 90,
    policyReviewDays: 365,
    trainingDays: 365,
  },
  sources: {
    leaverGraceDays: 'CIS v8 6.2: disable accounts immediately upon termination',
    dormantDays: 'CIS v8 5.3: disable dormant accounts after 45 days of inactivity',
    privilegedUnusedDays: 'CIS v8 5.3 applied to privileged grants',
    accessReviewDays: 'CIS v8 5.1: validate active accounts at a minimum quarterly',
    credentialRotationDays: 'CIS AWS Foundations Benchmark: access keys rotated every 90 days',
    passwordMaxAgeDays: 'CIS v8 5.2 sets no expiry (NIST SP 800-63B); 365 days as a backstop',
    threeAdminSeparation: 'not a CIS safeguard; turned off',
    patchDeadlineDays: 'CIS v8 7.3/7.4: patch management monthly or more often',
    scanPeriodDays: 'CIS v8 7.5/7.6: vulnerability scans quarterly or more often',
    remediationDays: 'CIS v8 7.7: remediate vulnerabilities monthly or more often',
    backupRpoHours: 'CIS v8 11.2: backups weekly or more often',
    restoreTestDays: 'CIS v8 11.5: test recovery quarterly or more often',
    policyReviewDays: 'CIS v8 (many safeguards): review documentation annually',
    trainingDays: 'CIS v8 14.1: training at hire and at a minimum annually',
  },
};

/** The profiles shipped with the library, by id. */
export const securityProfiles: Readonly<Record<string, SecurityProfile>> = {
  [mlpsProfile.id]: mlpsProfile,
  [cisV8Profile.id]: cisV8Profile,
};

/** The security section of the policy: a profile and any parameters that override it. */
export const SecurityPolicySchema = z.object({
  profile: z.enum(['mlps-l3', 'cis-v8']).default('mlps-l3'),
  overrides: SecurityParametersSchema.partial().default({}),
});

/** The security section of the policy. */
export type SecurityPolicy = z.infer<typeof SecurityPolicySchema>;
/** What a consumer may write in the security section. */
export type SecurityPolicyInput = z.input<typeof SecurityPolicySchema>;

/** The parameters an audit runs with: the profile's, with the overrides applied. */
export interface ResolvedParameters {
  readonly profile: string;
  readonly overridden: readonly (keyof SecurityParameters)[];
  readonly parameters: SecurityParameters;
}

/**
 * Resolves the security section of the policy to the parameters an audit uses.
 *
 * @example
 * resolveParameters({ profile: 'cis-v8', overrides: {} }).parameters.dormantDays; // 45
 */
export function resolveParameters(policy: SecurityPolicyInput = {}): ResolvedParameters {
  const parsed = SecurityPolicySchema.parse(policy);
  const profile = securityProfiles[parsed.profile] ?? mlpsProfile;
  const overridden = Object.keys(parsed.overrides).filter(
    (k) => (parsed.overrides as Record<string, unknown>)[k] !== undefined,
  ) as (keyof SecurityParameters)[];
  return {
    profile: profile.id,
    overridden,
    parameters: { ...profile.parameters, ...definedOnly(parsed.overrides) } as SecurityParameters,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}
