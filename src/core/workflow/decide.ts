import { type Actor, actorRef } from '../../org/actor.js';
import {
  forbidden,
  fromZodError,
  type InvalidTransitionError,
  invalidTransition,
  type OpsError,
  policyViolation,
  type ValidationIssue,
  validationError,
  validationIssue,
} from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { type LocalizedText, text } from '../text.js';
import { isoInstant } from '../time.js';
import { normalize, roleViolation, runGuards } from './_lib/checks.js';
import { isMissing } from './_lib/presence.js';
import { actorIssues, contextIssues, entityIssues, joinIssues } from './_lib/well-formed.js';
import type {
  AnyCommands,
  CommandOf,
  CompiledCommand,
  DecideContext,
  StateDefinition,
  Workflow,
} from './definition.js';
import type { DomainEvent, HistoryEntry, WorkflowEntity } from './history.js';

/** What a decision produces: the next entity (not yet saved) and the events to publish. */
export interface Decision<E> {
  readonly next: E;
  readonly events: readonly DomainEvent[];
}

/**
 * Commands whose input `parseCommand` validated, with the workflow that validated them: `decide`
 * skips zod only for the same workflow, so a command parsed for one workflow is checked again
 * by another with a command of the same name.
 */
const validatedCommands = new WeakMap<object, object>();

/**
 * Validates a command's input against its schema once, at the boundary. `decide` trusts a
 * command returned from here and does not validate it again (zod stays out of hot loops).
 *
 * @example
 * const parsed = parseCommand(incidentWorkflow, { type: 'assess', input });
 * if (parsed.ok) decide(incidentWorkflow, incident, parsed.value, actor, ctx);
 */
export function parseCommand<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>(
  workflow: Workflow<E, P, C>,
  command: unknown,
): Result<CommandOf<C>, OpsError> {
  const parsed = parse(workflow, command);
  if (parsed.ok) validatedCommands.set(parsed.value, workflow);
  return parsed;
}

/**
 * `parseCommand` without marking the result as validated: `decide` validates a command it
 * was not given by `parseCommand` with this, and its parsed copy never leaves `decide`, so
 * putting it in the WeakSet would only cost an insertion and an ephemeron for the collector.
 */
function parse<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>(
  workflow: Workflow<E, P, C>,
  command: unknown,
): Result<CommandOf<C>, OpsError> {
  if (typeof command !== 'object' || command === null) {
    return err(
      validationError([
        validationIssue('', 'invalid_type', '命令必须是对象', 'Command must be an object'),
      ]),
    );
  }
  const { type, input, note } = command as { type?: unknown; input?: unknown; note?: unknown };
  const compiled = typeof type === 'string' ? workflow.compiled.get(type) : undefined;
  if (!compiled) {
    // `String(type)` throws for an object whose `toString` is not a function (or that has no
    // prototype): name only what is safe to print.
    const shown = typeof type === 'string' ? type : `(${typeof type})`;
    return err(
      validationError([
        validationIssue('type', 'invalid_value', `未知命令:${shown}`, `Unknown command: ${shown}`),
      ]),
    );
  }
  if (note !== undefined && typeof note !== 'string') {
    return err(
      validationError([
        validationIssue('note', 'invalid_type', '备注必须是字符串', 'Note must be a string'),
      ]),
    );
  }
  let value: unknown = input;
  const schema = compiled.definition.input;
  if (schema) {
    const parsed = schema.safeParse(input);
    // Paths name the input's own fields (`impact`), as a caller of a service sends them.
    if (!parsed.success) return err(fromZodError(parsed.error));
    value = parsed.data;
  }
  return ok({ type, input: value, note } as CommandOf<C>);
}

/**
 * Decides a command: checks the state, the actor's role, the input, the guards and the fields
 * the target state requires, then returns the next entity with one history entry appended and
 * the domain events. Pure: it saves, sends and logs nothing. A rejected command changes nothing.
 * Malformed arguments the engine itself reads (an entity without a string `state` and a
 * `history` array, an actor without string `id`, `name` and `roles`, a `ctx.now` that is not a
 * valid `Date`) are a `validation` error naming the field (`actor.roles`, `ctx.now`). The rest
 * of the entity is the workflow's to read (its guards and `apply`): validate an entity from
 * outside with its schema first, as the services do.
 *
 * @example
 * const r = decide(incidentWorkflow, incident, { type: 'assess', input }, opsManager, { now, policy });
 * if (r.ok) await repo.save(r.value.next, { expectedVersion: incident.version });
 */
export function decide<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>(
  workflow: Workflow<E, P, C>,
  entity: E,
  command: CommandOf<C>,
  actor: Actor,
  ctx: DecideContext<P>,
): Result<Decision<E>, OpsError> {
  // The arguments a type cannot vouch for at run time: a few typeofs, no allocation when sound.
  const badEntity = entityIssues(entity);
  const badActor = actorIssues(actor);
  const badContext = contextIssues(ctx);
  if (badEntity || badActor || badContext) {
    return err(validationError(joinIssues(badEntity, badActor, badContext)));
  }
  let cmd: { type: string; input?: unknown; note?: string | undefined } = command;
  if (validatedCommands.get(command) !== workflow) {
    const parsed = parse(workflow, command);
    if (!parsed.ok) return parsed;
    cmd = parsed.value;
  }
  const compiled = workflow.compiled.get(cmd.type)!;
  const definition = compiled.definition;
  if (!compiled.from.has(entity.state)) return err(refusedTransition(workflow, entity, compiled));

  const denied = roleViolation(compiled, actor, ctx.policy);
  if (denied) return err(forbidden([denied]));

  const guardFailure = runGuards(definition, entity, actor, ctx);
  if (guardFailure) return err(guardFailure);

  const input = cmd.input;
  if (definition.check) {
    const found = normalize(definition.check(entity, input, actor, ctx));
    if (found.length > 0) return err(policyViolation(found));
  }

  let to: E['state'];
  if (typeof definition.to === 'function') {
    to = definition.to(entity, input, ctx);
    // A computed target outside the declared ones is a slip in the workflow definition (a
    // programmer error): going there would leave the drawings and `availableCommands` wrong.
    if (!compiled.targets.get(entity.state)?.includes(to)) {
      throw new Error(
        `workflow ${workflow.id}: ${cmd.type} led from ${entity.state} to ${to}, which its targets do not declare`,
      );
    }
  } else {
    to = definition.to;
  }
  const patch = definition.apply ? definition.apply(entity, input, actor, ctx) : undefined;

  const at = isoInstant(ctx.now);
  const ref = actorRef(actor);
  const entry: HistoryEntry = {
    seq: entity.history.length + 1,
    at,
    actor: ref,
    command: cmd.type,
    from: entity.state,
    to,
    note: cmd.note,
  };
  // A copy of the entity whose fields are then set: cheaper than one spread of entity and
  // patch together, and the copy keeps the entity's shape. The workflow's own `copy` is
  // monomorphic where a spread here is shared by every workflow (see `copy`).
  const history = appended(entity.history, entry);
  const next = (workflow.copy ? workflow.copy(entity) : { ...entity }) as Record<string, unknown>;
  if (patch) Object.assign(next, patch);
  next.state = to;
  next.updatedAt = at;
  next.history = history;
  const fieldIssues = checkFields(workflow, compiled, entity, to, patch, next);
  if (fieldIssues) return err(validationError(fieldIssues, issueMessages(fieldIssues)));

  const event: DomainEvent = {
    type: compiled.eventType,
    aggregate: workflow.id,
    id: entity.id,
    at,
    actor: ref,
    command: cmd.type,
    from: entity.state,
    to,
    data: definition.eventData?.(next as E, input),
  };
  return ok({ next: next as E, events: [event] });
}

function checkFields<E extends WorkflowEntity, P>(
  workflow: Workflow<E, P, AnyCommands<E, P>>,
  compiled: CompiledCommand<E, P>,
  entity: E,
  to: E['state'],
  patch: Partial<E> | undefined,
  next: Record<string, unknown>,
): ValidationIssue[] | undefined {
  let issues: ValidationIssue[] | undefined;
  // Built by defineWorkflow: the state's read-only fields less those the command unlocks.
  const locked = patch ? compiled.locked.get(entity.state) : undefined;
  if (patch && locked) {
    // Only the fields the command sets can break a lock: walk the patch, not the lock list.
    for (const field in patch) {
      if (!locked.has(field)) continue;
      if (Object.is(patch[field], entity[field])) continue;
      issues ??= [];
      issues.push(fieldIssue(workflow, field, entity.state, 'readonly'));
    }
  }
  const required = workflow.states[to].required;
  if (required) {
    // Staying in a state changes only the fields the command sets: the others were checked
    // when the entity entered the state, so only a patched field can have gone missing.
    const stays = to === entity.state;
    // Most commands that stay patch a field or two: walk those against the state's set, and
    // walk the required list (for its order in the issues) only when one has gone missing.
    const requiredSet = stays ? compiled.required.get(to) : undefined;
    if (requiredSet && !patchEmptiesAny(patch, requiredSet, next)) return issues;
    // Entering a state checks all its fields, read by position when the layout is known.
    if (!stays && compiled.presence.allPresent(next, to) === true) return issues;
    for (const field of required) {
      if (stays && (patch === undefined || !(field in patch))) continue;
      if (!isMissing(next[field])) continue;
      issues ??= [];
      issues.push(fieldIssue(workflow, field, to, 'required'));
    }
  }
  return issues;
}

/** Tells whether the patch sets one of the fields to a missing value. */
function patchEmptiesAny(
  patch: object | undefined,
  fields: ReadonlySet<string>,
  next: Record<string, unknown>,
): boolean {
  if (patch === undefined) return false;
  for (const field in patch) if (fields.has(field) && isMissing(next[field])) return true;
  return false;
}

/**
 * A copy of `list` with `item` appended, allocated once at its final length: `slice()` then
 * `push` allocates the copy, then grows it by half again to push one entry, which doubles the
 * garbage and leaves the stored array with slack the garbage collector keeps copying.
 */
function appended<T>(list: readonly T[], item: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = item;
  return out;
}

// The messages below are built only when a check fails: the accepted path reads no title.

/**
 * The command does not apply in the entity's state: the message names both by their titles
 * (the error's `from` and `command` keep the ids).
 */
function refusedTransition<E extends WorkflowEntity, P>(
  workflow: Workflow<E, P, AnyCommands<E, P>>,
  entity: E,
  command: CompiledCommand<E, P>,
): InvalidTransitionError {
  const state = stateTitle(workflow, entity.state);
  return invalidTransition(entity.state, command.name, state, command.definition.title);
}

/** A required or read-only field's issue, naming the state and the field by their titles. */
function fieldIssue<E extends WorkflowEntity, P>(
  workflow: Workflow<E, P, AnyCommands<E, P>>,
  field: string,
  stateId: string,
  code: 'required' | 'readonly',
): ValidationIssue {
  const state = stateTitle(workflow, stateId);
  const title = workflow.fields?.[field as keyof E & string] ?? text(field, field);
  const required = code === 'required';
  return validationIssue(
    field,
    code,
    `在「${state.zh}」状态下${required ? '必须填写' : '不能修改'}「${title.zh}」`,
    `${title.en} ${required ? 'is required' : 'cannot be changed'} in state ${state.en}`,
  );
}

/** A state's title; a state the workflow does not declare (an entity from elsewhere) is its id. */
function stateTitle<E extends WorkflowEntity, P>(
  workflow: Workflow<E, P, AnyCommands<E, P>>,
  id: string,
): LocalizedText {
  const state = workflow.states[id as E['state']] as StateDefinition<E> | undefined;
  return state?.title ?? text(id, id);
}

/** The issues' own messages, joined: each names its field, so no list of paths is needed. */
function issueMessages(issues: readonly ValidationIssue[]): LocalizedText {
  if (issues.length === 1) return issues[0]!.message;
  return text(
    issues.map((i) => i.message.zh).join(';'),
    issues.map((i) => i.message.en).join('; '),
  );
}
