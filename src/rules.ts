import { changeRules } from './change/rules.js';
import { changeWorkflow } from './change/workflow.js';
import { type ClauseCoverage, clauseCoverage } from './core/coverage.js';
import type { Rule } from './core/rule.js';
import { incidentRules } from './incident/index.js';
import { monitoringRules } from './monitoring/rules.js';
import { securityRules } from './security/index.js';

/** Every rule of every module: what `charterCoverage` reports on. */
export const allRules: readonly Rule[] = [
  ...incidentRules,
  ...changeRules,
  ...changeWorkflow.rules,
  ...monitoringRules,
  ...securityRules,
];

/**
 * Which clauses of the charter the library enforces, and with which rules; and which it does not.
 *
 * @example
 * charterCoverage().unenforced; // ['1.1', '1.2', ...]
 */
export function charterCoverage(): ClauseCoverage {
  return clauseCoverage(allRules);
}
