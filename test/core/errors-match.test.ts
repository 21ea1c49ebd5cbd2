import {
  conflict,
  defineRule,
  forbidden,
  invalidTransition,
  notFound,
  type OpsError,
  policyViolation,
  text,
  validationError,
  violation,
} from 'opscharter/core';
import { match } from 'ts-pattern';
import { describe, expect, it } from 'vitest';

// DESIGN: callers match an OpsError by `code`. The library itself needs no matcher at run time
// (ts-pattern is a dev dependency); this pins that the union stays matchable exhaustively.
const rule = defineRule({
  id: 'test.match.rule',
  clauses: ['3.3.4'],
  severity: 'high',
  title: text('规则', 'Rule'),
});

const whatToDo = (error: OpsError): string =>
  match(error)
    .with({ code: 'validation' }, (e) => `fix ${e.issues.map((i) => i.path).join(', ')}`)
    .with({ code: 'not_found' }, () => 'gone')
    .with({ code: 'conflict' }, () => 'reload and retry')
    .with({ code: 'forbidden' }, (e) => `ask someone else (${e.violations[0]?.ruleId})`)
    .with({ code: 'invalid_transition' }, (e) => `not from ${e.from}`)
    .with({ code: 'policy_violation' }, (e) => `${e.violations.length} rule(s) said no`)
    .exhaustive();

describe('OpsError with ts-pattern', () => {
  it('matches every code exhaustively', () => {
    const v = violation(rule);
    expect(
      [
        validationError([{ path: 'impact', code: 'required', message: text('必填', 'Required') }]),
        notFound('incident', 'INC-1'),
        conflict('incident', 'INC-1', 1, 2),
        forbidden([v]),
        invalidTransition('closed', 'assess'),
        policyViolation([v, v]),
      ].map(whatToDo),
    ).toEqual([
      'fix impact',
      'gone',
      'reload and retry',
      'ask someone else (test.match.rule)',
      'not from closed',
      '2 rule(s) said no',
    ]);
  });
});
