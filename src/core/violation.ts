import type { ClauseId } from './clauses.js';
import type { Rule, Severity } from './rule.js';
import type { Locale, LocalizedText } from './text.js';

/**
 * Why something was refused or found wanting: the rule that said no, the charter clause it
 * enforces, how serious it is, a bilingual message and the facts behind it.
 */
export interface Violation {
  readonly ruleId: string;
  readonly clause: ClauseId;
  readonly severity: Severity;
  readonly message: LocalizedText;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Builds a violation of a rule. The message defaults to the rule's title.
 *
 * @example
 * violation(assessRole, undefined, { actor: 'u1' });
 * // { ruleId: 'incident.assess.role', clause: '3.1.2', severity: 'high', message: {...}, details: {...} }
 */
export function violation(
  rule: Rule,
  message?: LocalizedText,
  details?: Readonly<Record<string, unknown>>,
): Violation {
  const v: { -readonly [K in keyof Violation]: Violation[K] } = {
    ruleId: rule.id,
    clause: rule.clauses[0],
    severity: rule.severity,
    message: message ?? rule.title,
  };
  if (details !== undefined) v.details = details;
  return v;
}

/**
 * Formats violations as readable lines, one per violation, in one language.
 *
 * @example
 * formatViolations(result.error.violations, 'zh');
 * // '[3.1.2 incident.assess.role] 只有运维经理可以评估事件'
 */
export function formatViolations(violations: readonly Violation[], locale: Locale): string {
  return violations.map((v) => `[${v.clause} ${v.ruleId}] ${v.message[locale]}`).join('\n');
}
