import type { AggregateSpec, Repository } from '../core/repository.js';
import { text } from '../core/text.js';
import { type Incident, IncidentSchema } from './model.js';

/** The fields incident lists filter on. */
export type IncidentFilter =
  | 'state'
  | 'priority'
  | 'severity'
  | 'system'
  | 'ci'
  | 'major'
  | 'assignee'
  | 'reporter';

/**
 * How incidents are stored: the schema, and the list filters an adapter keeps as columns.
 *
 * @example
 * const incidents = createMemoryRepository(incidentSpec);
 * await incidents.list({ where: { state: 'in_progress', priority: ['P1', 'P2'] } });
 */
export const incidentSpec: AggregateSpec<Incident, IncidentFilter> = {
  name: 'incident',
  title: text('事件', 'Incident'),
  schema: IncidentSchema,
  filters: {
    state: (i) => i.state,
    priority: (i) => i.priority,
    severity: (i) => i.severity,
    system: (i) => i.location.system,
    ci: (i) => i.location.cis,
    major: (i) => i.major,
    assignee: (i) => i.assignee?.id,
    reporter: (i) => i.reportedBy.id,
  },
};

/** The port an incident store implements. */
export type IncidentRepository = Repository<Incident, IncidentFilter>;
