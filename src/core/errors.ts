import type { z } from 'zod';
import { type LocalizedText, text } from './text.js';
import type { Violation } from './violation.js';

/** One problem with one field of an input, named by its path (`location.ci`, `steps.0.at`). */
export interface ValidationIssue {
  /** Dotted path of the field; empty for the input as a whole. */
  readonly path: string;
  readonly code: string;
  readonly message: LocalizedText;
}

/** The input did not fit its schema; nothing was changed. */
export interface ValidationError {
  readonly code: 'validation';
  readonly issues: readonly ValidationIssue[];
  readonly message: LocalizedText;
}

/** No entity with that id. */
export interface NotFoundError {
  readonly code: 'not_found';
  readonly entity: string;
  readonly id: string;
  readonly message: LocalizedText;
}

/** The stored version moved since it was read; nothing was overwritten. */
export interface ConflictError {
  readonly code: 'conflict';
  readonly entity: string;
  readonly id: string;
  readonly expectedVersion: number;
  readonly actualVersion: number | undefined;
  readonly message: LocalizedText;
}

/** The actor lacks the role or authority. */
export interface ForbiddenError {
  readonly code: 'forbidden';
  readonly violations: readonly Violation[];
  readonly message: LocalizedText;
}

/** The command does not apply in the entity's current state. */
export interface InvalidTransitionError {
  readonly code: 'invalid_transition';
  readonly from: string;
  readonly command: string;
  readonly message: LocalizedText;
}

/** A policy rule said no; the violations say which and why. */
export interface PolicyViolationError {
  readonly code: 'policy_violation';
  readonly violations: readonly Violation[];
  readonly message: LocalizedText;
}

/** Every expected failure, discriminated by `code`; match it with ts-pattern or a switch. */
export type OpsError =
  | ValidationError
  | NotFoundError
  | ConflictError
  | ForbiddenError
  | InvalidTransitionError
  | PolicyViolationError;

/** The codes of `OpsError`. */
export type OpsErrorCode = OpsError['code'];

/**
 * Builds a validation error from issues. Its message lists the fields' paths, unless given:
 * issues whose own messages name the field by its title (`decide`'s) pass those instead.
 *
 * @example
 * validationError([{ path: 'title', code: 'required', message: text('必填', 'Required') }]);
 */
export function validationError(
  issues: readonly ValidationIssue[],
  message?: LocalizedText,
): ValidationError {
  if (message) return { code: 'validation', issues, message };
  const fields = issues.map((i) => i.path || '(input)').join(', ');
  return {
    code: 'validation',
    issues,
    message: text(`输入无效:${fields}`, `Invalid input: ${fields}`),
  };
}

/**
 * The issues of a nested value, renamed as fields under `path`: `roles.0` of the actor becomes
 * `actor.roles.0`, and an issue of the value itself (path `''`) becomes `actor`.
 *
 * @example
 * issuesUnder(fromZodError(parsed.error).issues, 'actor'); // [{ path: 'actor.roles.0', … }]
 */
export function issuesUnder(issues: readonly ValidationIssue[], path: string): ValidationIssue[] {
  return issues.map((i) => ({ ...i, path: i.path === '' ? path : `${path}.${i.path}` }));
}

/**
 * One validation issue with its message in Chinese and English.
 *
 * @example
 * validationIssue('impact', 'required', '请填写影响程度', 'Impact is required');
 */
export function validationIssue(
  path: string,
  code: string,
  zh: string,
  en: string,
): ValidationIssue {
  return { path, code, message: text(zh, en) };
}

/**
 * Builds a validation error for one field.
 *
 * @example
 * fieldError('impactScope', 'required', text('影响范围必填', 'Impact scope is required'));
 */
export function fieldError(path: string, code: string, message: LocalizedText): ValidationError {
  return validationError([{ path, code, message }]);
}

/**
 * Maps zod issues to validation issues with a Chinese and an English message. Refinements carry
 * their Chinese text in `params.zh`.
 *
 * @example
 * const parsed = schema.safeParse(input);
 * if (!parsed.success) return err(fromZodError(parsed.error));
 */
export function fromZodError(error: z.ZodError): ValidationError {
  return validationError(error.issues.map(toValidationIssue));
}

function toValidationIssue(issue: z.core.$ZodIssue): ValidationIssue {
  const path = issue.path.map(String).join('.');
  return { path, code: issue.code, message: text(chineseMessage(issue), issue.message) };
}

const typeNames: Readonly<Record<string, string>> = {
  string: '字符串',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  date: '日期',
  bigint: '大整数',
  undefined: '空',
  null: 'null',
  nan: 'NaN',
};

function chineseMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `类型无效:应为${typeNames[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `长度过短:至少 ${String(issue.minimum)}`
        : `数值过小:应${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `长度过长:至多 ${String(issue.maximum)}`
        : `数值过大:应${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return `格式无效:应为 ${issue.format}`;
    case 'not_multiple_of':
      return `应为 ${String(issue.divisor)} 的倍数`;
    case 'unrecognized_keys':
      return `无法识别的字段:${issue.keys.join(', ')}`;
    case 'invalid_value':
      return `取值无效:应为 ${issue.values.map(String).join(' | ')} 之一`;
    case 'invalid_union':
      return '不符合任何允许的形式';
    case 'invalid_key':
      return '键无效';
    case 'invalid_element':
      return '元素无效';
    case 'custom': {
      const zh = (issue.params as { zh?: unknown } | undefined)?.zh;
      return typeof zh === 'string' ? zh : issue.message;
    }
    default:
      return '输入无效';
  }
}

/**
 * Builds a not-found error. The message names the aggregate by its title when given (a
 * store passes its spec's), else by `entity`, which stays the id machines match on.
 *
 * @example
 * notFound('incident', 'INC-1', text('事件', 'Incident')); // 未找到事件 INC-1 / Incident INC-1 not found
 */
export function notFound(entity: string, id: string, title?: LocalizedText): NotFoundError {
  return {
    code: 'not_found',
    entity,
    id,
    message: text(
      `未找到${title ? title.zh : ` ${entity}`} ${id}`,
      `${title ? title.en : entity} ${id} not found`,
    ),
  };
}

/**
 * Builds a conflict error: the stored version is not the one the caller read. The message
 * names the aggregate by its title when given, as `notFound` does.
 *
 * @example
 * conflict('incident', 'INC-1', 3, 4, text('事件', 'Incident'));
 */
export function conflict(
  entity: string,
  id: string,
  expectedVersion: number,
  actualVersion: number | undefined,
  title?: LocalizedText,
): ConflictError {
  const actual = actualVersion === undefined ? 'none' : String(actualVersion);
  const name = title ?? text(entity, entity);
  return {
    code: 'conflict',
    entity,
    id,
    expectedVersion,
    actualVersion,
    message: text(
      `${name.zh} ${id} 已被修改:期望版本 ${expectedVersion},实际 ${actual}`,
      `${name.en} ${id} was changed: expected version ${expectedVersion}, found ${actual}`,
    ),
  };
}

/**
 * Builds a forbidden error from the violations that forbid it.
 *
 * @example
 * forbidden([violation(assessRole)]);
 */
export function forbidden(violations: readonly Violation[]): ForbiddenError {
  // Role and authority rules already say "not allowed to …": no prefix to repeat it.
  // One violation (the usual refusal) is its own message: no arrays to map and join.
  const only = violations.length === 1 ? violations[0]!.message : undefined;
  return {
    code: 'forbidden',
    violations,
    message: only
      ? text(only.zh, only.en)
      : text(
          violations.map((v) => v.message.zh).join(';'),
          violations.map((v) => v.message.en).join('; '),
        ),
  };
}

/**
 * Builds a policy-violation error.
 *
 * @example
 * policyViolation([violation(summaryRequired)]);
 */
export function policyViolation(violations: readonly Violation[]): PolicyViolationError {
  return {
    code: 'policy_violation',
    violations,
    message: joinMessages(violations, '违反制度', 'Policy violation'),
  };
}

/**
 * Builds an invalid-transition error. The message names the state and the command by their
 * titles when given (`decide` passes the workflow's), else by their ids; `from` and `command`
 * stay the ids.
 *
 * @example
 * invalidTransition('closed', 'assess', text('已关闭', 'Closed'), text('评估', 'Assess'));
 * // 在「已关闭」状态下不能执行「评估」 / Cannot assess in state Closed
 */
export function invalidTransition(
  from: string,
  command: string,
  fromTitle?: LocalizedText,
  commandTitle?: LocalizedText,
): InvalidTransitionError {
  return {
    code: 'invalid_transition',
    from,
    command,
    message: text(
      `在「${fromTitle?.zh ?? from}」状态下不能执行「${commandTitle?.zh ?? command}」`,
      // Lower-cased as the role rules' "Not allowed to …" are: command titles are verb phrases.
      `Cannot ${commandTitle ? commandTitle.en.toLowerCase() : command} in state ${fromTitle?.en ?? from}`,
    ),
  };
}

function joinMessages(violations: readonly Violation[], zh: string, en: string): LocalizedText {
  return text(
    `${zh}:${violations.map((v) => v.message.zh).join(';')}`,
    `${en}: ${violations.map((v) => v.message.en).join('; ')}`,
  );
}
