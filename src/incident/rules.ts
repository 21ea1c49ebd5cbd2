import { defineRule } from '../core/rule.js';
import { text } from '../core/text.js';

/** A report names when the fault occurred, and that is not in the future (3.1.1). */
export const occurredInFutureRule = defineRule({
  id: 'incident.report.occurred_at_future',
  clauses: ['3.1.1'],
  severity: 'medium',
  title: text('发生时间不能晚于报告时间', 'The time of occurrence cannot be after the report'),
});

/** Anyone may report (3.1.1), but not a person who has left or is disabled. */
export const reporterActiveRule = defineRule({
  id: 'incident.report.active',
  clauses: ['3.1.1'],
  severity: 'high',
  title: text('报告人已离职或停用', 'The reporter has left or is disabled'),
});

/** Ops classifies every incident by severity before or while assessing it (3.1.1). */
export const severityRequiredRule = defineRule({
  id: 'incident.assess.severity_required',
  clauses: ['3.1.1', '3.1.2'],
  severity: 'medium',
  title: text('评估前须按严重程度分类', 'The incident must be classified by severity'),
});

/** Impact and urgency are levels of the policy's priority matrix (3.1.2). */
export const matrixLevelRule = defineRule({
  id: 'incident.assess.matrix_level',
  clauses: ['3.1.2'],
  severity: 'medium',
  title: text('影响或紧急程度不在优先级矩阵中', 'Impact or urgency is not a level of the matrix'),
});

/** Each handling step is recorded: recovery needs at least one logged step (3.1.3). */
export const stepsLoggedRule = defineRule({
  id: 'incident.recover.steps_logged',
  clauses: ['3.1.3'],
  severity: 'medium',
  title: text('恢复前须记录处理步骤及结果', 'Handling steps and results must be logged first'),
});

/** The result of recovery is reported to the people concerned (3.1.4). */
export const notifiedRule = defineRule({
  id: 'incident.verify.notified',
  clauses: ['3.1.4'],
  severity: 'medium',
  title: text('须记录已通知的部门和人员', 'Who was notified of the result must be recorded'),
});

/** A verification passes only if the effect on the business is gone (3.1.4). */
export const effectGoneRule = defineRule({
  id: 'incident.verify.effect_gone',
  clauses: ['3.1.4'],
  severity: 'high',
  title: text('影响尚未消除,验证不能通过', 'The effect is not gone: verification cannot pass'),
});

/** Cause, fix, lessons and preventive measures are written before close (3.1.5). */
export const summaryRequiredRule = defineRule({
  id: 'incident.close.summary_required',
  clauses: ['3.1.5'],
  severity: 'medium',
  title: text('关闭前须完成事件总结', 'The incident must be summarised before it closes'),
});

/** The rules of incident management that are not part of the workflow's own rules. */
export const incidentPolicyRules = [
  reporterActiveRule,
  occurredInFutureRule,
  severityRequiredRule,
  matrixLevelRule,
  stepsLoggedRule,
  notifiedRule,
  effectGoneRule,
  summaryRequiredRule,
] as const;
