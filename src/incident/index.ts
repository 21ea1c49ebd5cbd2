/**
 * Incident management, charter 3.1: report, assess (priority matrix), handle, recover and
 * verify, summarise, close; SLA clocks computed from the history in a business calendar.
 *
 * @module incident
 */
export * from './calendar.js';
export * from './create.js';
export * from './model.js';
export * from './policy.js';
export * from './priority.js';
export * from './repository.js';
export * from './rules.js';
export * from './service.js';
export * from './sla.js';
export * from './workflow.js';

import type { Rule } from '../core/rule.js';
import { incidentPolicyRules } from './rules.js';
import { incidentWorkflow } from './workflow.js';

/** Every rule incident management enforces, for `clauseCoverage`: the workflow's and the policy's. */
export const incidentRules: readonly Rule[] = [
  ...new Map(
    [...incidentWorkflow.rules, ...incidentPolicyRules].map((rule) => [rule.id, rule] as const),
  ).values(),
];
