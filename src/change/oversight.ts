import { TZDate } from '@date-fns/tz';
import { text } from '../core/text.js';
import { type Violation, violation } from '../core/violation.js';
import type { Role } from '../org/roles.js';
import { type ChangePolicyLike, requiredApprovals } from './authority.js';
import type { ChangeRequest } from './model.js';
import type { ChangePolicy } from './policy.js';
import { changeRule } from './rules.js';

function changePolicyOf(policy: ChangePolicyLike): ChangePolicy {
  return 'authority' in policy ? policy : policy.change;
}

/** An approval stage waiting past the policy's timeout. */
export interface DueEscalation {
  readonly stage: string;
  readonly waitingSince: string;
  readonly overdueMs: number;
  readonly escalateTo: readonly Role[];
  readonly violation: Violation;
}

/**
 * The open approval stages of a change that have waited longer than the policy's timeout, each
 * to be escalated to the next level (3.3.3). A timeout never approves anything: this only
 * flags. Stages already flagged since they started waiting are not flagged again.
 *
 * @example
 * approvalEscalations(change, policy, clock.now()); // [{ stage: 'it_head', escalateTo: ['cio'], ... }]
 */
export function approvalEscalations(
  change: ChangeRequest,
  policy: ChangePolicyLike,
  now: Date,
): DueEscalation[] {
  const cp = changePolicyOf(policy);
  if (change.state !== 'awaiting_approval' && change.retrospectiveDueAt === undefined) return [];
  if (change.approvalRequestedAt === undefined) return [];
  const req = requiredApprovals(change, cp);
  if (req.complete || req.openStages.length === 0) return [];
  const openOrder = req.stages.find((s) => !s.complete)!.order;
  let since = Date.parse(change.approvalRequestedAt);
  for (const s of req.stages) {
    if (s.order >= openOrder) continue;
    for (const a of s.approvals) since = Math.max(since, Date.parse(a.at));
  }
  const timeout = cp.authority.approvalTimeoutHours * 3_600_000;
  const overdue = now.getTime() - since - timeout;
  if (overdue <= 0) return [];
  const next = req.stages.find((s) => s.order > openOrder);
  const out: DueEscalation[] = [];
  for (const s of req.stages) {
    if (!req.openStages.includes(s.id)) continue;
    const flagged = change.escalations.some(
      (e) => e.stage === s.id && Date.parse(e.waitingSince) >= since,
    );
    if (flagged) continue;
    const source = cp.authority.rules
      .find((r) => r.id === req.ruleId)
      ?.stages.find((x) => x.id === s.id);
    const escalateTo = source?.escalateTo ?? next?.roles ?? ['executive'];
    out.push({
      stage: s.id,
      waitingSince: new Date(since).toISOString(),
      overdueMs: overdue,
      escalateTo,
      violation: violation(
        changeRule.approvalTimeout,
        text(
          `「${s.title.zh}」已超时 ${Math.round(overdue / 60_000)} 分钟,升级至 ${escalateTo.join('、')}`,
          `${s.title.en} is ${Math.round(overdue / 60_000)} minutes overdue; escalated to ${escalateTo.join(', ')}`,
        ),
        { change: change.id, stage: s.id, escalateTo },
      ),
    });
  }
  return out;
}

/**
 * Findings on emergency changes (3.3.3): the full retrospective approval missing after its
 * deadline (default 24 h after the ops manager's approval), or given late.
 *
 * @example
 * emergencyFindings(changes, policy, clock.now()).map((v) => v.details?.change);
 */
export function emergencyFindings(
  changes: readonly ChangeRequest[],
  policy: ChangePolicyLike,
  now: Date,
): Violation[] {
  const cp = changePolicyOf(policy);
  const out: Violation[] = [];
  for (const c of changes) {
    if (c.type !== 'emergency' || c.retrospectiveDueAt === undefined) continue;
    const due = Date.parse(c.retrospectiveDueAt);
    const req = requiredApprovals(c, cp);
    if (!req.complete) {
      if (now.getTime() <= due) continue;
      out.push(
        violation(
          changeRule.emergencyRetrospective,
          text(
            `紧急变更 ${c.id} 未在 ${c.retrospectiveDueAt} 前补齐审批`,
            `Emergency change ${c.id} was not fully approved by ${c.retrospectiveDueAt}`,
          ),
          { change: c.id, dueAt: c.retrospectiveDueAt, missing: req.openStages },
        ),
      );
      continue;
    }
    let last = 0;
    for (const s of req.stages)
      for (const a of s.approvals) last = Math.max(last, Date.parse(a.at));
    if (last > due) {
      out.push(
        violation(
          changeRule.emergencyRetrospective,
          text(
            `紧急变更 ${c.id} 的补充审批晚于期限 ${c.retrospectiveDueAt}`,
            `Emergency change ${c.id} was approved retrospectively after the deadline ${c.retrospectiveDueAt}`,
          ),
          { change: c.id, dueAt: c.retrospectiveDueAt, completedAt: new Date(last).toISOString() },
        ),
      );
    }
  }
  return out;
}

/** The figures a regulator asks for, for one period. */
export interface PeriodFigures {
  /** `2026-03`, `2026-Q1` or `2026`. */
  readonly period: string;
  readonly from: string;
  readonly to: string;
  /** Changes dated in the period, rejected and cancelled ones left out. */
  readonly total: number;
  readonly emergency: number;
  /** `emergency / total`, or null without changes. */
  readonly emergencyShare: number | null;
  /** Changes whose implementation finished (succeeded or rolled back). */
  readonly implemented: number;
  readonly succeeded: number;
  readonly rolledBack: number;
  /** `succeeded / implemented`: implemented without rollback; null without implementations. */
  readonly successRate: number | null;
  /** Changes linked to incidents they caused. */
  readonly causedIncidents: number;
}

/** Options of `changeFigures`. */
export interface FiguresOptions {
  readonly from: string;
  readonly to: string;
  readonly period: 'month' | 'quarter' | 'year';
  /** Default Asia/Shanghai. */
  readonly timeZone?: string | undefined;
}

/**
 * The regulator's figures per period: share of emergency changes, change success rate
 * (implemented without rollback) and changes that caused incidents. A change is dated by the
 * start of its implementation, else by its planned window; periods are calendar periods in the
 * named time zone.
 *
 * @example
 * changeFigures(changes, { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', period: 'month' });
 */
export function changeFigures(
  changes: readonly ChangeRequest[],
  options: FiguresOptions,
): PeriodFigures[] {
  const tz = options.timeZone ?? 'Asia/Shanghai';
  const step = options.period === 'month' ? 1 : options.period === 'quarter' ? 3 : 12;
  const fromMs = Date.parse(options.from);
  const toMs = Date.parse(options.to);
  const start = new TZDate(fromMs, tz);
  let year = start.getFullYear();
  let month = Math.floor(start.getMonth() / step) * step;
  const out: PeriodFigures[] = [];
  for (;;) {
    const a = new TZDate(year, month, 1, tz).getTime();
    if (a >= toMs) break;
    const b = new TZDate(year, month + step, 1, tz).getTime();
    const label =
      options.period === 'month'
        ? `${year}-${String(month + 1).padStart(2, '0')}`
        : options.period === 'quarter'
          ? `${year}-Q${month / 3 + 1}`
          : `${year}`;
    let total = 0;
    let emergency = 0;
    let implemented = 0;
    let succeeded = 0;
    let rolledBack = 0;
    let causedIncidents = 0;
    for (const c of changes) {
      if (c.state === 'rejected' || c.state === 'cancelled') continue;
      const at = Date.parse(c.implementation?.startedAt ?? c.plan.windowStart);
      if (at < Math.max(a, fromMs) || at >= Math.min(b, toMs)) continue;
      total += 1;
      if (c.type === 'emergency') emergency += 1;
      const outcome = c.implementation?.outcome;
      if (outcome !== undefined) implemented += 1;
      if (outcome === 'succeeded') succeeded += 1;
      if (outcome === 'rolled_back') rolledBack += 1;
      if (c.linkedIncidentIds.length > 0) causedIncidents += 1;
    }
    out.push({
      period: label,
      from: new Date(a).toISOString(),
      to: new Date(b).toISOString(),
      total,
      emergency,
      emergencyShare: total === 0 ? null : emergency / total,
      implemented,
      succeeded,
      rolledBack,
      successRate: implemented === 0 ? null : succeeded / implemented,
      causedIncidents,
    });
    month += step;
    if (month >= 12) {
      month -= 12;
      year += 1;
    }
  }
  return out;
}
