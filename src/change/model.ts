import { z } from 'zod';
import { InstantSchema, NonEmptyTextSchema, workflowEntityShape } from '../core/schemas.js';
import { IncidentIdSchema } from '../incident/id.js';
import { roles } from '../org/roles.js';
import { ChangeIdSchema } from './id.js';

export * from './id.js';

/** The three kinds of change (3.3.1): a pre-approved template, the ordinary path, or an emergency. */
export const changeTypes = ['standard', 'normal', 'emergency'] as const;
/** A kind of change. */
export type ChangeType = (typeof changeTypes)[number];

/** Risk levels of a change (3.3.2), lowest first. */
export const riskLevels = ['low', 'medium', 'high', 'critical'] as const;
/** A risk level. */
export type RiskLevel = (typeof riskLevels)[number];

/** The lifecycle states of a change request. */
export const changeStates = [
  'submitted',
  'rework',
  'pre_reviewed',
  'evaluated',
  'awaiting_approval',
  'approved',
  'implementing',
  'implemented',
  'rolled_back',
  'verified',
  'confirmed',
  'closed',
  'rejected',
  'cancelled',
] as const;
/** A lifecycle state of a change request. */
export type ChangeState = (typeof changeStates)[number];

/** The duties that separation of duties keeps apart (3.3.3). */
export const changeDuties = [
  'requester',
  'pre_reviewer',
  'approver',
  'implementer',
  'verifier',
] as const;
/** A duty on a change. */
export type ChangeDuty = (typeof changeDuties)[number];

const ActorRefSchema = z.object({ id: z.string().min(1), name: z.string().min(1) });
const LocalizedTextSchema = z.object({ zh: z.string(), en: z.string() });

/** What a change touches (3.3.1): configuration items, business services, departments, domains. */
export const ChangeScopeSchema = z.object({
  /** Configuration items (systems, network devices, databases) the change touches. */
  cis: z.array(NonEmptyTextSchema).min(1).readonly(),
  /** Business services affected, such as `policy-admin` or `claims`. */
  services: z.array(NonEmptyTextSchema).readonly().default([]),
  /** Departments affected; a business department named here gives the final confirmation (3.3.5). */
  departments: z.array(NonEmptyTextSchema).readonly().default([]),
  /** Business domains the change belongs to; approvers must hold authority in every one. */
  domains: z.array(NonEmptyTextSchema).min(1).readonly(),
});
/** What a change touches. */
export type ChangeScope = z.infer<typeof ChangeScopeSchema>;

const windowRefinement = (p: { windowStart: string; windowEnd: string }) =>
  Date.parse(p.windowStart) < Date.parse(p.windowEnd);

/** How the change will be carried out (3.3.1, 3.3.4): steps, window and implementer. */
export const ImplementationPlanSchema = z
  .object({
    steps: z.array(NonEmptyTextSchema).min(1).readonly(),
    windowStart: InstantSchema,
    windowEnd: InstantSchema,
    /** The person who will carry it out. */
    implementer: ActorRefSchema,
  })
  .refine(windowRefinement, {
    message: 'The window must end after it starts',
    path: ['windowEnd'],
    params: { zh: '实施窗口的结束时间必须晚于开始时间' },
  });
/** How the change will be carried out. */
export type ImplementationPlan = z.infer<typeof ImplementationPlanSchema>;

/** The answers of the risk questionnaire: question id to option value. */
export const RiskAnswersSchema = z.record(z.string().min(1), z.string().min(1));

/** One answer that drove the computed risk. */
export const RiskDriverSchema = z.object({
  question: z.string(),
  answer: z.string(),
  score: z.number(),
  /** The level this answer forces at least, if any. */
  minLevel: z.enum(riskLevels).optional(),
  title: LocalizedTextSchema,
});
/** One answer that drove the computed risk. */
export type RiskDriver = z.infer<typeof RiskDriverSchema>;

/** A computed risk: level, score and the answers that drove it (3.3.2). */
export const RiskAssessmentSchema = z.object({
  level: z.enum(riskLevels),
  score: z.number(),
  drivers: z.array(RiskDriverSchema).readonly(),
});
/** A computed risk. */
export type RiskAssessment = z.infer<typeof RiskAssessmentSchema>;

/** One approval or rejection, bound to the content it saw (3.3.3). */
export const ApprovalRecordSchema = z.object({
  /** The stage of the authority rule it counts toward, or `emergency` for the ops manager's. */
  stage: z.string(),
  /** The authority rule in force when it was given. */
  ruleId: z.string(),
  decision: z.enum(['approved', 'rejected']),
  /** The person who clicked. */
  by: ActorRefSchema,
  /** The person whose authority was delegated, when `by` acted as a delegate. */
  onBehalfOf: ActorRefSchema.optional(),
  delegationId: z.string().optional(),
  at: InstantSchema,
  /** Fingerprint of the plan, window and scope approved. */
  fingerprint: z.string(),
  note: z.string().optional(),
  /** Set when a later edit or a send-back voided it. */
  invalidated: z
    .object({ at: InstantSchema, reason: LocalizedTextSchema, fields: z.array(z.string()) })
    .optional(),
});
/** One approval or rejection. */
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** The ops manager's pre-review of necessity and feasibility (3.3.1). */
export const PreReviewSchema = z.object({
  by: ActorRefSchema,
  at: InstantSchema,
  outcome: z.enum(['accepted', 'rework']),
  note: z.string().optional(),
});

/** The evaluation report (3.3.2). */
export const EvaluationSchema = z.object({
  by: ActorRefSchema,
  at: InstantSchema,
  answers: RiskAnswersSchema,
  risk: RiskAssessmentSchema,
  technicalFeasibility: z.string(),
  businessImpact: z.string(),
  riskMeasures: z.array(z.string()).readonly().default([]),
  /** Set when the evaluation was done after an emergency implementation. */
  retrospective: z.boolean().optional(),
});
/** The evaluation report. */
export type Evaluation = z.infer<typeof EvaluationSchema>;

/** A step of the implementation log (3.3.4). */
export const ImplementationLogEntrySchema = z.object({
  at: InstantSchema,
  by: ActorRefSchema,
  step: z.string(),
  result: z.string(),
});

/** The implementation record (3.3.4). */
export const ImplementationSchema = z.object({
  startedAt: InstantSchema,
  by: ActorRefSchema,
  backupConfirmed: z.literal(true),
  backupReference: z.string(),
  log: z.array(ImplementationLogEntrySchema).readonly(),
  finishedAt: InstantSchema.optional(),
  outcome: z.enum(['succeeded', 'rolled_back']).optional(),
  rollbackReason: z.string().optional(),
});
/** The implementation record. */
export type Implementation = z.infer<typeof ImplementationSchema>;

/** Verification and the business department's confirmation (3.3.5). */
export const ChangeVerificationSchema = z.object({
  by: ActorRefSchema,
  at: InstantSchema,
  testResults: z.string(),
  expectedEffectMet: z.literal(true),
  noAdverseImpact: z.literal(true),
  confirmation: z
    .object({ by: ActorRefSchema, department: z.string(), at: InstantSchema, note: z.string() })
    .optional(),
});
/** Verification and confirmation. */
export type ChangeVerification = z.infer<typeof ChangeVerificationSchema>;

/** Close-out (3.3.6): the archive and the post-change review. */
export const CloseOutSchema = z.object({
  by: ActorRefSchema,
  at: InstantSchema,
  review: z.string(),
  archive: z.array(z.string()).readonly(),
});

/** An approval that waited past the policy's timeout and was flagged for escalation. */
export const ApprovalEscalationSchema = z.object({
  stage: z.string(),
  at: InstantSchema,
  waitingSince: InstantSchema,
  escalateTo: z.array(z.enum(roles)).readonly(),
});
/** An escalation flag. */
export type ApprovalEscalation = z.infer<typeof ApprovalEscalationSchema>;

/** A change request as stored. */
export const ChangeRequestSchema = z.object({
  ...workflowEntityShape(changeStates, ChangeIdSchema),
  type: z.enum(changeTypes),
  templateId: z.string().optional(),
  title: NonEmptyTextSchema,
  description: NonEmptyTextSchema,
  reason: NonEmptyTextSchema,
  expectedEffect: NonEmptyTextSchema,
  scope: ChangeScopeSchema,
  plan: ImplementationPlanSchema,
  backupPlan: NonEmptyTextSchema,
  rollbackPlan: NonEmptyTextSchema,
  testPlan: NonEmptyTextSchema,
  requester: ActorRefSchema,
  /** Bumped by every edit of plan, window or scope. */
  revision: z.number().int().positive(),
  preReview: PreReviewSchema.optional(),
  evaluation: EvaluationSchema.optional(),
  approvals: z.array(ApprovalRecordSchema).readonly(),
  /** When the current approval round started (submission, or the last reset). */
  approvalRequestedAt: InstantSchema.optional(),
  escalations: z.array(ApprovalEscalationSchema).readonly(),
  /** Emergency changes: the deadline of the full retrospective approval. */
  retrospectiveDueAt: InstantSchema.optional(),
  implementation: ImplementationSchema.optional(),
  verification: ChangeVerificationSchema.optional(),
  closeOut: CloseOutSchema.optional(),
  /** Incidents this change caused (for the regulator's figures). */
  linkedIncidentIds: z.array(IncidentIdSchema).readonly(),
});
/** A change request as stored. */
export type ChangeRequest = z.infer<typeof ChangeRequestSchema>;

/** What a requester sends (3.3.1). */
export const ChangeRequestInputSchema = z
  .object({
    type: z.enum(changeTypes),
    templateId: NonEmptyTextSchema.optional(),
    title: NonEmptyTextSchema,
    description: NonEmptyTextSchema,
    reason: NonEmptyTextSchema,
    expectedEffect: NonEmptyTextSchema,
    scope: ChangeScopeSchema,
    plan: ImplementationPlanSchema,
    backupPlan: NonEmptyTextSchema,
    rollbackPlan: NonEmptyTextSchema,
    testPlan: NonEmptyTextSchema,
  })
  .strict()
  .refine((i) => i.type !== 'standard' || i.templateId !== undefined, {
    message: 'A standard change names its template',
    path: ['templateId'],
    params: { zh: '标准变更必须指定模板' },
  });
/** What a requester sends. */
export type ChangeRequestInput = z.input<typeof ChangeRequestInputSchema>;

/** An edit of a change before implementation. Editing plan, window or scope voids approvals. */
export const ChangeAmendmentSchema = z
  .object({
    title: NonEmptyTextSchema.optional(),
    description: NonEmptyTextSchema.optional(),
    reason: NonEmptyTextSchema.optional(),
    expectedEffect: NonEmptyTextSchema.optional(),
    scope: ChangeScopeSchema.optional(),
    plan: ImplementationPlanSchema.optional(),
    backupPlan: NonEmptyTextSchema.optional(),
    rollbackPlan: NonEmptyTextSchema.optional(),
    testPlan: NonEmptyTextSchema.optional(),
  })
  .strict()
  .refine((a) => Object.keys(a).length > 0, {
    message: 'Nothing to amend',
    params: { zh: '没有要修改的内容' },
  });
/** An edit of a change. */
export type ChangeAmendment = z.input<typeof ChangeAmendmentSchema>;
