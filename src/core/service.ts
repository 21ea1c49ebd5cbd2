import type { z } from 'zod';
import { type Actor, ActorSchema } from '../org/actor.js';
import type { Clock } from './clock.js';
import {
  fromZodError,
  issuesUnder,
  type OpsError,
  type ValidationError,
  validationError,
} from './errors.js';
import { type IdGenerator, IdSchema, idParser } from './id.js';
import type { AggregateSpec, Repository } from './repository.js';
import { err, ok, type Result } from './result.js';
import type { EventSink } from './sink.js';
import { invalidDate, isInstant } from './workflow/_lib/well-formed.js';
import {
  type AvailableCommand,
  type AvailableCommandsOptions,
  availableCommands,
} from './workflow/available.js';
import { decide, parseCommand } from './workflow/decide.js';
import type { AnyCommands, CommandOf, DecideContext, Workflow } from './workflow/definition.js';
import type { DomainEvent, WorkflowEntity } from './workflow/history.js';

/** What every service gets from `createOps`: time, ids, the policy and the event sink. */
export interface ServiceDeps<P> {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly policy: P;
  readonly sink: EventSink;
}

/**
 * Validates the actor a caller passes, naming bad fields as `actor.<field>`.
 *
 * @example
 * const actor = parseActor(req.user);
 * if (!actor.ok) return actor;
 */
export function parseActor(actor: unknown): Result<Actor, ValidationError> {
  return parseUnder(ActorSchema, actor, 'actor');
}

/** Parses a value with its schema; its issues are named as fields of `path`. */
function parseUnder<T>(
  schema: z.ZodType<T, unknown>,
  value: unknown,
  path: string,
): Result<T, ValidationError> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  return err(validationError(issuesUnder(fromZodError(parsed.error).issues, path)));
}

/**
 * Validates an instant a caller passes: a `Date` whose time is a number. An invalid `Date`
 * (`new Date('x')`) throws a RangeError as soon as it is formatted, and anything else has no
 * `getTime`: either is a `validation` error naming the field.
 *
 * @example
 * const at = parseInstant(query.at, 'at');
 * if (!at.ok) return at;
 */
export function parseInstant(at: unknown, field: string): Result<Date, ValidationError> {
  return isInstant(at) ? ok(at) : err(validationError([invalidDate(field)]));
}

/**
 * The imperative shell around `decide`: validate the actor and the command, load, decide, save
 * with the version read, then publish the events. A rejected command stores nothing.
 *
 * @example
 * return executeCommand(repo, incidentWorkflow, deps, actor, id, { type: 'assess', input });
 */
export async function executeCommand<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>(
  repo: Repository<E, string>,
  workflow: Workflow<E, P, C>,
  deps: ServiceDeps<P>,
  actor: unknown,
  id: E['id'],
  command: { readonly type: keyof C & string; readonly input?: unknown; readonly note?: unknown },
): Promise<Result<E, OpsError>> {
  const who = parseActor(actor);
  if (!who.ok) return who;
  const parsed = parseCommand(workflow, command);
  if (!parsed.ok) return parsed;
  const loaded = await getById(repo, id);
  if (!loaded.ok) return loaded;
  const decision = decide(workflow, loaded.value, parsed.value as CommandOf<C>, who.value, {
    now: deps.clock.now(),
    policy: deps.policy,
  });
  if (!decision.ok) return decision;
  const saved = await repo.save(decision.value.next, { expectedVersion: loaded.value.version });
  if (!saved.ok) return saved;
  await deps.sink.publish(decision.value.events);
  return saved;
}

const parseAnyId = idParser(IdSchema);

/**
 * Reads one entity for a service: the id is checked first, because the type alone does not stop
 * a JavaScript caller or an `as` cast; a malformed one is a `validation` error naming `field`
 * rather than a `not_found` (or a query) the store would have to answer.
 *
 * @example
 * get: (id) => getById(repo, id),
 */
export async function getById<E extends WorkflowEntity>(
  repo: Pick<Repository<E, string>, 'get'>,
  id: E['id'],
  field = 'id',
): Promise<Result<E, OpsError>> {
  const checked = parseAnyId(id, field);
  if (!checked.ok) return checked;
  return repo.get(id);
}

/**
 * Checks an entity a caller hands a service (a portal's page holds it as much as a store does)
 * against its aggregate's schema; a malformed one is a `validation` error naming the field
 * under the aggregate's name (`incident.history`), before any guard or calculation reads it.
 *
 * @example
 * const valid = parseEntity(incidentSpec, incident);
 * if (!valid.ok) return valid;
 */
export function parseEntity<E extends WorkflowEntity>(
  spec: Pick<AggregateSpec<E, string>, 'name' | 'schema'>,
  entity: unknown,
): Result<E, ValidationError> {
  return parseUnder(spec.schema, entity, spec.name);
}

/**
 * `availableCommands` behind a service's boundary: the entity is parsed with its aggregate's
 * schema and the actor with `ActorSchema` first, so a malformed one is a `validation` error
 * naming its field under the aggregate's name (`incident.history`, `actor.roles`), not a
 * TypeError from a guard or a list of refusals: the entity comes from a portal's page as much
 * as from a store.
 *
 * @example
 * return listAvailableCommands(incidentWorkflow, incidentSpec, incident, actor, { now, policy });
 */
export function listAvailableCommands<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>(
  workflow: Workflow<E, P, C>,
  spec: Pick<AggregateSpec<E, string>, 'name' | 'schema'>,
  entity: E,
  actor: unknown,
  ctx: DecideContext<P>,
  options?: AvailableCommandsOptions,
): Result<readonly AvailableCommand[], OpsError> {
  const valid = parseEntity(spec, entity);
  if (!valid.ok) return valid;
  const who = parseActor(actor);
  if (!who.ok) return who;
  return ok(availableCommands(workflow, entity, who.value, ctx, options));
}

/**
 * Saves a new entity (expected version 0) and publishes its creation event.
 *
 * @example
 * const { entity, event } = createEntity(...);
 * return saveNew(repo, deps, entity, [event]);
 */
export async function saveNew<E extends WorkflowEntity>(
  repo: Repository<E, string>,
  deps: Pick<ServiceDeps<unknown>, 'sink'>,
  entity: E,
  events: readonly DomainEvent[],
): Promise<Result<E, OpsError>> {
  const saved = await repo.save(entity, { expectedVersion: 0 });
  if (!saved.ok) return saved;
  await deps.sink.publish(events);
  return saved;
}
