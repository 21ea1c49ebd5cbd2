import { z } from 'zod';
import { NonEmptyTextSchema } from '../core/schemas.js';
import { text } from '../core/text.js';
import { type Violation, violation } from '../core/violation.js';
import { type CommandDefinition, defineWorkflow, type Guard } from '../core/workflow/definition.js';
import { IncidentIdSchema } from '../incident/id.js';
import { type Actor, actorRef } from '../org/actor.js';
import type { Role } from '../org/roles.js';
import {
  canApprove,
  isValidApproval,
  requiredApprovals,
  standardTemplateViolations,
} from './authority.js';
import { scheduleConflicts } from './calendar.js';
import { contentFingerprint } from './fingerprint.js';
import {
  type ApprovalRecord,
  ChangeAmendmentSchema,
  type ChangeRequest,
  type ChangeState,
  RiskAnswersSchema,
} from './model.js';
import { approvalEscalations } from './oversight.js';
import type { ApproverDirectory, ChangePolicy } from './policy.js';
import { assessRisk, needsRiskMeasures } from './risk.js';
import { changeRule } from './rules.js';
import { separationConflicts } from './separation.js';

/**
 * What the change workflow decides with besides the entity and the actor: the change policy,
 * the approver directory, and the other scheduled changes for the overlap check.
 */
export interface ChangeEnv {
  readonly change: ChangePolicy;
  readonly directory?: ApproverDirectory | undefined;
  /** Changes approved or being implemented, for the overlap check; empty skips it. */
  readonly schedule: readonly ChangeRequest[];
}

type G = Guard<ChangeRequest, ChangeEnv>;

const retroStates: readonly ChangeState[] = [
  'approved',
  'implementing',
  'implemented',
  'rolled_back',
  'verified',
  'confirmed',
];
const editableStates: readonly ChangeState[] = [
  'submitted',
  'rework',
  'pre_reviewed',
  'evaluated',
  'awaiting_approval',
  'approved',
];

const ref = (a: Actor) => actorRef(a);
/** The targets of a command that records something and leaves the state as it is. */
const stays = (from: ChangeState): readonly ChangeState[] => [from];

function notApplicable(what: string): Violation {
  return violation(
    changeRule.typeNotApplicable,
    text(`此类变更不适用:${what}`, `Does not apply to this type of change: ${what}`),
  );
}

const normalOnly: G = {
  rule: changeRule.typeNotApplicable,
  check: (c) => (c.type === 'normal' ? undefined : notApplicable(c.type)),
};

const requesterOnly = (rule = changeRule.separation): G => ({
  rule,
  kind: 'forbidden',
  check: (c, a) =>
    c.requester.id === a.id
      ? undefined
      : violation(rule, text('只有申请人可以执行此操作', 'Only the requester may do this'), {
          actor: a.id,
          requester: c.requester.id,
        }),
});

const sod = (duty: 'pre_reviewer' | 'implementer' | 'verifier'): G => ({
  rule: changeRule.separation,
  kind: 'forbidden',
  check: (c, a, ctx) => separationConflicts(c, a.id, duty, ctx.policy),
});

const approvalAuthority: G = {
  rule: changeRule.approveNoAuthority,
  kind: 'forbidden',
  check: (c, a, ctx) => {
    const d = canApprove(a, c, ctx.policy, ctx.now, { directory: ctx.policy.directory });
    return d.allowed ? undefined : d.explanation!.violations;
  },
};

const scheduleOk: G = {
  rule: changeRule.freeze,
  check: (c, _a, ctx) =>
    c.state === 'awaiting_approval' ||
    c.state === 'evaluated' ||
    c.state === 'approved' ||
    c.state === 'submitted'
      ? scheduleConflicts(c, ctx.policy.schedule, ctx.policy.change)
      : undefined,
};

/**
 * What still stands between a change and its implementation on the approval side: a standard
 * change must match its template, an emergency needs the ops manager's approval, any other
 * change every approval its risk requires (3.3.3, 3.3.4). Empty when it may go ahead.
 *
 * @example
 * implementationAuthorized(change, policy.change); // [] or [change.approval.incomplete ...]
 */
export function implementationAuthorized(c: ChangeRequest, policy: ChangePolicy): Violation[] {
  if (c.type === 'standard') return standardTemplateViolations(c, policy);
  if (c.type === 'emergency') {
    const emergency = c.approvals.some((a) => a.stage === 'emergency' && isValidApproval(a, c));
    if (emergency) return [];
  }
  return requiredApprovals(c, policy).violations.slice();
}

function completesWithOneMore(c: ChangeRequest, env: ChangeEnv): boolean {
  const req = requiredApprovals(c, env);
  if (req.complete) return true;
  const incomplete = req.stages.filter((s) => !s.complete);
  return incomplete.length === 1 && incomplete[0]!.needed - incomplete[0]!.approvals.length === 1;
}

function invalidate(
  approvals: readonly ApprovalRecord[],
  at: string,
  keep: (a: ApprovalRecord) => boolean,
  reason: { zh: string; en: string },
  fields: string[],
): ApprovalRecord[] {
  return approvals.map((a) =>
    a.invalidated !== undefined || keep(a) ? a : { ...a, invalidated: { at, reason, fields } },
  );
}

/** Types a command definition of the change workflow, so that its callbacks are checked. */
function cmd<I>(
  definition: CommandDefinition<ChangeRequest, ChangeEnv, I>,
): CommandDefinition<ChangeRequest, ChangeEnv, I> {
  return definition;
}

const DecisionNote = z.string().trim().min(1).optional();

/** The commands of the change workflow, one per step of 3.3. */
const changeCommands = {
  pre_review: cmd({
    title: text('预审', 'Pre-review'),
    clause: '3.3.1',
    from: ['submitted'],
    to: (_c, input) => (input.outcome === 'accept' ? 'pre_reviewed' : 'rework'),
    targets: ['pre_reviewed', 'rework'],
    roles: (p) => p.change.roles.preReview,
    input: z.object({ outcome: z.enum(['accept', 'rework']), note: DecisionNote }).strict(),
    guards: [normalOnly, sod('pre_reviewer')],
    apply: (_c, input, actor, ctx) => ({
      preReview: {
        by: ref(actor),
        at: ctx.now.toISOString(),
        outcome: input.outcome === 'accept' ? 'accepted' : 'rework',
        ...(input.note ? { note: input.note } : {}),
      },
    }),
  }),
  resubmit: cmd({
    title: text('重新提交', 'Resubmit'),
    clause: '3.3.1',
    from: ['rework'],
    to: 'submitted',
    roles: 'anyone',
    guards: [requesterOnly()],
  }),
  amend: cmd({
    title: text('修改变更内容', 'Amend the change'),
    clause: '3.3.3',
    from: editableStates,
    to: (c, input) => {
      if (c.state !== 'approved') return c.state;
      const next = { plan: input.plan ?? c.plan, scope: input.scope ?? c.scope };
      if (contentFingerprint(next) === contentFingerprint(c)) return c.state;
      return c.type === 'normal' ? 'awaiting_approval' : 'submitted';
    },
    // A content change to an approved change sends it back for approval; anything else stays.
    targets: (from) => (from === 'approved' ? [from, 'awaiting_approval', 'submitted'] : [from]),
    roles: 'anyone',
    input: ChangeAmendmentSchema,
    guards: [requesterOnly()],
    check: (c, input, _a, ctx) => {
      const next = { ...c, ...definedOf(input) } as ChangeRequest;
      if (next.plan.implementer.id === c.plan.implementer.id) return undefined;
      return separationConflicts(next, next.plan.implementer.id, 'implementer', ctx.policy);
    },
    apply: (c, input, _a, ctx) => {
      const patch = definedOf(input) as Partial<ChangeRequest>;
      const next = { plan: input.plan ?? c.plan, scope: input.scope ?? c.scope };
      const fp = contentFingerprint(next);
      if (fp === contentFingerprint(c)) return patch;
      const fields = [input.plan ? 'plan' : '', input.scope ? 'scope' : ''].filter(Boolean);
      const restart =
        c.state === 'awaiting_approval' || c.state === 'approved'
          ? { approvalRequestedAt: ctx.now.toISOString() }
          : {};
      return {
        ...patch,
        ...restart,
        revision: c.revision + 1,
        approvals: invalidate(
          c.approvals,
          ctx.now.toISOString(),
          (a) => a.decision === 'rejected',
          text(
            `审批后修改了${fields.join('、')},原审批失效`,
            `The ${fields.join(' and ')} changed after this approval`,
          ),
          fields,
        ),
      };
    },
    unlocks: ['plan', 'scope'],
    eventData: (next) => {
      const voided = next.approvals.filter((a) => a.invalidated?.at === next.updatedAt);
      return voided.length === 0
        ? {}
        : {
            invalidated: voided.map((a) =>
              violation(changeRule.approvalInvalidated, a.invalidated!.reason, {
                stage: a.stage,
                by: a.by.id,
                fields: a.invalidated!.fields,
              }),
            ),
          };
    },
  }),
  evaluate: cmd({
    title: text('评估', 'Evaluate'),
    clause: '3.3.2',
    from: ['submitted', 'pre_reviewed', 'evaluated', ...retroStates],
    to: (c) => (c.state === 'pre_reviewed' || c.state === 'evaluated' ? 'evaluated' : c.state),
    targets: (from) => (from === 'pre_reviewed' || from === 'evaluated' ? ['evaluated'] : [from]),
    roles: (p) => p.change.roles.evaluate,
    input: z
      .object({
        answers: RiskAnswersSchema,
        technicalFeasibility: NonEmptyTextSchema,
        businessImpact: NonEmptyTextSchema,
        riskMeasures: z.array(NonEmptyTextSchema).optional(),
      })
      .strict(),
    guards: [
      {
        rule: changeRule.preReviewFirst,
        check: (c) => {
          if (c.type === 'standard') return notApplicable('standard');
          if (c.type === 'normal') {
            return c.state === 'pre_reviewed' || c.state === 'evaluated'
              ? undefined
              : violation(changeRule.preReviewFirst);
          }
          return undefined;
        },
      },
    ],
    check: (_c, input, _a, ctx) => {
      const r = assessRisk(input.answers, ctx.policy.change.risk);
      return r.ok
        ? undefined
        : violation(changeRule.evaluationRequired, r.error.message, { issues: r.error.issues });
    },
    apply: (c, input, actor, ctx) => {
      const r = assessRisk(input.answers, ctx.policy.change.risk);
      if (!r.ok) return {};
      return {
        evaluation: {
          by: ref(actor),
          at: ctx.now.toISOString(),
          answers: input.answers,
          risk: r.value,
          technicalFeasibility: input.technicalFeasibility,
          businessImpact: input.businessImpact,
          riskMeasures: input.riskMeasures ?? [],
          ...(c.retrospectiveDueAt !== undefined ? { retrospective: true } : {}),
        },
      };
    },
  }),
  submit_for_approval: cmd({
    title: text('提交审批', 'Submit for approval'),
    clause: '3.3.3',
    from: ['evaluated'],
    to: 'awaiting_approval',
    roles: 'anyone',
    guards: [
      {
        rule: changeRule.separation,
        kind: 'forbidden',
        check: (c, a, ctx) =>
          c.requester.id === a.id ||
          a.roles.some((r) => ctx.policy.change.roles.preReview.includes(r))
            ? undefined
            : violation(
                changeRule.separation,
                text(
                  '只有申请人或运维经理可以提交审批',
                  'Only the requester or the ops manager may submit',
                ),
              ),
      },
      {
        rule: changeRule.riskMeasures,
        check: (c) =>
          c.evaluation &&
          needsRiskMeasures(c.evaluation.risk.level) &&
          c.evaluation.riskMeasures.length === 0
            ? violation(changeRule.riskMeasures, undefined, { risk: c.evaluation.risk.level })
            : undefined,
      },
      {
        rule: changeRule.approveNoRule,
        check: (c, _a, ctx) =>
          requiredApprovals(c, ctx.policy).violations.filter(
            (v) => v.ruleId === changeRule.approveNoRule.id,
          ),
      },
      scheduleOk,
    ],
    apply: (_c, _i, _a, ctx) => ({ approvalRequestedAt: ctx.now.toISOString() }),
  }),
  approve: cmd({
    title: text('审批通过', 'Approve'),
    clause: '3.3.3',
    from: ['awaiting_approval', ...retroStates],
    to: (c, _i, ctx) =>
      c.state === 'awaiting_approval' && completesWithOneMore(c, ctx.policy) ? 'approved' : c.state,
    targets: (from) => (from === 'awaiting_approval' ? ['approved', from] : [from]),
    roles: 'anyone',
    input: z
      .object({ stage: z.string().min(1).optional(), note: DecisionNote })
      .strict()
      .optional(),
    guards: [approvalAuthority, scheduleOk],
    check: (c, input, actor, ctx) => {
      if (input?.stage === undefined) return undefined;
      const d = canApprove(actor, c, ctx.policy, ctx.now, {
        directory: ctx.policy.directory,
        stage: input.stage,
      });
      return d.allowed ? undefined : d.explanation!.violations;
    },
    apply: (c, input, actor, ctx) => {
      const d = canApprove(actor, c, ctx.policy, ctx.now, {
        directory: ctx.policy.directory,
        stage: input?.stage,
        explain: 'never',
      });
      const delegation = d.delegationId
        ? [
            ...(ctx.policy.change.authority.delegations ?? []),
            ...(ctx.policy.directory?.delegations ?? []),
          ].find((x) => x.id === d.delegationId)
        : undefined;
      const record: ApprovalRecord = {
        stage: d.stage!,
        ruleId: d.ruleId!,
        decision: 'approved',
        by: ref(actor),
        at: ctx.now.toISOString(),
        fingerprint: contentFingerprint(c),
        ...(d.onBehalfOf
          ? {
              onBehalfOf: { id: d.onBehalfOf, name: delegation?.fromName ?? d.onBehalfOf },
              delegationId: d.delegationId,
            }
          : {}),
        ...(input?.note ? { note: input.note } : {}),
      };
      return { approvals: [...c.approvals, record] };
    },
    eventData: (next) => ({ approval: next.approvals[next.approvals.length - 1] }),
  }),
  reject: cmd({
    title: text('驳回', 'Reject'),
    clause: '3.3.3',
    from: ['awaiting_approval'],
    to: (_c, input) => (input.outcome === 'end' ? 'rejected' : 'rework'),
    targets: ['rejected', 'rework'],
    roles: 'anyone',
    input: z.object({ outcome: z.enum(['end', 'rework']), reason: NonEmptyTextSchema }).strict(),
    guards: [approvalAuthority],
    apply: (c, input, actor, ctx) => {
      const d = canApprove(actor, c, ctx.policy, ctx.now, {
        directory: ctx.policy.directory,
        explain: 'never',
      });
      const at = ctx.now.toISOString();
      const record: ApprovalRecord = {
        stage: d.stage ?? 'unknown',
        ruleId: d.ruleId ?? 'unknown',
        decision: 'rejected',
        by: ref(actor),
        at,
        fingerprint: contentFingerprint(c),
        note: input.reason,
        ...(d.onBehalfOf ? { onBehalfOf: { id: d.onBehalfOf, name: d.onBehalfOf } } : {}),
      };
      const approvals =
        input.outcome === 'rework'
          ? invalidate(
              c.approvals,
              at,
              () => false,
              text('变更被退回修改,原审批失效', 'The change was sent back for rework'),
              ['rework'],
            )
          : c.approvals.slice();
      approvals.push(record);
      return { approvals };
    },
  }),
  escalate: cmd({
    title: text('超时升级', 'Escalate overdue approval'),
    clause: '3.3.3',
    from: ['awaiting_approval', ...retroStates],
    to: (c) => c.state,
    targets: stays,
    roles: 'anyone',
    guards: [
      {
        rule: changeRule.approvalTimeout,
        check: (c, _a, ctx) =>
          approvalEscalations(c, ctx.policy, ctx.now).length > 0
            ? undefined
            : violation(
                changeRule.approvalTimeout,
                text('没有超时的审批', 'No approval is overdue'),
              ),
      },
    ],
    apply: (c, _i, _a, ctx) => ({
      escalations: [
        ...c.escalations,
        ...approvalEscalations(c, ctx.policy, ctx.now).map((e) => ({
          stage: e.stage,
          at: ctx.now.toISOString(),
          waitingSince: e.waitingSince,
          escalateTo: e.escalateTo,
        })),
      ],
    }),
  }),
  emergency_approve: cmd({
    title: text('紧急变更批准', 'Approve as an emergency'),
    clause: '3.3.3',
    from: ['submitted'],
    to: 'approved',
    roles: (p) => p.change.roles.emergencyApprove,
    input: z.object({ note: DecisionNote }).strict().optional(),
    guards: [
      {
        rule: changeRule.typeNotApplicable,
        check: (c) => (c.type === 'emergency' ? undefined : notApplicable(c.type)),
      },
      {
        rule: changeRule.approveSelf,
        kind: 'forbidden',
        check: (c, a, ctx) => {
          if (c.requester.id === a.id) return violation(changeRule.approveSelf);
          return separationConflicts(c, a.id, 'approver', ctx.policy);
        },
      },
    ],
    apply: (c, input, actor, ctx) => {
      const at = ctx.now.toISOString();
      const hours = ctx.policy.change.emergency.retrospectiveHours;
      return {
        approvals: [
          ...c.approvals,
          {
            stage: 'emergency',
            ruleId: 'emergency',
            decision: 'approved',
            by: ref(actor),
            at,
            fingerprint: contentFingerprint(c),
            ...(input?.note ? { note: input.note } : {}),
          },
        ],
        approvalRequestedAt: at,
        retrospectiveDueAt: new Date(ctx.now.getTime() + hours * 3_600_000).toISOString(),
      };
    },
  }),
  authorize_standard: cmd({
    title: text('按标准模板批准', 'Authorise as a standard change'),
    clause: '3.3.3',
    from: ['submitted'],
    to: 'approved',
    roles: (p) => [...new Set<Role>([...p.change.roles.preReview, ...p.change.roles.implement])],
    guards: [
      {
        rule: changeRule.standardTemplate,
        check: (c, _a, ctx) =>
          c.type === 'standard'
            ? standardTemplateViolations(c, ctx.policy.change)
            : notApplicable(c.type),
      },
      scheduleOk,
    ],
  }),
  start_implementation: cmd({
    title: text('开始实施', 'Start implementation'),
    clause: '3.3.4',
    from: ['approved'],
    to: 'implementing',
    roles: (p) => p.change.roles.implement,
    input: z.object({ backupConfirmed: z.boolean(), backupReference: NonEmptyTextSchema }).strict(),
    guards: [
      {
        rule: changeRule.implementer,
        kind: 'forbidden',
        check: (c, a) =>
          c.plan.implementer.id === a.id
            ? undefined
            : violation(changeRule.implementer, undefined, {
                actor: a.id,
                implementer: c.plan.implementer.id,
              }),
      },
      sod('implementer'),
      {
        rule: changeRule.approvalsIncomplete,
        check: (c, _a, ctx) => implementationAuthorized(c, ctx.policy.change),
      },
      {
        rule: changeRule.window,
        check: (c, _a, ctx) => {
          const t = ctx.now.getTime();
          return t >= Date.parse(c.plan.windowStart) && t < Date.parse(c.plan.windowEnd)
            ? undefined
            : violation(changeRule.window, undefined, {
                now: ctx.now.toISOString(),
                windowStart: c.plan.windowStart,
                windowEnd: c.plan.windowEnd,
              });
        },
      },
      {
        rule: changeRule.rollbackPlan,
        check: (c) =>
          c.rollbackPlan.trim() === '' ? violation(changeRule.rollbackPlan) : undefined,
      },
      scheduleOk,
    ],
    check: (_c, input) => (input.backupConfirmed ? undefined : violation(changeRule.backup)),
    apply: (_c, input, actor, ctx) => ({
      implementation: {
        startedAt: ctx.now.toISOString(),
        by: ref(actor),
        backupConfirmed: true as const,
        backupReference: input.backupReference,
        log: [],
      },
    }),
  }),
  log_step: cmd({
    title: text('记录实施步骤', 'Log a step'),
    clause: '3.3.4',
    from: ['implementing'],
    to: 'implementing',
    roles: (p) => p.change.roles.implement,
    input: z.object({ step: NonEmptyTextSchema, result: NonEmptyTextSchema }).strict(),
    guards: [implementerOnly()],
    apply: (c, input, actor, ctx) => ({
      implementation: {
        ...c.implementation!,
        log: [
          ...c.implementation!.log,
          { at: ctx.now.toISOString(), by: ref(actor), step: input.step, result: input.result },
        ],
      },
    }),
  }),
  finish_implementation: cmd({
    title: text('完成实施', 'Finish implementation'),
    clause: '3.3.4',
    from: ['implementing'],
    to: (_c, input) => (input.outcome === 'succeeded' ? 'implemented' : 'rolled_back'),
    targets: ['implemented', 'rolled_back'],
    roles: (p) => p.change.roles.implement,
    input: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('succeeded') }).strict(),
      z.object({ outcome: z.literal('rolled_back'), reason: NonEmptyTextSchema }).strict(),
    ]),
    guards: [implementerOnly()],
    apply: (c, input, _a, ctx) => ({
      implementation: {
        ...c.implementation!,
        finishedAt: ctx.now.toISOString(),
        outcome: input.outcome,
        ...(input.outcome === 'rolled_back' ? { rollbackReason: input.reason } : {}),
      },
    }),
  }),
  rollback: cmd({
    title: text('回退', 'Roll back'),
    clause: '3.3.4',
    from: ['implemented'],
    to: 'rolled_back',
    roles: (p) => p.change.roles.implement,
    input: z.object({ reason: NonEmptyTextSchema }).strict(),
    apply: (c, input, _a, ctx) => ({
      implementation: {
        ...c.implementation!,
        finishedAt: c.implementation!.finishedAt ?? ctx.now.toISOString(),
        outcome: 'rolled_back' as const,
        rollbackReason: input.reason,
      },
    }),
  }),
  verify: cmd({
    title: text('验证', 'Verify'),
    clause: '3.3.5',
    from: ['implemented'],
    to: 'verified',
    roles: (p) => p.change.roles.verify,
    input: z
      .object({
        testResults: NonEmptyTextSchema,
        expectedEffectMet: z.boolean(),
        noAdverseImpact: z.boolean(),
      })
      .strict(),
    guards: [sod('verifier')],
    check: (_c, input) =>
      input.expectedEffectMet && input.noAdverseImpact
        ? undefined
        : violation(changeRule.verification, undefined, {
            expectedEffectMet: input.expectedEffectMet,
            noAdverseImpact: input.noAdverseImpact,
          }),
    apply: (_c, input, actor, ctx) => ({
      verification: {
        by: ref(actor),
        at: ctx.now.toISOString(),
        testResults: input.testResults,
        expectedEffectMet: true as const,
        noAdverseImpact: true as const,
      },
    }),
  }),
  confirm: cmd({
    title: text('业务确认', 'Confirm (business)'),
    clause: '3.3.5',
    from: ['verified'],
    to: 'confirmed',
    roles: 'anyone',
    input: z.object({ note: NonEmptyTextSchema }).strict(),
    guards: [
      {
        rule: changeRule.businessConfirmation,
        kind: 'forbidden',
        check: (c, a) =>
          a.departmentKind === 'business' && c.scope.departments.includes(a.department)
            ? undefined
            : violation(changeRule.businessConfirmation, undefined, {
                actor: a.id,
                department: a.department,
                departments: c.scope.departments,
              }),
      },
    ],
    apply: (c, input, actor, ctx) => ({
      verification: {
        ...c.verification!,
        confirmation: {
          by: ref(actor),
          department: actor.department,
          at: ctx.now.toISOString(),
          note: input.note,
        },
      },
    }),
  }),
  close: cmd({
    title: text('关闭归档', 'Close out'),
    clause: '3.3.6',
    from: ['confirmed', 'rolled_back'],
    to: 'closed',
    roles: (p) => p.change.roles.close,
    input: z.object({ review: NonEmptyTextSchema }).strict(),
    guards: [
      {
        rule: changeRule.archive,
        check: (c, _a, ctx) => {
          const missing = archiveChecklist(c, ctx.policy.change)
            .filter((i) => !i.present)
            .map((i) => i.item);
          return missing.length === 0
            ? undefined
            : violation(
                changeRule.archive,
                text(
                  `归档资料缺少:${missing.join('、')}`,
                  `The archive lacks: ${missing.join(', ')}`,
                ),
                { missing },
              );
        },
      },
    ],
    apply: (c, input, actor, ctx) => ({
      closeOut: {
        by: ref(actor),
        at: ctx.now.toISOString(),
        review: input.review,
        archive: archiveChecklist(c, ctx.policy.change).map((i) => i.item),
      },
    }),
  }),
  cancel: cmd({
    title: text('撤销', 'Cancel'),
    clause: '3.3.1',
    from: ['submitted', 'rework', 'pre_reviewed', 'evaluated', 'awaiting_approval', 'approved'],
    to: 'cancelled',
    roles: 'anyone',
    guards: [requesterOnly()],
  }),
  link_incident: cmd({
    title: text('关联引发的事件', 'Link an incident it caused'),
    clause: '3.3.6',
    from: ['implementing', 'implemented', 'rolled_back', 'verified', 'confirmed', 'closed'],
    to: (c) => c.state,
    targets: stays,
    roles: 'anyone',
    input: z.object({ incidentId: IncidentIdSchema }).strict(),
    apply: (c, input) => ({
      linkedIncidentIds: c.linkedIncidentIds.includes(input.incidentId)
        ? c.linkedIncidentIds
        : [...c.linkedIncidentIds, input.incidentId],
    }),
  }),
};

/** The change lifecycle (3.3.1 to 3.3.6) as data. */
export const changeWorkflow = defineWorkflow<ChangeRequest, ChangeEnv, typeof changeCommands>({
  id: 'change',
  title: text('变更', 'Change'),
  initial: 'submitted',
  states: {
    submitted: { title: text('已提交', 'Submitted') },
    rework: { title: text('退回修改', 'Sent back for rework') },
    pre_reviewed: { title: text('已预审', 'Pre-reviewed'), required: ['preReview'] },
    evaluated: { title: text('已评估', 'Evaluated'), required: ['evaluation'] },
    awaiting_approval: {
      title: text('待审批', 'Awaiting approval'),
      required: ['evaluation', 'approvalRequestedAt'],
    },
    approved: { title: text('已批准', 'Approved') },
    implementing: {
      title: text('实施中', 'Implementing'),
      required: ['implementation'],
      readonly: ['plan', 'scope'],
    },
    implemented: { title: text('已实施', 'Implemented'), readonly: ['plan', 'scope'] },
    rolled_back: { title: text('已回退', 'Rolled back'), readonly: ['plan', 'scope'] },
    verified: {
      title: text('已验证', 'Verified'),
      required: ['verification'],
      readonly: ['plan', 'scope'],
    },
    confirmed: {
      title: text('业务已确认', 'Confirmed by the business'),
      readonly: ['plan', 'scope'],
    },
    closed: {
      title: text('已关闭', 'Closed'),
      required: ['closeOut'],
      readonly: ['plan', 'scope'],
    },
    rejected: { title: text('已驳回', 'Rejected'), terminal: true },
    cancelled: { title: text('已撤销', 'Cancelled'), terminal: true },
  },
  // What a person calls each field a state requires or locks, for the messages that name it.
  fields: {
    preReview: text('预审意见', 'Pre-review'),
    evaluation: text('评估报告', 'Evaluation report'),
    approvalRequestedAt: text('提交审批时间', 'Time submitted for approval'),
    implementation: text('实施记录', 'Implementation record'),
    verification: text('验证结果', 'Verification result'),
    closeOut: text('收尾归档记录', 'Close-out record'),
    plan: text('实施方案', 'Implementation plan'),
    scope: text('影响范围', 'Scope of impact'),
  },
  commands: changeCommands,
  copy: copyChange,
});

/**
 * A field-by-field copy for `decide` (see the workflow definition's `copy`: a literal is
 * monomorphic where `decide`'s shared spread is not), in the schema's order, which is the
 * order a stored change is read in. `satisfies` makes a field added to the schema and
 * forgotten here a compile error.
 */
function copyChange(c: ChangeRequest): ChangeRequest {
  return {
    id: c.id,
    state: c.state,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    history: c.history,
    type: c.type,
    templateId: c.templateId,
    title: c.title,
    description: c.description,
    reason: c.reason,
    expectedEffect: c.expectedEffect,
    scope: c.scope,
    plan: c.plan,
    backupPlan: c.backupPlan,
    rollbackPlan: c.rollbackPlan,
    testPlan: c.testPlan,
    requester: c.requester,
    revision: c.revision,
    preReview: c.preReview,
    evaluation: c.evaluation,
    approvals: c.approvals,
    approvalRequestedAt: c.approvalRequestedAt,
    escalations: c.escalations,
    retrospectiveDueAt: c.retrospectiveDueAt,
    implementation: c.implementation,
    verification: c.verification,
    closeOut: c.closeOut,
    linkedIncidentIds: c.linkedIncidentIds,
  } satisfies Record<keyof ChangeRequest, unknown>;
}

function implementerOnly(): G {
  return {
    rule: changeRule.implementer,
    kind: 'forbidden',
    check: (c, a) =>
      c.plan.implementer.id === a.id || c.implementation?.by.id === a.id
        ? undefined
        : violation(changeRule.implementer, undefined, { actor: a.id }),
  };
}

function definedOf(input: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out;
}

/** One document of the close-out archive (3.3.6). */
export interface ArchiveItem {
  readonly item:
    | 'request'
    | 'evaluation_report'
    | 'approval_records'
    | 'implementation_plan'
    | 'test_report'
    | 'business_confirmation';
  readonly present: boolean;
}

/**
 * The close-out archive of 3.3.6 and 7.1.4: request, evaluation report, approval records,
 * implementation plan, test report (and the business confirmation). A standard change's
 * template stands for the evaluation and approvals; a rolled-back change has no test report.
 *
 * @example
 * archiveChecklist(change, policy.change).filter((i) => !i.present); // what is missing
 */
export function archiveChecklist(c: ChangeRequest, policy: ChangePolicy): ArchiveItem[] {
  const standard = c.type === 'standard';
  const rolledBack = c.implementation?.outcome === 'rolled_back';
  const approvalsOk = standard
    ? standardTemplateViolations(c, policy).length === 0
    : requiredApprovals(c, policy).complete;
  const items: ArchiveItem[] = [
    { item: 'request', present: true },
    { item: 'evaluation_report', present: standard || c.evaluation !== undefined },
    { item: 'approval_records', present: approvalsOk },
    { item: 'implementation_plan', present: c.plan.steps.length > 0 },
  ];
  if (!rolledBack) {
    items.push({ item: 'test_report', present: c.verification !== undefined });
    items.push({
      item: 'business_confirmation',
      present: c.verification?.confirmation !== undefined,
    });
  }
  return items;
}
