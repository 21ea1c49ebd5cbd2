import { defineRule, type Rule } from '../core/rule.js';
import { text } from '../core/text.js';

/** Rules of change management (charter 3.3), each naming the clause it enforces. */
export const changeRule = {
  // 3.3.1 request and pre-review
  preReviewFirst: defineRule({
    id: 'change.pre_review.required',
    clauses: ['3.3.1'],
    severity: 'high',
    title: text('变更须先经运维经理预审', 'The ops manager must pre-review the change first'),
  }),
  typeNotApplicable: defineRule({
    id: 'change.type.not_applicable',
    clauses: ['3.3.1'],
    severity: 'medium',
    title: text('该步骤不适用于此类变更', 'This step does not apply to this type of change'),
  }),
  // 3.3.2 evaluation
  evaluationRequired: defineRule({
    id: 'change.evaluate.required',
    clauses: ['3.3.2'],
    severity: 'high',
    title: text('变更须先完成评估', 'The change must be evaluated first'),
  }),
  riskMeasures: defineRule({
    id: 'change.evaluate.risk_measures',
    clauses: ['3.3.2'],
    severity: 'high',
    title: text(
      '高风险变更须制定详细的风险应对措施',
      'A high-risk change needs detailed risk-response measures',
    ),
  }),
  // 3.3.3 approval authority
  approveSelf: defineRule({
    id: 'change.approve.self',
    clauses: ['3.3.3'],
    severity: 'critical',
    title: text('申请人不得审批自己的变更', 'The requester may not approve their own change'),
  }),
  approveInactive: defineRule({
    id: 'change.approve.inactive',
    clauses: ['3.3.3', '6.4.2'],
    severity: 'critical',
    title: text('审批人已离职或停用', 'The approver has left or is disabled'),
  }),
  approveScope: defineRule({
    id: 'change.approve.scope',
    clauses: ['3.3.3'],
    severity: 'high',
    title: text(
      '审批人在变更所属业务领域无审批权限',
      'The approver holds no authority in the business domain of the change',
    ),
  }),
  approveSeparation: defineRule({
    id: 'change.approve.separation',
    clauses: ['3.3.3'],
    severity: 'high',
    title: text('职责分离冲突', 'Separation-of-duties conflict'),
  }),
  approvePolicyDeny: defineRule({
    id: 'change.approve.denied',
    clauses: ['3.3.3'],
    severity: 'high',
    title: text('审批权限策略明确拒绝', 'An explicit deny of the authority policy applies'),
  }),
  approveNoAuthority: defineRule({
    id: 'change.approve.no_authority',
    clauses: ['3.3.3'],
    severity: 'high',
    title: text(
      '没有任何审批规则授权此人审批当前阶段',
      'No authority rule allows this person to approve the current stage',
    ),
  }),
  approveNoRule: defineRule({
    id: 'change.approve.no_rule',
    clauses: ['3.3.3'],
    severity: 'high',
    title: text(
      '审批权限表中没有适用于此变更的规则',
      'No rule of the authority table covers this change',
    ),
  }),
  approveOnce: defineRule({
    id: 'change.approve.once',
    clauses: ['3.3.3'],
    severity: 'medium',
    title: text('同一人的审批只计一次', "One person's approval counts once"),
  }),
  approveDelegation: defineRule({
    id: 'change.approve.delegation',
    clauses: ['3.3.3'],
    severity: 'high',
    title: text('授权无效', 'The delegation does not apply'),
  }),
  approveState: defineRule({
    id: 'change.approve.state',
    clauses: ['3.3.3'],
    severity: 'medium',
    title: text('变更当前不在待审批状态', 'The change is not awaiting approval'),
  }),
  approvalsIncomplete: defineRule({
    id: 'change.approval.incomplete',
    clauses: ['3.3.3', '3.3.4'],
    severity: 'critical',
    title: text(
      '变更尚未获得其风险等级要求的全部审批',
      'The change lacks approvals its risk requires',
    ),
  }),
  approvalInvalidated: defineRule({
    id: 'change.approval.invalidated',
    clauses: ['3.3.3'],
    severity: 'info',
    title: text(
      '审批后修改了计划、窗口或范围,原审批失效',
      'The plan, window or scope changed after approval; the approval no longer counts',
    ),
  }),
  approvalTimeout: defineRule({
    id: 'change.approval.timeout',
    clauses: ['3.3.3'],
    severity: 'medium',
    title: text('审批超时,需升级', 'The approval is overdue and is escalated'),
  }),
  separation: defineRule({
    id: 'change.separation.conflict',
    clauses: ['3.3.3', '3.3.4'],
    severity: 'high',
    title: text(
      '申请、预审、审批、实施、验证须由不同人员担任',
      'Requester, pre-reviewer, approver, implementer and verifier must be different people',
    ),
  }),
  standardTemplate: defineRule({
    id: 'change.standard.template',
    clauses: ['3.3.3', '3.3.1'],
    severity: 'high',
    title: text(
      '标准变更必须符合已批准的模板',
      'A standard change must match an approved template',
    ),
  }),
  emergencyRetrospective: defineRule({
    id: 'change.emergency.retrospective',
    clauses: ['3.3.3'],
    severity: 'high',
    title: text(
      '紧急变更未在规定时间内补齐审批',
      'The emergency change was not fully approved retrospectively in time',
    ),
  }),
  // 3.3.4 implementation and scheduling
  implementer: defineRule({
    id: 'change.implement.implementer',
    clauses: ['3.3.4'],
    severity: 'high',
    title: text(
      '只有计划指定的实施人可以实施',
      'Only the implementer named in the plan may implement',
    ),
  }),
  window: defineRule({
    id: 'change.implement.window',
    clauses: ['3.3.4'],
    severity: 'high',
    title: text('当前不在已批准的实施窗口内', 'Now is outside the approved window'),
  }),
  backup: defineRule({
    id: 'change.implement.backup',
    clauses: ['3.3.4'],
    severity: 'high',
    title: text(
      '实施前须确认数据已备份',
      'The data backup must be confirmed before implementation',
    ),
  }),
  rollbackPlan: defineRule({
    id: 'change.implement.rollback_plan',
    clauses: ['3.3.4'],
    severity: 'high',
    title: text('实施前须有回退方案', 'A rollback plan is required before implementation'),
  }),
  freeze: defineRule({
    id: 'change.schedule.freeze',
    clauses: ['3.3.4'],
    severity: 'high',
    title: text('实施窗口落在封网期内', 'The window falls in a freeze (blackout) period'),
  }),
  maintenanceWindow: defineRule({
    id: 'change.schedule.maintenance_window',
    clauses: ['3.3.4'],
    severity: 'medium',
    title: text(
      '实施窗口不在配置项的维护窗口内',
      "The window is outside the CI's maintenance windows",
    ),
  }),
  overlap: defineRule({
    id: 'change.schedule.overlap',
    clauses: ['3.3.4'],
    severity: 'high',
    title: text(
      '与其他已批准变更的窗口重叠(同一配置项或同一实施人)',
      'The window overlaps another approved change on the same CI or implementer',
    ),
  }),
  // 3.3.5 verification and confirmation
  verification: defineRule({
    id: 'change.verify.result',
    clauses: ['3.3.5'],
    severity: 'high',
    title: text(
      '验证须证明达到预期效果且无不良影响',
      'Verification must show the expected effect and no adverse impact',
    ),
  }),
  businessConfirmation: defineRule({
    id: 'change.confirm.business',
    clauses: ['3.3.5'],
    severity: 'high',
    title: text(
      '须由变更范围中的业务部门最终确认',
      'A business department named in the scope must give the final confirmation',
    ),
  }),
  // 3.3.6 close-out
  archive: defineRule({
    id: 'change.close.archive',
    clauses: ['3.3.6', '7.1.4'],
    severity: 'medium',
    title: text('归档资料不完整', 'The close-out archive is incomplete'),
  }),
} as const;

/** Every rule of change management, for `clauseCoverage`. */
export const changeRules: readonly Rule[] = Object.values(changeRule);
