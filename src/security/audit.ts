import { z } from 'zod';
import type { ClauseId } from '../core/clauses.js';
import { compareCodePoints } from '../core/code-point-order.js';
import {
  fromZodError,
  issuesUnder,
  type ValidationError,
  type ValidationIssue,
  validationError,
} from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { compareSeverity, type Severity, severities } from '../core/rule.js';
import { InstantSchema } from '../core/schemas.js';
import { text } from '../core/text.js';
import { type ActiveWaiver, Collector, runAccountChecks, runOperationalChecks } from './checks.js';
import { type AuditColumns, buildColumns, maxIssues } from './columns.js';
import {
  type AuditSnapshot,
  SnapshotAccountSchema,
  SnapshotBackupJobSchema,
  SnapshotCredentialSchema,
  SnapshotDataAssetSchema,
  SnapshotGrantSchema,
  SnapshotPatchSchema,
  SnapshotPersonSchema,
  SnapshotPolicyDocSchema,
  SnapshotRestoreTestSchema,
  SnapshotRoleSchema,
  SnapshotSodRuleSchema,
  SnapshotSystemSchema,
  SnapshotTimeSchema,
  SnapshotTrainingRecordSchema,
  SnapshotVulnerabilitySchema,
} from './model.js';
import {
  type ResolvedParameters,
  resolveParameters,
  type SecurityPolicyInput,
} from './parameters.js';
import type {
  AuditCheckResult,
  AuditFinding,
  AuditFindingGroup,
  AuditReport,
  WaiverUse,
} from './report.js';
import { type SnapshotSection, securityCheckList } from './rules.js';
import { dayCutoffs } from './time.js';

/** A waiver as an audit reads it: a stored waiver entity fits. */
export const AuditWaiverSchema = z.object({
  id: z.string().min(1),
  ruleId: z.string().min(1),
  subject: z.string().min(1),
  expiresAt: InstantSchema,
  state: z.enum(['requested', 'active', 'rejected', 'expired', 'revoked']).default('active'),
});

/** A waiver as an audit reads it. */
export type AuditWaiver = z.input<typeof AuditWaiverSchema>;

/** The policy an audit runs with: the whole policy (`{ security }`) or its security section. */
export type AuditPolicy =
  | { readonly security?: SecurityPolicyInput | undefined }
  | SecurityPolicyInput
  | ResolvedParameters;

/** Options of `audit`. */
export interface AuditOptions {
  /** Accepted exceptions; only those active at the audit instant suppress a finding. */
  readonly waivers?: readonly AuditWaiver[] | undefined;
  /**
   * The snapshot was already validated (by `validateSnapshot` or the consumer's own pipeline):
   * skip the per-record zod pass. The columnar build still checks every field it reads and
   * every reference, and reports problems as validation errors naming the record.
   */
  readonly validated?: boolean | undefined;
}

const sectionSchemas = {
  people: SnapshotPersonSchema,
  accounts: SnapshotAccountSchema,
  systems: SnapshotSystemSchema,
  roles: SnapshotRoleSchema,
  grants: SnapshotGrantSchema,
  sodRules: SnapshotSodRuleSchema,
  credentials: SnapshotCredentialSchema,
  patches: SnapshotPatchSchema,
  vulnerabilities: SnapshotVulnerabilitySchema,
  backupJobs: SnapshotBackupJobSchema,
  restoreTests: SnapshotRestoreTestSchema,
  dataAssets: SnapshotDataAssetSchema,
  policies: SnapshotPolicyDocSchema,
  training: SnapshotTrainingRecordSchema,
} as const;

const required = new Set(['people', 'accounts']);

/**
 * Validates a snapshot record by record with the zod schemas, without copying it: the issues
 * name the record (`accounts.1234.lastLoginAt`), at most 100 of them. Never throws.
 *
 * @example
 * const v = validateSnapshot(JSON.parse(file));
 * if (!v.ok) console.log(v.error.issues[0].path); // 'grants.17.lastUsedAt'
 */
export function validateSnapshot(input: unknown): Result<AuditSnapshot, ValidationError> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return err(
      validationError([
        {
          path: '',
          code: 'invalid_type',
          message: text('快照应为对象', 'The snapshot must be an object'),
        },
      ]),
    );
  }
  const snapshot = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const taken = SnapshotTimeSchema.optional().safeParse(snapshot.takenAt);
  if (!taken.success) issues.push(...issuesUnder(fromZodError(taken.error).issues, 'takenAt'));
  for (const [section, schema] of Object.entries(sectionSchemas)) {
    const value = snapshot[section];
    if (value === undefined && !required.has(section)) continue;
    if (!Array.isArray(value)) {
      issues.push({
        path: section,
        code: 'invalid_type',
        message: text('应为数组', 'Expected an array'),
      });
      continue;
    }
    for (let i = 0; i < value.length && issues.length < maxIssues; i++) {
      const parsed = (schema as z.ZodType).safeParse(value[i]);
      if (!parsed.success) {
        issues.push(...issuesUnder(fromZodError(parsed.error).issues, `${section}.${i}`));
      }
    }
  }
  if (issues.length > 0) return err(validationError(issues.slice(0, maxIssues)));
  return ok(input as AuditSnapshot);
}

/**
 * Resolves whatever policy form `audit` was given (the whole policy, its security section, or
 * parameters already resolved) to the profile and parameters the audit uses.
 *
 * @example
 * auditParameters(definePolicy({ security: { profile: 'cis-v8' } })).parameters.dormantDays; // 45
 */
export function auditParameters(policy: AuditPolicy | undefined): ResolvedParameters {
  if (policy === undefined) return resolveParameters();
  if ('parameters' in policy && 'overridden' in policy) return policy as ResolvedParameters;
  if ('security' in policy) return resolveParameters(policy.security ?? {});
  return resolveParameters(policy as SecurityPolicyInput);
}

/**
 * Builds the columnar layout of a snapshot once, for several audits (at several instants or
 * with different waivers) or to time the checks apart from the layout. Validation as in `audit`.
 *
 * @example
 * const cols = unwrap(prepareAudit(snapshot, policy));
 * const report = unwrap(auditColumns(cols, policy, '2026-03-31T09:00:00+08:00'));
 */
export function prepareAudit(
  snapshot: unknown,
  policy?: AuditPolicy,
  options: Pick<AuditOptions, 'validated'> = {},
): Result<AuditColumns, ValidationError> {
  const resolved = auditParameters(policy);
  let valid: AuditSnapshot;
  if (options.validated) {
    if (typeof snapshot !== 'object' || snapshot === null)
      return validateSnapshot(snapshot) as never;
    valid = snapshot as AuditSnapshot;
  } else {
    const v = validateSnapshot(snapshot);
    if (!v.ok) return v;
    valid = v.value;
  }
  const built = buildColumns(valid, resolved.parameters);
  if (built.issues.length > 0) return err(validationError(built.issues));
  return ok(built.columns);
}

/**
 * Audits a snapshot: validates it (per record with zod unless `validated`), builds the
 * columnar layout, runs every check, and returns the report. Pure: the instant is a parameter.
 * A malformed snapshot is a validation error naming the record; it never throws.
 *
 * @example
 * const r = audit(snapshot, definePolicy({ security: { profile: 'cis-v8' } }), '2026-03-31T09:00:00+08:00');
 * if (r.ok) console.log(renderAuditMarkdown(r.value));
 */
export function audit(
  snapshot: unknown,
  policy: AuditPolicy | undefined,
  at: Date | string,
  options: AuditOptions = {},
): Result<AuditReport, ValidationError> {
  const resolved = auditParameters(policy);
  const columns = prepareAudit(snapshot, resolved, options);
  if (!columns.ok) return columns;
  return auditColumns(columns.value, resolved, at, options);
}

/**
 * Runs every check over a prepared columnar layout (see `prepareAudit`).
 *
 * @example
 * auditColumns(cols, policy, new Date('2026-03-31T01:00:00Z'), { waivers });
 */
export function auditColumns(
  columns: AuditColumns,
  policy: AuditPolicy | undefined,
  at: Date | string,
  options: Pick<AuditOptions, 'waivers'> = {},
): Result<AuditReport, ValidationError> {
  const resolved = auditParameters(policy);
  const p = resolved.parameters;
  const when = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(when.getTime())) {
    return err(
      validationError([
        {
          path: 'at',
          code: 'invalid_format',
          message: text('审计时间无效', 'Invalid audit instant'),
        },
      ]),
    );
  }
  const waiverList: z.infer<typeof AuditWaiverSchema>[] = [];
  const issues: ValidationIssue[] = [];
  (options.waivers ?? []).forEach((w, i) => {
    const parsed = AuditWaiverSchema.safeParse(w);
    if (parsed.success) waiverList.push(parsed.data);
    else issues.push(...issuesUnder(fromZodError(parsed.error).issues, `waivers.${i}`));
  });
  if (issues.length > 0) return err(validationError(issues));
  const atMs = when.getTime();
  const active = new Map<string, ActiveWaiver>();
  const uses = waiverList.map((w) => {
    const expired = Date.parse(w.expiresAt) <= atMs;
    const state: WaiverUse['state'] = w.state === 'active' && expired ? 'expired' : w.state;
    if (state === 'active')
      active.set(`${w.ruleId}|${w.subject}`, { id: w.id, expiresAt: w.expiresAt });
    return { id: w.id, ruleId: w.ruleId, subject: w.subject, expiresAt: w.expiresAt, state };
  });

  const cut = dayCutoffs(when, p.zone);
  const out = new Collector(active);
  const s = columns.snapshot;
  const present = (section: SnapshotSection) => s[section] !== undefined;
  const runSod = present('grants') && present('roles') && present('sodRules');
  const runThreeAdmin = p.threeAdminSeparation && present('grants') && present('roles');
  const opIssues: ValidationIssue[] = [];
  runAccountChecks(columns, p, cut, out, runSod, runThreeAdmin, (path) => {
    if (opIssues.length < maxIssues) {
      opIssues.push({
        path,
        code: 'invalid_format',
        message: text('时间格式无效', 'Invalid date or time'),
      });
    }
  });
  runOperationalChecks(columns, p, cut, out, (path, code, zh, en) => {
    if (opIssues.length < maxIssues) opIssues.push({ path, code, message: text(zh, en) });
  });
  if (opIssues.length > 0) return err(validationError(opIssues));

  // Checks ordered most serious first, then by clause and id: findings come out grouped.
  const order = securityCheckList
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        compareSeverity(b.c.severity, a.c.severity) ||
        compareClause(a.c.clauses[0], b.c.clauses[0]) ||
        compareCodePoints(a.c.id, b.c.id),
    );
  const findings: AuditFinding[] = [];
  const waived: AuditFinding[] = [];
  const insufficientData: AuditFinding[] = [];
  const checks: AuditCheckResult[] = [];
  const groups: AuditFindingGroup[] = [];
  const bySeverity = Object.fromEntries(severities.map((x) => [x, 0])) as Record<Severity, number>;
  const byClause: Partial<Record<ClauseId, number>> = {};
  for (const { c, i } of order) {
    for (const f of out.failed[i]!) findings.push(f);
    for (const f of out.waived[i]!) waived.push(f);
    for (const f of out.missing[i]!) insufficientData.push(f);
    const fail = out.counts[i * 4 + 1]!;
    bySeverity[c.severity] += fail;
    const clause = c.clauses[0];
    if (fail > 0) {
      byClause[clause] = (byClause[clause] ?? 0) + fail;
      const last = groups[groups.length - 1];
      if (last && last.severity === c.severity && last.clause === clause) {
        groups[groups.length - 1] = {
          ...last,
          ruleIds: [...last.ruleIds, c.id],
          count: last.count + fail,
        };
      } else groups.push({ severity: c.severity, clause, ruleIds: [c.id], count: fail });
    }
  }
  for (let i = 0; i < securityCheckList.length; i++) {
    const c = securityCheckList[i]!;
    checks.push({
      ruleId: c.id,
      clause: c.clauses[0],
      severity: c.severity,
      title: c.title,
      enabled: isEnabled(c.id, p),
      missingSections: c.needs.filter((n) => !present(n)),
      pass: out.counts[i * 4]!,
      fail: out.counts[i * 4 + 1]!,
      waived: out.counts[i * 4 + 2]!,
      insufficientData: out.counts[i * 4 + 3]!,
    });
  }
  return ok({
    at: when.toISOString(),
    zone: p.zone,
    profile: resolved.profile,
    overridden: resolved.overridden,
    parameters: p,
    summary: {
      subjects: {
        people: columns.personCount,
        accounts: columns.accountCount,
        grants: columns.grantOrder.length,
      },
      findings: findings.length,
      waived: waived.length,
      insufficientData: insufficientData.length,
      bySeverity,
      byClause,
    },
    checks,
    groups,
    findings,
    waived,
    insufficientData,
    waivers: uses.map((u) => ({ ...u, applied: out.appliedWaivers.has(u.id) })),
  });
}

function isEnabled(ruleId: string, p: ResolvedParameters['parameters']): boolean {
  if (ruleId === 'security.password.max_age') return p.passwordMaxAgeDays !== null;
  if (ruleId === 'security.sod.three_admin') return p.threeAdminSeparation;
  if (ruleId === 'security.privileged.standing') return p.forbidStandingPrivilege;
  return true;
}

/** Orders clause ids numerically (`5.3.2` before `5.10.1`). */
function compareClause(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
