import { z } from 'zod';
import { departmentKinds } from '../org/departments.js';

/**
 * An instant with an offset (`2026-03-31T09:00:00+08:00`, `...Z`), or a calendar date
 * (`2026-03-31`) read as the start of that day in the policy's time zone.
 */
export const SnapshotTimeSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** A time that may be known to be absent: `null` means "never" (never logged in, never changed). */
const maybeTime = SnapshotTimeSchema.nullable().optional();
const id = z.string().min(1);
const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);

/** Employment status of a person in the HR export. */
export const personStatuses = ['active', 'left', 'suspended'] as const;

/** A person from the HR system: the owner of accounts. */
export const SnapshotPersonSchema = z.object({
  id,
  name: z.string().optional(),
  department: z.string().optional(),
  departmentKind: z.enum(departmentKinds).optional(),
  status: z.enum(personStatuses),
  /** The leave date; a person with a leave date in the past has left whatever the status says. */
  leftAt: maybeTime,
});

/** What kind of account: a person's own, shared by several, a service's, a built-in default. */
export const accountTypes = ['personal', 'shared', 'service', 'default'] as const;

/** An account in one system. */
export const SnapshotAccountSchema = z.object({
  id,
  system: id,
  /** The owning person's id; `null` or absent when the account has no owner. */
  owner: z.string().nullable().optional(),
  type: z.enum(accountTypes),
  enabled: z.boolean(),
  createdAt: SnapshotTimeSchema.optional(),
  /** `null`: never logged in; absent: unknown. */
  lastLoginAt: maybeTime,
  /** `null`: the initial password was never changed; absent: unknown. */
  passwordChangedAt: maybeTime,
  mfa: z.boolean().optional(),
  /** Service accounts: whether interactive (console, RDP, SSH with a password) login is possible. */
  interactiveLogin: z.boolean().optional(),
  /** A dedicated administration account (CIS 5.4), as opposed to a person's daily-use account. */
  dedicatedAdmin: z.boolean().optional(),
  /** End date of a temporary account; `null` or absent: permanent. */
  expiresAt: SnapshotTimeSchema.nullable().optional(),
});

/** The three administrators of Chinese classified-protection practice (三权分立). */
export const adminKinds = ['system', 'security', 'audit'] as const;

/** A role (or group) in a system, and what it allows. */
export const SnapshotRoleSchema = z.object({
  id,
  system: z.string().optional(),
  name: z.string().optional(),
  privileged: z.boolean().optional(),
  permissions: z.array(z.string()).optional(),
  /** Which of the three administrator roles this is, if any. */
  adminKind: z.enum(adminKinds).optional(),
});

/** An account holding a role, or a permission granted to it directly. */
export const SnapshotGrantSchema = z
  .object({
    id: z.string().min(1).optional(),
    account: id,
    role: z.string().min(1).optional(),
    permission: z.string().min(1).optional(),
    grantedAt: SnapshotTimeSchema.optional(),
    grantedBy: z.string().optional(),
    /** `null`: never used; absent: unknown. */
    lastUsedAt: maybeTime,
    /** `null` or absent: standing (no expiry). */
    expiresAt: SnapshotTimeSchema.nullable().optional(),
  })
  .refine((g) => (g.role === undefined) !== (g.permission === undefined), {
    message: 'A grant names either a role or a permission',
    params: { zh: '授权须指定角色或权限之一' },
    path: ['role'],
  });

/** Roles that one person must not hold together, across all their accounts. */
export const SnapshotSodRuleSchema = z.object({
  id,
  title: z.string().optional(),
  roles: z.array(id).min(2),
});

/** A key, token, secret or certificate held by an account. */
export const SnapshotCredentialSchema = z.object({
  id,
  principal: id,
  kind: z.enum(['api_key', 'access_key', 'secret', 'token', 'ssh_key', 'certificate']),
  active: z.boolean(),
  createdAt: SnapshotTimeSchema,
  rotatedAt: maybeTime,
  lastUsedAt: maybeTime,
});

/** A system (application, database, host group) with its review and scan dates. */
export const SnapshotSystemSchema = z.object({
  id,
  name: z.string().optional(),
  lastAccessReviewAt: maybeTime,
  accessReviewPeriodDays: z.number().int().positive().optional(),
  lastVulnerabilityScanAt: maybeTime,
});

/** A patch that applies to a system. */
export const SnapshotPatchSchema = z.object({
  id,
  system: id,
  severity,
  releasedAt: SnapshotTimeSchema,
  installedAt: maybeTime,
});

/** A vulnerability found by a scan. */
export const SnapshotVulnerabilitySchema = z.object({
  id,
  system: id,
  severity,
  foundAt: SnapshotTimeSchema,
  fixedAt: maybeTime,
});

/** A backup job and its recent runs. */
export const SnapshotBackupJobSchema = z.object({
  id,
  system: z.string().optional(),
  /** The job's own recovery point objective, in hours; else the policy's. */
  rpoHours: z.number().positive().optional(),
  runs: z.array(z.object({ at: SnapshotTimeSchema, ok: z.boolean() })),
});

/** A test restore from a backup job. */
export const SnapshotRestoreTestSchema = z.object({
  job: id,
  at: SnapshotTimeSchema,
  ok: z.boolean(),
});

/** A data asset with its classification and encryption. */
export const SnapshotDataAssetSchema = z.object({
  id,
  name: z.string().optional(),
  classification: z.string().min(1),
  encryptedAtRest: z.boolean().optional(),
  encryptedInTransit: z.boolean().optional(),
});

/** A security policy document (5.1.1) and when it was last reviewed (5.1.2). */
export const SnapshotPolicyDocSchema = z.object({
  id,
  title: z.string().optional(),
  lastReviewedAt: maybeTime,
  reviewPeriodDays: z.number().int().positive().optional(),
});

/** A completed security training. */
export const SnapshotTrainingRecordSchema = z.object({
  person: id,
  course: z.string().optional(),
  completedAt: SnapshotTimeSchema,
});

/**
 * The inventory an auditor exports from HR, identity and operations systems. Every section but
 * `people` and `accounts` is optional; a check whose section is absent reports insufficient data.
 */
export const AuditSnapshotSchema = z.object({
  takenAt: SnapshotTimeSchema.optional(),
  people: z.array(SnapshotPersonSchema),
  accounts: z.array(SnapshotAccountSchema),
  systems: z.array(SnapshotSystemSchema).optional(),
  roles: z.array(SnapshotRoleSchema).optional(),
  grants: z.array(SnapshotGrantSchema).optional(),
  sodRules: z.array(SnapshotSodRuleSchema).optional(),
  credentials: z.array(SnapshotCredentialSchema).optional(),
  patches: z.array(SnapshotPatchSchema).optional(),
  vulnerabilities: z.array(SnapshotVulnerabilitySchema).optional(),
  backupJobs: z.array(SnapshotBackupJobSchema).optional(),
  restoreTests: z.array(SnapshotRestoreTestSchema).optional(),
  dataAssets: z.array(SnapshotDataAssetSchema).optional(),
  policies: z.array(SnapshotPolicyDocSchema).optional(),
  training: z.array(SnapshotTrainingRecordSchema).optional(),
});

export type SnapshotPerson = z.infer<typeof SnapshotPersonSchema>;
export type SnapshotAccount = z.infer<typeof SnapshotAccountSchema>;
export type AccountType = (typeof accountTypes)[number];
export type AdminKind = (typeof adminKinds)[number];
export type SnapshotRole = z.infer<typeof SnapshotRoleSchema>;
export type SnapshotGrant = z.infer<typeof SnapshotGrantSchema>;
export type SnapshotSodRule = z.infer<typeof SnapshotSodRuleSchema>;
export type SnapshotCredential = z.infer<typeof SnapshotCredentialSchema>;
export type SnapshotSystem = z.infer<typeof SnapshotSystemSchema>;
export type SnapshotPatch = z.infer<typeof SnapshotPatchSchema>;
export type SnapshotVulnerability = z.infer<typeof SnapshotVulnerabilitySchema>;
export type SnapshotBackupJob = z.infer<typeof SnapshotBackupJobSchema>;
export type SnapshotRestoreTest = z.infer<typeof SnapshotRestoreTestSchema>;
export type SnapshotDataAsset = z.infer<typeof SnapshotDataAssetSchema>;
export type SnapshotPolicyDoc = z.infer<typeof SnapshotPolicyDocSchema>;
export type SnapshotTraining = z.infer<typeof SnapshotTrainingRecordSchema>;
/** A validated audit snapshot. */
export type AuditSnapshot = z.infer<typeof AuditSnapshotSchema>;
/** What a caller may pass as a snapshot (before validation). */
export type AuditSnapshotInput = z.input<typeof AuditSnapshotSchema>;
