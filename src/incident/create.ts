import type { z } from 'zod';
import { createEntity } from '../core/workflow/create.js';
import type { DomainEvent } from '../core/workflow/history.js';
import { type Actor, actorRef } from '../org/actor.js';
import type { Incident, ReportIncidentInputSchema } from './model.js';

/** A validated report: what `ReportIncidentInputSchema` gives. */
export type ReportedIncident = z.output<typeof ReportIncidentInputSchema>;

/**
 * Creates a new incident in the `reported` state from a validated report (3.1.1), with its
 * first history entry and creation event. Pure: it saves nothing. Every field of the incident
 * is present from the start (unset ones as `undefined`), so all incidents share one shape and
 * the hot path of `decide` stays monomorphic.
 *
 * @example
 * const { entity, event } = createIncident(report, reporter, new Date(), 'INC-000001');
 */
export function createIncident(
  report: ReportedIncident,
  reporter: Actor,
  now: Date,
  id: string,
  note?: string | undefined,
): { entity: Incident; event: DomainEvent } {
  return createEntity<Incident>(
    'incident',
    'reported',
    'report',
    {
      id,
      title: report.title,
      occurredAt: new Date(report.occurredAt).toISOString(),
      location: report.location,
      symptoms: report.symptoms,
      impactScope: report.impactScope,
      reportedBy: actorRef(reporter),
      severity: report.severity,
      impact: undefined,
      urgency: undefined,
      priority: undefined,
      major: undefined,
      strategy: undefined,
      actionPlan: undefined,
      assignee: undefined,
      steps: [],
      escalations: [],
      hold: undefined,
      recovery: undefined,
      verifications: [],
      summary: undefined,
      cancelReason: undefined,
      alert: report.alert,
    },
    reporter,
    now,
    note,
  );
}
