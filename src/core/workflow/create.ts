import { type Actor, actorRef } from '../../org/actor.js';
import type { DomainEvent, HistoryEntry, WorkflowEntity } from './history.js';

/** Fields `createEntity` fills in: the caller gives the rest. */
export type ManagedFields = 'state' | 'version' | 'createdAt' | 'updatedAt' | 'history';

/**
 * Starts an entity's life in the workflow's initial state, with the first history entry
 * (`from: null`) and the creation event. Version 0 means "never saved"; the first save makes it 1.
 * The id is the id generator's plain string: it gets the entity's branded id type here, and the
 * store checks it against the entity schema (its `idSchema`) when the entity is first saved.
 *
 * @example
 * const { entity, event } = createEntity('incident', 'reported', 'report', { id, ...fields }, reporter, now);
 */
export function createEntity<E extends WorkflowEntity>(
  aggregate: string,
  initial: E['state'],
  command: string,
  fields: Omit<E, ManagedFields | 'id'> & { readonly id: string },
  actor: Actor,
  now: Date,
  note?: string,
): { entity: E; event: DomainEvent } {
  const at = now.toISOString();
  const ref = actorRef(actor);
  const entry: HistoryEntry = { seq: 1, at, actor: ref, command, from: null, to: initial, note };
  const entity = {
    ...fields,
    state: initial,
    version: 0,
    createdAt: at,
    updatedAt: at,
    history: [entry],
  } as unknown as E;
  const event: DomainEvent = {
    type: `${aggregate}.${command}`,
    aggregate,
    id: entity.id,
    at,
    actor: ref,
    command,
    from: null,
    to: initial,
  };
  return { entity, event };
}
