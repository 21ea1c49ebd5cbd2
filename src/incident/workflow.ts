import { type LocalizedText, text } from '../core/text.js';
import { isoInstant } from '../core/time.js';
import { violation } from '../core/violation.js';
import type { CommandDefinition, StateDefinition } from '../core/workflow/definition.js';
import { defineWorkflow } from '../core/workflow/definition.js';
import { actorRef } from '../org/actor.js';
import type { Role } from '../org/roles.js';
import {
  AssessInputSchema,
  CancelInputSchema,
  ClassifyInputSchema,
  EscalateInputSchema,
  HoldInputSchema,
  type Incident,
  LogStepInputSchema,
  ReassessInputSchema,
  RecoverInputSchema,
  StartInputSchema,
  SummariseInputSchema,
  VerifyInputSchema,
} from './model.js';
import type { IncidentPolicy, IncidentPolicyHolder } from './policy.js';
import { priorityOf } from './priority.js';
import {
  effectGoneRule,
  matrixLevelRule,
  notifiedRule,
  severityRequiredRule,
  stepsLoggedRule,
  summaryRequiredRule,
} from './rules.js';

type P = IncidentPolicyHolder;

/** Types a command definition of the incident workflow, inferring its input. */
function command<I>(
  definition: CommandDefinition<Incident, P, I>,
): CommandDefinition<Incident, P, I> {
  return definition;
}

const assessRolesCache = new WeakMap<IncidentPolicy, readonly Role[]>();

/** The ops manager's roles plus the delegates the policy names (3.1.2). */
function assessRoles(policy: P): readonly Role[] {
  const p = policy.incident;
  let roles = assessRolesCache.get(p);
  if (!roles) {
    roles = [...p.assessRoles, ...p.delegateRoles];
    assessRolesCache.set(p, roles);
  }
  return roles;
}

const handlerRoles = (policy: P) => policy.incident.handlerRoles;
/** The ISO text of the decision's instant. */
function now(ctx: { now: Date }): string {
  return isoInstant(ctx.now);
}

const reportFields = [
  'title',
  'occurredAt',
  'location',
  'symptoms',
  'impactScope',
  'reportedBy',
] as const satisfies readonly (keyof Incident)[];
const assessmentFields = [
  'severity',
  'impact',
  'urgency',
  'priority',
  'strategy',
  'actionPlan',
] as const satisfies readonly (keyof Incident)[];
const lockedAfterAssessment = [
  ...reportFields,
  'severity',
  'impact',
  'urgency',
  'priority',
  'major',
] as const satisfies readonly (keyof Incident)[];
const lockedAfterRecovery = [
  ...lockedAfterAssessment,
  'strategy',
  'actionPlan',
  'assignee',
  'steps',
  'escalations',
  'recovery',
] as const satisfies readonly (keyof Incident)[];

const states = {
  reported: {
    title: text('已报告', 'Reported'),
    required: [...reportFields],
    readonly: ['reportedBy', 'occurredAt'],
  },
  assessed: {
    title: text('已评估', 'Assessed'),
    required: [...reportFields, ...assessmentFields],
    readonly: [...lockedAfterAssessment],
  },
  in_progress: {
    title: text('处理中', 'In progress'),
    required: [...reportFields, ...assessmentFields, 'assignee'],
    readonly: [...lockedAfterAssessment],
  },
  on_hold: {
    title: text('挂起(等待中)', 'On hold'),
    required: [...reportFields, ...assessmentFields, 'assignee', 'hold'],
    readonly: [...lockedAfterAssessment, 'hold'],
  },
  recovered: {
    title: text('已恢复', 'Recovered'),
    required: [...reportFields, ...assessmentFields, 'assignee', 'recovery'],
    readonly: [...lockedAfterRecovery],
  },
  verified: {
    title: text('已验证', 'Verified'),
    required: [...reportFields, ...assessmentFields, 'recovery', 'verifications'],
    readonly: [...lockedAfterRecovery, 'verifications'],
  },
  summarised: {
    title: text('已总结', 'Summarised'),
    required: [...reportFields, ...assessmentFields, 'recovery', 'verifications', 'summary'],
    readonly: [...lockedAfterRecovery, 'verifications', 'summary'],
  },
  closed: {
    title: text('已关闭', 'Closed'),
    terminal: true,
    required: [...reportFields, ...assessmentFields, 'recovery', 'verifications'],
  },
  cancelled: {
    title: text('已撤销', 'Cancelled'),
    terminal: true,
    required: [...reportFields, 'cancelReason'],
  },
} satisfies Record<Incident['state'], StateDefinition<Incident>>;

/**
 * What a person calls each field a state requires or locks, for the messages that name it.
 * English titles are singular where a state requires the field (`… is required`).
 */
const fields = {
  title: text('标题', 'Title'),
  occurredAt: text('发生时间', 'Time of occurrence'),
  location: text('发生位置', 'Location'),
  symptoms: text('故障现象', 'Symptom description'),
  impactScope: text('影响范围', 'Impact scope'),
  reportedBy: text('报告人', 'Reporter'),
  severity: text('严重程度', 'Severity'),
  impact: text('影响程度', 'Impact'),
  urgency: text('紧急程度', 'Urgency'),
  priority: text('优先级', 'Priority'),
  major: text('重大事件标记', 'Major-incident flag'),
  strategy: text('处理策略', 'Handling strategy'),
  actionPlan: text('处置方案', 'Action plan'),
  assignee: text('处理人', 'Assignee'),
  steps: text('处理步骤', 'Handling steps'),
  escalations: text('升级记录', 'Escalation record'),
  hold: text('挂起记录', 'Hold record'),
  recovery: text('恢复记录', 'Recovery record'),
  verifications: text('验证记录', 'Verification record'),
  summary: text('事件总结', 'Summary'),
  cancelReason: text('撤销原因', 'Cancellation reason'),
} satisfies { [K in keyof Incident]?: LocalizedText };

const commands = {
  classify: command({
    title: text('按严重程度分类', 'Classify'),
    clause: '3.1.1',
    from: ['reported'],
    to: 'reported',
    roles: handlerRoles,
    input: ClassifyInputSchema,
    apply: (_i, input) => ({ severity: input.severity }),
    eventData: (next) => ({ severity: next.severity }),
  }),
  assess: command({
    title: text('评估', 'Assess'),
    clause: '3.1.2',
    from: ['reported'],
    to: 'assessed',
    roles: assessRoles,
    input: AssessInputSchema,
    check: (incident, input, _actor, ctx) => {
      const level = checkLevels(ctx.policy.incident, input.impact, input.urgency);
      if (incident.severity || input.severity) return level;
      return level ? [violation(severityRequiredRule), level] : violation(severityRequiredRule);
    },
    apply: (incident, input, _actor, ctx) => ({
      severity: input.severity ?? incident.severity,
      impact: input.impact,
      urgency: input.urgency,
      major: input.major ?? false,
      priority: priorityOfInput(ctx.policy.incident, input),
      strategy: input.strategy,
      actionPlan: input.actionPlan,
    }),
    eventData: (next) => ({ priority: next.priority, major: next.major }),
  }),
  reassess: command({
    title: text('重新评估', 'Reassess'),
    clause: '3.1.2',
    from: ['in_progress'],
    to: 'in_progress',
    roles: assessRoles,
    input: ReassessInputSchema,
    check: (_incident, input, _actor, ctx) =>
      checkLevels(ctx.policy.incident, input.impact, input.urgency),
    apply: (incident, input, _actor, ctx) => ({
      impact: input.impact,
      urgency: input.urgency,
      major: input.major ?? incident.major ?? false,
      priority: priorityOfInput(ctx.policy.incident, {
        ...input,
        major: input.major ?? incident.major,
      }),
    }),
    unlocks: ['impact', 'urgency', 'priority', 'major'],
    eventData: (next) => ({ priority: next.priority, major: next.major }),
  }),
  start: command({
    title: text('开始处理', 'Start handling'),
    clause: '3.1.3',
    from: ['assessed'],
    to: 'in_progress',
    roles: handlerRoles,
    input: StartInputSchema,
    apply: (_incident, input, actor) => ({ assignee: input?.assignee ?? actorRef(actor) }),
    eventData: (next) => ({ assignee: next.assignee }),
  }),
  log_step: command({
    title: text('记录处理步骤', 'Log a step'),
    clause: '3.1.3',
    from: ['in_progress'],
    to: 'in_progress',
    roles: handlerRoles,
    input: LogStepInputSchema,
    apply: (incident, input, actor, ctx) => ({
      steps: appended(incident.steps, {
        at: now(ctx),
        by: actorRef(actor),
        action: input.action,
        result: input.result,
      }),
    }),
  }),
  escalate: command({
    title: text('升级', 'Escalate'),
    clause: '3.1.3',
    from: ['in_progress'],
    to: 'in_progress',
    roles: handlerRoles,
    input: EscalateInputSchema,
    // The input's fields written out rather than spread (the schema is strict and has no
    // optional field, so the record is the same): a literal of known fields is a fixed shape.
    apply: (incident, input, actor, ctx) => ({
      escalations: appended(incident.escalations, {
        at: now(ctx),
        by: actorRef(actor),
        to: input.to,
        name: input.name,
        reason: input.reason,
      }),
    }),
    eventData: (_next, input) => ({ to: input.to, name: input.name }),
  }),
  hold: command({
    title: text('挂起', 'Put on hold'),
    clause: '3.1.3',
    from: ['in_progress'],
    to: 'on_hold',
    roles: handlerRoles,
    input: HoldInputSchema,
    // Fields written out, not spread: see `escalate`.
    apply: (_incident, input, _actor, ctx) => ({
      hold: { at: now(ctx), reason: input.reason, detail: input.detail },
    }),
    eventData: (_next, input) => ({ reason: input.reason }),
  }),
  resume: command({
    title: text('恢复处理', 'Resume'),
    clause: '3.1.3',
    from: ['on_hold'],
    to: 'in_progress',
    roles: handlerRoles,
    unlocks: ['hold'],
    apply: () => ({ hold: undefined }),
  }),
  recover: command({
    title: text('恢复服务', 'Recover'),
    clause: '3.1.4',
    from: ['in_progress'],
    to: 'recovered',
    roles: handlerRoles,
    input: RecoverInputSchema,
    guards: [
      {
        rule: stepsLoggedRule,
        check: (incident, _actor, ctx) =>
          ctx.policy.incident.stepsRequiredBeforeRecover && incident.steps.length === 0
            ? violation(stepsLoggedRule)
            : undefined,
      },
    ],
    apply: (_incident, input, actor, ctx) => ({
      recovery: { at: now(ctx), by: actorRef(actor), restoration: input.restoration },
    }),
  }),
  verify: command({
    title: text('验证', 'Verify'),
    clause: '3.1.4',
    from: ['recovered'],
    to: (_incident, input) => (input.passed ? 'verified' : 'in_progress'),
    targets: ['verified', 'in_progress'],
    roles: (policy: P) => policy.incident.verifyRoles,
    input: VerifyInputSchema,
    check: (_incident, input, _actor, ctx) => {
      if (!input.passed) return undefined;
      const effect = input.effectGone ? undefined : violation(effectGoneRule);
      const unnotified =
        ctx.policy.incident.notificationRequired && input.notified.length === 0
          ? violation(notifiedRule)
          : undefined;
      if (effect && unnotified) return [effect, unnotified];
      return effect ?? unnotified;
    },
    // Fields written out, not spread: see `escalate` (`notified` has a default, so is set).
    apply: (incident, input, actor, ctx) => ({
      verifications: appended(incident.verifications, {
        at: now(ctx),
        by: actorRef(actor),
        passed: input.passed,
        result: input.result,
        notified: input.notified,
        businessAffected: input.businessAffected,
        effectGone: input.effectGone,
      }),
    }),
    eventData: (_next, input) => ({
      passed: input.passed,
      notified: input.notified,
      businessAffected: input.businessAffected,
      effectGone: input.effectGone,
    }),
  }),
  summarise: command({
    title: text('事件总结', 'Summarise'),
    clause: '3.1.5',
    from: ['verified'],
    to: 'summarised',
    roles: handlerRoles,
    input: SummariseInputSchema,
    apply: (_incident, input) => ({ summary: input }),
  }),
  close: command({
    title: text('关闭', 'Close'),
    clause: '3.1.5',
    from: ['verified', 'summarised'],
    to: 'closed',
    roles: (policy: P) => policy.incident.closeRoles,
    guards: [
      {
        rule: summaryRequiredRule,
        check: (incident, _actor, ctx) =>
          ctx.policy.incident.summaryRequired && !incident.summary
            ? violation(summaryRequiredRule)
            : undefined,
      },
    ],
  }),
  cancel: command({
    title: text('撤销', 'Cancel'),
    clause: '3.1.2',
    from: ['reported', 'assessed'],
    to: 'cancelled',
    roles: (policy: P) => policy.incident.closeRoles,
    input: CancelInputSchema,
    apply: (_incident, input) => ({ cancelReason: input.reason }),
  }),
};

/**
 * The incident lifecycle of charter 3.1, as data: report → assess → handle (⇄ on hold) →
 * recover → verify (a failure reopens) → summarise → close. Each state names the fields it
 * requires and those it locks; `decide`, `availableCommands` and `toMermaid` all read it.
 *
 * @example
 * const r = decide(incidentWorkflow, incident, { type: 'start' }, engineer, { now, policy });
 */
export const incidentWorkflow = defineWorkflow<Incident, P, typeof commands>({
  id: 'incident',
  title: text('事件', 'Incident'),
  initial: 'reported',
  states,
  fields,
  commands,
  copy: copyIncident,
});

/**
 * A field-by-field copy for `decide` (see the workflow definition's `copy`), in the order
 * `createIncident` writes the fields. `satisfies` makes a field added to the schema and
 * forgotten here a compile error.
 */
function copyIncident(i: Incident): Incident {
  return {
    id: i.id,
    title: i.title,
    occurredAt: i.occurredAt,
    location: i.location,
    symptoms: i.symptoms,
    impactScope: i.impactScope,
    reportedBy: i.reportedBy,
    severity: i.severity,
    impact: i.impact,
    urgency: i.urgency,
    priority: i.priority,
    major: i.major,
    strategy: i.strategy,
    actionPlan: i.actionPlan,
    assignee: i.assignee,
    steps: i.steps,
    escalations: i.escalations,
    hold: i.hold,
    recovery: i.recovery,
    verifications: i.verifications,
    summary: i.summary,
    cancelReason: i.cancelReason,
    alert: i.alert,
    state: i.state,
    version: i.version,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    history: i.history,
  } satisfies Record<keyof Incident, unknown>;
}

/**
 * A copy of `list` with `item` appended, allocated once at its length: `[...list, item]`
 * runs the iterator protocol, and `slice()` then `push` grows the copy a second time.
 */
function appended<T>(list: readonly T[], item: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = item;
  return out;
}

/** The commands of the incident workflow. */
export type IncidentCommandType = keyof (typeof incidentWorkflow)['commands'] & string;

function checkLevels(policy: IncidentPolicy, impact: string, urgency: string) {
  const m = policy.matrix;
  const bad: string[] = [];
  if (!m.impact.includes(impact)) bad.push(`impact=${impact}`);
  if (!m.urgency.includes(urgency)) bad.push(`urgency=${urgency}`);
  if (bad.length === 0) return undefined;
  return violation(
    matrixLevelRule,
    text(
      `不在优先级矩阵中:${bad.join(', ')}(影响:${m.impact.join('/')};紧急:${m.urgency.join('/')})`,
      `Not in the priority matrix: ${bad.join(', ')} (impact: ${m.impact.join('/')}; urgency: ${m.urgency.join('/')})`,
    ),
    { impact, urgency },
  );
}

function priorityOfInput(
  policy: IncidentPolicy,
  input: { impact: string; urgency: string; major?: boolean | undefined },
) {
  return priorityOf(policy.matrix, input.impact, input.urgency, {
    major: input.major,
    majorPriority: policy.majorIncidentPriority,
  });
}
