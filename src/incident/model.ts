import { z } from 'zod';
import { InstantSchema, NonEmptyTextSchema, workflowEntityShape } from '../core/schemas.js';
import { IncidentIdSchema } from './id.js';

export * from './id.js';

/** The states of an incident's life, charter 3.1. */
export const incidentStates = [
  'reported',
  'assessed',
  'in_progress',
  'on_hold',
  'recovered',
  'verified',
  'summarised',
  'closed',
  'cancelled',
] as const;

/** A state of an incident. */
export type IncidentState = (typeof incidentStates)[number];

/** Priorities, most urgent first. */
export const priorities = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;

/** A priority, from the priority matrix (3.1.2). */
export const PrioritySchema = z.enum(priorities);

/** A priority. */
export type Priority = z.infer<typeof PrioritySchema>;

/** Severity as ops classifies a report (3.1.1), most severe first. */
export const incidentSeverities = ['critical', 'major', 'minor', 'low'] as const;

/** Severity of an incident. */
export const IncidentSeveritySchema = z.enum(incidentSeverities);

/** Severity of an incident. */
export type IncidentSeverity = z.infer<typeof IncidentSeveritySchema>;

const ActorRefSchema = z.object({ id: z.string().min(1), name: z.string().min(1) });

/** Where the fault is: the system, the configuration items, the site (3.1.1). */
export const LocationSchema = z.object({
  system: NonEmptyTextSchema,
  cis: z.array(NonEmptyTextSchema).readonly().optional(),
  site: NonEmptyTextSchema.optional(),
});

/** One handling step and its result (3.1.3). */
export const HandlingStepSchema = z.object({
  at: InstantSchema,
  by: ActorRefSchema,
  action: NonEmptyTextSchema,
  result: NonEmptyTextSchema,
});

/** Who an incident was escalated to (3.1.3). */
export const escalationTargets = ['support_team', 'outside_experts', 'vendor'] as const;

/** An escalation to a technical-support team, outside experts or a vendor (3.1.3). */
export const EscalationSchema = z.object({
  at: InstantSchema,
  by: ActorRefSchema,
  to: z.enum(escalationTargets),
  name: NonEmptyTextSchema,
  reason: NonEmptyTextSchema,
});

/** Why work is paused; the SLA clocks stop while on hold. */
export const holdReasons = [
  'waiting_vendor',
  'waiting_reporter',
  'waiting_change',
  'other',
] as const;

/** The current pause (3.1.3). */
export const HoldSchema = z.object({
  at: InstantSchema,
  reason: z.enum(holdReasons),
  detail: NonEmptyTextSchema,
});

/** How service was restored (3.1.4). */
export const RecoverySchema = z.object({
  at: InstantSchema,
  by: ActorRefSchema,
  restoration: NonEmptyTextSchema,
});

/** Someone told of the result of recovery (3.1.4). */
export const NotifiedPartySchema = z.object({
  name: NonEmptyTextSchema,
  department: NonEmptyTextSchema.optional(),
  channel: z.enum(['email', 'sms', 'phone', 'portal', 'meeting']).optional(),
});

/** One verification of a recovery (3.1.4); a failed one reopens the incident. */
export const VerificationSchema = z.object({
  at: InstantSchema,
  by: ActorRefSchema,
  passed: z.boolean(),
  result: NonEmptyTextSchema,
  notified: z.array(NotifiedPartySchema).readonly(),
  businessAffected: z.boolean(),
  effectGone: z.boolean(),
});

/** The write-up of an incident (3.1.5). */
export const SummarySchema = z.object({
  cause: NonEmptyTextSchema,
  fix: NonEmptyTextSchema,
  lessons: NonEmptyTextSchema,
  preventiveMeasures: z.array(NonEmptyTextSchema).min(1).readonly(),
});

/** The alert that opened an incident (4.3.3): the incident links back to it. */
export const AlertLinkSchema = z.object({
  fingerprint: NonEmptyTextSchema,
  rule: NonEmptyTextSchema,
});

/** An incident as stored. */
export const IncidentSchema = z.object({
  ...workflowEntityShape(incidentStates, IncidentIdSchema),
  title: NonEmptyTextSchema,
  occurredAt: InstantSchema,
  location: LocationSchema,
  symptoms: NonEmptyTextSchema,
  impactScope: NonEmptyTextSchema,
  reportedBy: ActorRefSchema,
  severity: IncidentSeveritySchema.optional(),
  impact: z.string().min(1).optional(),
  urgency: z.string().min(1).optional(),
  priority: PrioritySchema.optional(),
  major: z.boolean().optional(),
  strategy: NonEmptyTextSchema.optional(),
  actionPlan: NonEmptyTextSchema.optional(),
  assignee: ActorRefSchema.optional(),
  steps: z.array(HandlingStepSchema).readonly(),
  escalations: z.array(EscalationSchema).readonly(),
  hold: HoldSchema.optional(),
  recovery: RecoverySchema.optional(),
  verifications: z.array(VerificationSchema).readonly(),
  summary: SummarySchema.optional(),
  cancelReason: NonEmptyTextSchema.optional(),
  alert: AlertLinkSchema.optional(),
});

/** An incident as stored. */
export type Incident = z.infer<typeof IncidentSchema>;

/** A handling step. */
export type HandlingStep = z.infer<typeof HandlingStepSchema>;
/** An escalation. */
export type Escalation = z.infer<typeof EscalationSchema>;
/** A verification. */
export type Verification = z.infer<typeof VerificationSchema>;
/** A summary. */
export type IncidentSummary = z.infer<typeof SummarySchema>;

/** What a reporter sends (3.1.1): time, place, symptoms and scope of impact are required. */
export const ReportIncidentInputSchema = z.strictObject({
  title: NonEmptyTextSchema,
  occurredAt: InstantSchema,
  location: LocationSchema.strict(),
  symptoms: NonEmptyTextSchema,
  impactScope: NonEmptyTextSchema,
  severity: IncidentSeveritySchema.optional(),
  /** Set when monitoring opens the incident for a severe alert. */
  alert: AlertLinkSchema.strict().optional(),
});

/** What a reporter sends. */
export type ReportIncidentInput = z.input<typeof ReportIncidentInputSchema>;

/** Ops classifies a report by severity (3.1.1). */
export const ClassifyInputSchema = z.strictObject({ severity: IncidentSeveritySchema });

/**
 * The assessment (3.1.2): impact and urgency (levels of the policy's priority matrix), a
 * major-incident flag that overrides the matrix, the handling strategy and the action plan.
 */
export const AssessInputSchema = z.strictObject({
  impact: z.string().min(1),
  urgency: z.string().min(1),
  severity: IncidentSeveritySchema.optional(),
  major: z.boolean().optional(),
  strategy: NonEmptyTextSchema,
  actionPlan: NonEmptyTextSchema,
});

/** A new assessment while the incident is worked: the priority is recomputed (3.1.2). */
export const ReassessInputSchema = z.strictObject({
  impact: z.string().min(1),
  urgency: z.string().min(1),
  major: z.boolean().optional(),
  reason: NonEmptyTextSchema,
});

/** Taking the incident into work; the assignee defaults to the actor. */
export const StartInputSchema = z
  .strictObject({ assignee: ActorRefSchema.strict().optional() })
  .optional();

/** A handling step and its result (3.1.3). */
export const LogStepInputSchema = z.strictObject({
  action: NonEmptyTextSchema,
  result: NonEmptyTextSchema,
});

/** An escalation (3.1.3). */
export const EscalateInputSchema = z.strictObject({
  to: z.enum(escalationTargets),
  name: NonEmptyTextSchema,
  reason: NonEmptyTextSchema,
});

/** Pausing work, e.g. waiting for a vendor: the SLA clocks stop. */
export const HoldInputSchema = z.strictObject({
  reason: z.enum(holdReasons),
  detail: NonEmptyTextSchema,
});

/** Service restored (3.1.4). */
export const RecoverInputSchema = z.strictObject({ restoration: NonEmptyTextSchema });

/** The verification of a recovery (3.1.4). */
export const VerifyInputSchema = z.strictObject({
  passed: z.boolean(),
  result: NonEmptyTextSchema,
  notified: z.array(NotifiedPartySchema.strict()).readonly().default([]),
  businessAffected: z.boolean(),
  effectGone: z.boolean(),
});

/** The summary (3.1.5). */
export const SummariseInputSchema = z.strictObject({
  cause: NonEmptyTextSchema,
  fix: NonEmptyTextSchema,
  lessons: NonEmptyTextSchema,
  preventiveMeasures: z.array(NonEmptyTextSchema).min(1).readonly(),
});

/** Withdrawing a report that is no incident (a false alarm, a duplicate). */
export const CancelInputSchema = z.strictObject({ reason: NonEmptyTextSchema });

/** Input types, as callers send them. */
export type ClassifyInput = z.input<typeof ClassifyInputSchema>;
/** Assessment input. */
export type AssessInput = z.input<typeof AssessInputSchema>;
/** Reassessment input. */
export type ReassessInput = z.input<typeof ReassessInputSchema>;
/** Start input. */
export type StartInput = z.input<typeof StartInputSchema>;
/** Handling step input. */
export type LogStepInput = z.input<typeof LogStepInputSchema>;
/** Escalation input. */
export type EscalateInput = z.input<typeof EscalateInputSchema>;
/** Hold input. */
export type HoldInput = z.input<typeof HoldInputSchema>;
/** Recovery input. */
export type RecoverInput = z.input<typeof RecoverInputSchema>;
/** Verification input. */
export type VerifyInput = z.input<typeof VerifyInputSchema>;
/** Summary input. */
export type SummariseInput = z.input<typeof SummariseInputSchema>;
/** Cancel input. */
export type CancelInput = z.input<typeof CancelInputSchema>;
