import { type ValidationIssue, validationIssue } from '../../errors.js';

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
  if (typeof entity !== 'object' || entity === null) return [wrongType('entity', object)];
  const { state, history } = entity as { state?: unknown; history?: unknown };
  if (typeof state === 'string' && Array.isArray(history)) return undefined;
  const issues: ValidationIssue[] = [];
  if (typeof state !== 'string') issues.push(wrongType('entity.state', string));
  if (!Array.isArray(history)) issues.push(wrongType('entity.history', array));
  return issues;
}

/**
 * What is wrong with the actor as the engine reads it (string `id` and `name`,
 * `roles` an array of strings, `status` absent or one of `active`, `left`, `disabled`), or
 * `undefined` when nothing is. Guards may read more (`level`, `department`): the services
 * parse the whole actor with `ActorSchema` before they decide.
 */
export function actorIssues(actor: unknown): ValidationIssue[] | undefined {
  if (typeof actor !== 'object' || actor === null) return [wrongType('actor', object)];
  const { id, name, roles, status } = actor as {
    id?: unknown;
    name?: unknown;
    roles?: unknown;
    status?: unknown;
  };
  const badRole = Array.isArray(roles) ? firstNonString(roles) : -1;
  const knownStatus =
    status === undefined || status === 'active' || status === 'left' || status === 'disabled';
  const goodId = typeof id === 'string';
  const goodName = typeof name === 'string';
  if (goodId && goodName && badRole === undefined && knownStatus) return undefined;
  const issues: ValidationIssue[] = [];
  if (!goodId) issues.push(wrongType('actor.id', string));
  if (!goodName) issues.push(wrongType('actor.name', string));
  if (badRole === -1) issues.push(wrongType('actor.roles', array));
  else if (badRole !== undefined) issues.push(wrongType(`actor.roles.${badRole}`, string));
  if (!knownStatus) issues.push(wrongType('actor.status', statuses, 'invalid_value'));
  return issues;
}

/**
 * What is wrong with the decision context (an object whose `now` is a valid `Date`), or
 * `undefined` when nothing is. An invalid `Date` would throw a RangeError when the history
 * entry is stamped, after the guards had run.
 */
export function contextIssues(ctx: unknown): ValidationIssue[] | undefined {
  if (typeof ctx !== 'object' || ctx === null) return [wrongType('ctx', object)];
  return isInstant((ctx as { now?: unknown }).now) ? undefined : [invalidDate('ctx.now')];
}

/** Tells whether a value is a `Date` holding a time (`new Date('x')` holds NaN). */
export function isInstant(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** The issue of a field that should have been a valid `Date`. */
export function invalidDate(path: string): ValidationIssue {
  return wrongType(path, date, 'invalid_date');
}

/** The issues of several checks as one list; called only once one of them found some. */
export function joinIssues(...found: (ValidationIssue[] | undefined)[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const list of found) if (list) out.push(...list);
  return out;
}

// What a field should have been, in Chinese and English: one message pattern for every field
// keeps these checks small in a portal's bundle.
const object = ['对象', 'an object'] as const;
const string = ['字符串', 'a string'] as const;
const array = ['数组', 'an array'] as const;
const date = ['有效日期', 'a valid Date'] as const;
const statuses = ['active | left | disabled 之一', 'one of active | left | disabled'] as const;

function wrongType(
  path: string,
  [zh, en]: readonly [string, string],
  code = 'invalid_type',
): ValidationIssue {
  return validationIssue(path, code, `${path} 应为${zh}`, `${path} must be ${en}`);
}

/** The index of the first element that is not a string, if any. */
function firstNonString(list: readonly unknown[]): number | undefined {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return i;
  return undefined;
}
