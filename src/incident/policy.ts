import { z } from 'zod';
import { parsePolicy } from '../core/config.js';
import { TimeZoneSchema } from '../core/schemas.js';
import { engineerRoles, roles } from '../org/roles.js';
import { incidentStates, type Priority, PrioritySchema } from './model.js';
import { PriorityMatrixConfigSchema } from './priority.js';

const RoleListSchema = z.array(z.enum(roles)).readonly();
const StateListSchema = z.array(z.enum(incidentStates)).readonly();
const DateSchema = z.iso.date();
const TimeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'Expected HH:mm' });

/** Working hours in a named time zone, with holidays and make-up working days. */
export const BusinessCalendarSchema = z
  .object({
    /** IANA zone the hours and dates are read in. */
    timeZone: TimeZoneSchema.default('Asia/Shanghai'),
    /** Working weekdays, 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).readonly().default([1, 2, 3, 4, 5]),
    start: TimeOfDaySchema.default('09:00'),
    end: TimeOfDaySchema.default('18:00'),
    /** Local dates (`YYYY-MM-DD`) that are not worked. */
    holidays: z.array(DateSchema).readonly().default([]),
    /** Local dates worked although their weekday is not (China's 调休 make-up days). */
    workdays: z.array(DateSchema).readonly().default([]),
  })
  .refine((c) => c.start < c.end, {
    message: 'The working day must start before it ends',
    params: { zh: '工作时间的开始必须早于结束' },
    path: ['end'],
  });

/** A business calendar. */
export type BusinessCalendar = z.infer<typeof BusinessCalendarSchema>;

/** Response and resolution targets of one priority, in minutes of its calendar. */
export const SlaTargetSchema = z.object({
  responseMinutes: z.number().positive(),
  resolutionMinutes: z.number().positive(),
  /** `always`: the clock runs round the clock; `business`: only in the business calendar. */
  calendar: z.enum(['always', 'business']),
});

/** The targets of one priority. */
export type SlaTarget = z.infer<typeof SlaTargetSchema>;

const defaultTargets: Record<Priority, SlaTarget> = {
  P1: { responseMinutes: 15, resolutionMinutes: 4 * 60, calendar: 'always' },
  P2: { responseMinutes: 30, resolutionMinutes: 8 * 60, calendar: 'always' },
  P3: { responseMinutes: 4 * 60, resolutionMinutes: 3 * 9 * 60, calendar: 'business' },
  P4: { responseMinutes: 8 * 60, resolutionMinutes: 5 * 9 * 60, calendar: 'business' },
  P5: { responseMinutes: 2 * 9 * 60, resolutionMinutes: 10 * 9 * 60, calendar: 'business' },
};

/** SLA settings: targets per priority, when the clocks run, the calendar, the marks. */
export const SlaPolicySchema = z
  .object({
    targets: z
      .object({
        P1: SlaTargetSchema.default(defaultTargets.P1),
        P2: SlaTargetSchema.default(defaultTargets.P2),
        P3: SlaTargetSchema.default(defaultTargets.P3),
        P4: SlaTargetSchema.default(defaultTargets.P4),
        P5: SlaTargetSchema.default(defaultTargets.P5),
      })
      .prefault({}),
    /** The priority whose targets apply before the assessment sets one. */
    unassessedPriority: PrioritySchema.default('P3'),
    /** States in which the response clock runs; it stops for good when the incident leaves them. */
    responseStates: StateListSchema.default(['reported']),
    /** States in which the resolution clock runs; in others (on hold, recovered…) it pauses. */
    runningStates: StateListSchema.default(['reported', 'assessed', 'in_progress']),
    /** States in which the incident counts as resolved (the resolution target met or missed). */
    resolvedStates: StateListSchema.default(['recovered', 'verified', 'summarised', 'closed']),
    calendar: BusinessCalendarSchema.prefault({}),
    /** Fraction of the target at which the warning mark is reached. */
    warningAt: z.number().gt(0).lt(1).default(0.75),
    /** Fraction of the target at which the breach mark is reached. */
    breachAt: z.number().gt(0).default(1),
  })
  .refine((s) => s.warningAt < s.breachAt, {
    message: 'warningAt must be below breachAt',
    params: { zh: 'warningAt 必须小于 breachAt' },
    path: ['warningAt'],
  });

/** SLA settings. */
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

/**
 * The incident section of the policy. Every field has a default from the charter and common
 * ITSM practice; `definePolicy({ incident: { … } })` overrides any of them.
 */
export const IncidentPolicySchema = z.object({
  /** The priority matrix: `'3x3'` (default), `'5x5'`, or a table of one's own. */
  matrix: PriorityMatrixConfigSchema.prefault('3x3'),
  /** The priority a major incident takes whatever the matrix says. */
  majorIncidentPriority: PrioritySchema.default('P1'),
  /** Who assesses (3.1.2): the ops manager. */
  assessRoles: RoleListSchema.default(['ops_manager']),
  /** Roles the ops manager delegates assessment to; empty by default. */
  delegateRoles: RoleListSchema.default([]),
  /** Who classifies, handles, recovers and verifies: ops engineers and the ops manager. */
  handlerRoles: RoleListSchema.default([...engineerRoles, 'ops_manager']),
  /** Who verifies a recovery (3.1.4). */
  verifyRoles: RoleListSchema.default([...engineerRoles, 'ops_manager']),
  /** Who closes or cancels (3.1.5). */
  closeRoles: RoleListSchema.default(['ops_manager']),
  /** A summary is required before close (3.1.5). */
  summaryRequired: z.boolean().default(true),
  /** At least one handling step must be logged before recovery (3.1.3). */
  stepsRequiredBeforeRecover: z.boolean().default(true),
  /** A passing verification must name who was notified (3.1.4). */
  notificationRequired: z.boolean().default(true),
  sla: SlaPolicySchema.prefault({}),
});

/** The incident section of the policy, validated. */
export type IncidentPolicy = z.infer<typeof IncidentPolicySchema>;

/** What an incident section override may hold. */
export type IncidentPolicyInput = z.input<typeof IncidentPolicySchema>;

/** What the incident workflow reads from the policy: the whole `Policy` fits. */
export interface IncidentPolicyHolder {
  readonly incident: IncidentPolicy;
}

/**
 * The incident policy with defaults, validated: for using the incident module on its own.
 * Throws on a bad override (a programmer error at start-up), naming the field.
 *
 * @example
 * const policy = { incident: defineIncidentPolicy({ matrix: '5x5' }) };
 */
export function defineIncidentPolicy(overrides: IncidentPolicyInput = {}): IncidentPolicy {
  return parsePolicy('defineIncidentPolicy', IncidentPolicySchema, overrides);
}
