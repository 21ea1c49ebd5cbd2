import { type ClauseId, isClauseId } from './clauses.js';
import type { LocalizedText } from './text.js';

/** How serious a violation or finding is, from merely informative to critical. */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** Severities from least to most serious; the index is the rank. */
export const severities: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * A named rule of the library: a stable id that never changes meaning, the charter clauses it
 * enforces, its default severity and a bilingual title. Guards, policy checks and audit checks
 * are all rules, so `clauseCoverage` can answer "which code enforces 3.3.4?".
 */
export interface Rule {
  /** Stable id, dotted and lower-case: `incident.assess.role`. */
  readonly id: string;
  /** The clauses enforced; the first is the one a violation cites. */
  readonly clauses: readonly [ClauseId, ...ClauseId[]];
  readonly severity: Severity;
  readonly title: LocalizedText;
}

const ruleIdPattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/**
 * Declares a rule. Throws at start-up if the id is malformed or a clause does not exist in the
 * charter: both are programmer errors, caught by the first test that imports the module.
 *
 * @example
 * const assessRole = defineRule({
 *   id: 'incident.assess.role',
 *   clauses: ['3.1.2'],
 *   severity: 'high',
 *   title: text('只有运维经理可以评估事件', 'Only the ops manager may assess an incident'),
 * });
 */
export function defineRule<const R extends Rule>(rule: R): R {
  if (!ruleIdPattern.test(rule.id)) throw new Error(`defineRule: malformed rule id '${rule.id}'`);
  for (const clause of rule.clauses) {
    if (!isClauseId(clause))
      throw new Error(`defineRule: ${rule.id} names unknown clause ${clause}`);
  }
  return Object.freeze(rule);
}

/**
 * Compares two severities.
 *
 * @example
 * compareSeverity('critical', 'low') > 0; // true
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return severities.indexOf(a) - severities.indexOf(b);
}
