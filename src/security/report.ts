import type { ClauseId } from '../core/clauses.js';
import type { Severity } from '../core/rule.js';
import type { LocalizedText } from '../core/text.js';
import type { SecurityParameters } from './parameters.js';
import type { SnapshotSection, SubjectKind } from './rules.js';

/** How one subject fared in one check. `pass` subjects are counted, not listed. */
export type SubjectStatus = 'pass' | 'fail' | 'waived' | 'insufficient_data';

/** One subject that failed a check, was waived, or lacked the data the check needs. */
export interface AuditFinding {
  /** `ruleId|subject`: what a waiver names and what `diffReports` matches on. */
  readonly key: string;
  readonly ruleId: string;
  readonly clause: ClauseId;
  readonly severity: Severity;
  readonly status: Exclude<SubjectStatus, 'pass'>;
  readonly subject: { readonly kind: SubjectKind; readonly id: string };
  readonly message: LocalizedText;
  readonly remediation: LocalizedText;
  readonly details: Readonly<Record<string, unknown>>;
  /** For `waived`: the waiver that accepted it. */
  readonly waiver?: { readonly id: string; readonly expiresAt: string } | undefined;
  /** For `insufficient_data`: the fields or sections the snapshot lacks. */
  readonly missing?: readonly string[] | undefined;
}

/** The outcome of one check over the whole snapshot. */
export interface AuditCheckResult {
  readonly ruleId: string;
  readonly clause: ClauseId;
  readonly severity: Severity;
  readonly title: LocalizedText;
  /** Turned off by its parameter (a `null` maximum age, `threeAdminSeparation: false`). */
  readonly enabled: boolean;
  /** Snapshot sections the check needs and the snapshot does not have. */
  readonly missingSections: readonly SnapshotSection[];
  readonly pass: number;
  readonly fail: number;
  readonly waived: number;
  readonly insufficientData: number;
}

/** Findings of one severity and clause. */
export interface AuditFindingGroup {
  readonly severity: Severity;
  readonly clause: ClauseId;
  readonly ruleIds: readonly string[];
  readonly count: number;
}

/** A waiver as the report saw it at the audit instant. */
export interface WaiverUse {
  readonly id: string;
  readonly ruleId: string;
  readonly subject: string;
  readonly expiresAt: string;
  /** The effective state at the audit instant: an active waiver past its expiry is `expired`. */
  readonly state: 'requested' | 'active' | 'rejected' | 'expired' | 'revoked';
  /** Whether it suppressed a finding in this audit. */
  readonly applied: boolean;
}

/** The result of an audit. */
export interface AuditReport {
  /** The audit instant (ISO, UTC). */
  readonly at: string;
  readonly zone: string;
  /** The parameter profile and which parameters the policy overrode. */
  readonly profile: string;
  readonly overridden: readonly string[];
  readonly parameters: SecurityParameters;
  readonly summary: {
    readonly subjects: {
      readonly people: number;
      readonly accounts: number;
      readonly grants: number;
    };
    readonly findings: number;
    readonly waived: number;
    readonly insufficientData: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly byClause: Readonly<Partial<Record<ClauseId, number>>>;
  };
  /** Per check: counts by status. */
  readonly checks: readonly AuditCheckResult[];
  /** Findings grouped by severity (most serious first) and clause. */
  readonly groups: readonly AuditFindingGroup[];
  /** Status `fail`, most serious first, grouped by clause and rule. */
  readonly findings: readonly AuditFinding[];
  /** Status `waived`, listed apart. */
  readonly waived: readonly AuditFinding[];
  /** Status `insufficient_data`: the snapshot lacks what the check needs. */
  readonly insufficientData: readonly AuditFinding[];
  readonly waivers: readonly WaiverUse[];
}
