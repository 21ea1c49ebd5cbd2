import type { ValidationIssue } from '../../errors.js';
import { issue } from './issue.js';

// Structural checks of what `decide` and `availableCommands` read from their arguments. Types
// say an actor has `roles`, but callers pass what a session, a JSON body or a test fuzzer gave
// them; a garbage actor made the engine throw a TypeError instead of returning `validation`.
// Each check is a few `typeof`s and allocates nothing when the argument is well formed: zod
// (the `ActorSchema` the services parse with) would cost ~0.5 µs on every decision.

/**
 * What is wrong with the entity as the engine reads it (an object with a string `state` and a
 * `history` array), or `undefined` when nothing is.
 */
export function entityIssues(entity: unknown): ValidationIssue[] | undefined {
  if (typeof entity !== 'object' || entity === null) {
    return [issue('entity', 'invalid_type', '实体必须是对象', 'The entity must be an object')];
  }
  const { state, history } = entity as { state?: unknown; history?: unknown };
  if (typeof state === 'string' && Array.isArray(history)) return undefined;
  const issues: ValidationIssue[] = [];
  if (typeof state !== 'string') {
    issues.push(
      issue('entity.state', 'invalid_type', '状态必须是字符串', 'State must be a string'),
    );
  }
  if (!Array.isArray(history)) {
    issues.push(
      issue('entity.history', 'invalid_type', '历史必须是数组', 'History must be an array'),
    );
  }
  return issues;
}

/**
 * What is wrong with the actor as the engine reads it (non-empty string `id` and `name`,
 * `roles` an array of strings, `status` absent or one of `active`, `left`, `disabled`), or
 * `undefined` when nothing is. Guards may read more (`level`, `department`): the services
 * parse the whole actor with `ActorSchema` before they decide.
 */
export function actorIssues(actor: unknown): ValidationIssue[] | undefined {
  if (typeof actor !== 'object' || actor === null) {
    return [issue('actor', 'invalid_type', '操作人必须是对象', 'The actor must be an object')];
  }
  const { id, name, roles, status } = actor as ActorFields;
  const badRole = Array.isArray(roles) ? firstNonString(roles) : -1;
  if (
    isNonEmptyString(id) &&
    isNonEmptyString(name) &&
    badRole === undefined &&
    (status === undefined || status === 'active' || status === 'left' || status === 'disabled')
  ) {
    return undefined;
  }
  return describeActor(actor as ActorFields, badRole);
}

interface ActorFields {
  readonly id?: unknown;
  readonly name?: unknown;
  readonly roles?: unknown;
  readonly status?: unknown;
}

/** The issues of an actor `actorIssues` found malformed; `badRole` -1 when roles is no array. */
function describeActor(
  { id, name, status }: ActorFields,
  badRole: number | undefined,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isNonEmptyString(id)) {
    issues.push(
      issue(
        'actor.id',
        'invalid_type',
        '操作人 id 必须是非空字符串',
        'Actor id must be a non-empty string',
      ),
    );
  }
  if (!isNonEmptyString(name)) {
    issues.push(
      issue(
        'actor.name',
        'invalid_type',
        '操作人姓名必须是非空字符串',
        'Actor name must be a non-empty string',
      ),
    );
  }
  if (badRole === -1) {
    issues.push(issue('actor.roles', 'invalid_type', '角色必须是数组', 'Roles must be an array'));
  } else if (badRole !== undefined) {
    issues.push(
      issue(
        `actor.roles.${badRole}`,
        'invalid_type',
        '角色必须是字符串',
        'A role must be a string',
      ),
    );
  }
  if (status !== undefined && status !== 'active' && status !== 'left' && status !== 'disabled') {
    issues.push(
      issue(
        'actor.status',
        'invalid_value',
        '状态应为 active | left | disabled 之一',
        'Status must be one of active | left | disabled',
      ),
    );
  }
  return issues;
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/** The index of the first element that is not a string, if any. */
function firstNonString(list: readonly unknown[]): number | undefined {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return i;
  return undefined;
}

/**
 * What is wrong with the decision context (an object whose `now` is a valid `Date`), or
 * `undefined` when nothing is. An invalid `Date` would throw a RangeError when the history
 * entry is stamped, after the guards had run.
 */
export function contextIssues(ctx: unknown): ValidationIssue[] | undefined {
  if (typeof ctx !== 'object' || ctx === null) {
    return [issue('ctx', 'invalid_type', '上下文必须是对象', 'The context must be an object')];
  }
  const now = (ctx as { now?: unknown }).now;
  if (now instanceof Date && !Number.isNaN(now.getTime())) return undefined;
  return [
    issue('ctx.now', 'invalid_date', '当前时间必须是有效日期', 'ctx.now must be a valid Date'),
  ];
}

/** The issues of several checks as one list; called only once one of them found some. */
export function joinIssues(...found: (ValidationIssue[] | undefined)[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const list of found) if (list) out.push(...list);
  return out;
}
