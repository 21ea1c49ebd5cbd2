import { type ClauseId, clauseIds, clauseTitle } from './clauses.js';
import type { Rule } from './rule.js';
import type { LocalizedText } from './text.js';

/** One clause and the rules that enforce it. */
export interface ClauseCoverageEntry {
  readonly clause: ClauseId;
  readonly title: LocalizedText;
  readonly rules: readonly string[];
}

/** Which rules enforce each clause, and which clauses nothing enforces yet. */
export interface ClauseCoverage {
  readonly clauses: readonly ClauseCoverageEntry[];
  readonly unenforced: readonly ClauseId[];
}

/**
 * Reports, per charter clause, the rules that enforce it, and the clauses that no rule enforces.
 * The root entry point `opscharter` exports `allRules`, the rules of every module.
 *
 * @example
 * const { unenforced } = clauseCoverage(allRules);
 * unenforced.includes('6.4.3'); // true: nothing checks exit interviews
 */
export function clauseCoverage(rules: readonly Rule[]): ClauseCoverage {
  const byClause = new Map<ClauseId, string[]>();
  for (const rule of rules) {
    for (const clause of rule.clauses) {
      const ids = byClause.get(clause);
      if (ids) {
        if (!ids.includes(rule.id)) ids.push(rule.id);
      } else byClause.set(clause, [rule.id]);
    }
  }
  const entries = clauseIds.map((clause) => ({
    clause,
    title: clauseTitle(clause),
    rules: byClause.get(clause) ?? [],
  }));
  return {
    clauses: entries,
    unenforced: entries.filter((e) => e.rules.length === 0).map((e) => e.clause),
  };
}
