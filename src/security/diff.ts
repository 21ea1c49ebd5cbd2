import type { AuditFinding, AuditReport } from './report.js';

/** What changed between two audits, matched on each finding's key (rule and subject). */
export interface ReportDiff {
  /** Failing now, not failing before. */
  readonly new: readonly AuditFinding[];
  /** Failing before, not failing now (fixed, or now waived: see `nowWaived`). */
  readonly resolved: readonly AuditFinding[];
  /** Failing in both. */
  readonly persisting: readonly AuditFinding[];
  /** Failing before and waived now. */
  readonly nowWaived: readonly AuditFinding[];
  /** Waived before and failing now (the waiver expired or was revoked). */
  readonly waiverLapsed: readonly AuditFinding[];
}

/**
 * Compares two reports for periodic reviews: new, resolved and persisting findings. Linear in
 * the findings of both.
 *
 * @example
 * const d = diffReports(lastQuarter, thisQuarter);
 * d.new.length; // findings that appeared since
 */
export function diffReports(before: AuditReport, after: AuditReport): ReportDiff {
  const beforeFailing = new Map(before.findings.map((f) => [f.key, f]));
  const beforeWaived = new Set(before.waived.map((f) => f.key));
  const afterFailing = new Set(after.findings.map((f) => f.key));
  const fresh: AuditFinding[] = [];
  const persisting: AuditFinding[] = [];
  const waiverLapsed: AuditFinding[] = [];
  for (const f of after.findings) {
    if (beforeFailing.has(f.key)) persisting.push(f);
    else fresh.push(f);
    if (beforeWaived.has(f.key)) waiverLapsed.push(f);
  }
  const afterWaived = new Set(after.waived.map((f) => f.key));
  const resolved: AuditFinding[] = [];
  const nowWaived: AuditFinding[] = [];
  for (const f of before.findings) {
    if (afterFailing.has(f.key)) continue;
    resolved.push(f);
    if (afterWaived.has(f.key)) nowWaived.push(f);
  }
  return { new: fresh, resolved, persisting, nowWaived, waiverLapsed };
}
