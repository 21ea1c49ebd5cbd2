import { type ClauseCoverage, clauseCoverage } from './core/coverage.js';
import type { Rule } from './core/rule.js';
import { securityRules } from './security/index.js';

/** Every rule of every module: what `charterCoverage` reports on. */
export const allRules: readonly Rule[] = [...securityRules];

/**
 * Which clauses of the charter the library enforces, and with which rules; and which it does not.
 *
 * @example
 * charterCoverage().unenforced; // ['1.1', '1.2', ...]
 */
export function charterCoverage(): ClauseCoverage {
  return clauseCoverage(allRules);
}
