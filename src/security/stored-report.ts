import { z } from 'zod';
import type { AggregateSpec } from '../core/repository.js';
import { InstantSchema, workflowEntityShape } from '../core/schemas.js';
import { text } from '../core/text.js';
import { defineWorkflow } from '../core/workflow/definition.js';
import type { WorkflowEntity } from '../core/workflow/history.js';
import { StoredReportIdSchema } from './id.js';
import type { AuditReport } from './report.js';
import type { SecurityPolicyHolder } from './waiver.js';

/** A stored audit: recorded when it runs, acknowledged when the security officer signs it off. */
export const storedReportStates = ['recorded', 'acknowledged'] as const;

const ReportBodySchema = z.custom<AuditReport>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as { findings?: unknown }).findings) &&
    typeof (v as { at?: unknown }).at === 'string',
  { message: 'Not an audit report', params: { zh: '不是审计报告' } },
);

/** A stored audit report. */
export const StoredReportSchema = z.object({
  ...workflowEntityShape(storedReportStates, StoredReportIdSchema),
  at: InstantSchema,
  profile: z.string().min(1),
  findings: z.number().int().nonnegative(),
  critical: z.number().int().nonnegative(),
  report: ReportBodySchema,
  acknowledgedBy: z.object({ id: z.string(), name: z.string() }).optional(),
});

/** A stored audit report. */
export type StoredReport = z.infer<typeof StoredReportSchema> &
  WorkflowEntity<(typeof storedReportStates)[number]>;

/**
 * The lifecycle of a stored report: the periodic permission audit of 5.3.2 is done when an
 * officer acknowledges it.
 *
 * @example
 * decide(reportWorkflow, stored, { type: 'acknowledge' }, officer, { now, policy });
 */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own input type
export const reportWorkflow = defineWorkflow<StoredReport, SecurityPolicyHolder, any>({
  id: 'security_report',
  title: text('安全审计报告', 'Security audit report'),
  initial: 'recorded',
  states: {
    recorded: { title: text('已记录', 'Recorded') },
    acknowledged: {
      title: text('已确认', 'Acknowledged'),
      terminal: true,
      required: ['acknowledgedBy'],
    },
  },
  fields: { acknowledgedBy: text('确认人', 'Acknowledged by') },
  commands: {
    acknowledge: {
      title: text('确认审计报告', 'Acknowledge the audit report'),
      clause: '5.3.2',
      from: ['recorded'],
      to: 'acknowledged',
      roles: ['security_officer', 'it_head', 'cio', 'auditor'],
      apply: (_r: StoredReport, _i: unknown, actor: { id: string; name: string }) => ({
        acknowledgedBy: { id: actor.id, name: actor.name },
      }),
    },
  },
});

/** Filters of stored reports. */
export type StoredReportFilter = 'state' | 'profile';

/** How reports are stored and listed. */
export const storedReportSpec: AggregateSpec<StoredReport, StoredReportFilter> = {
  name: 'security_report',
  title: reportWorkflow.title,
  schema: StoredReportSchema as unknown as z.ZodType<StoredReport, unknown>,
  filters: { state: (r) => r.state, profile: (r) => r.profile },
};
