import type { ActorRef } from '../../org/actor.js';

/**
 * One accepted command in an entity's life. History is append-only: a transition adds an
 * entry and nothing removes or edits one; repositories refuse a save that would.
 */
export interface HistoryEntry {
  /** 1 for the entry that created the entity, then one more per accepted command. */
  readonly seq: number;
  /** ISO-8601 instant. */
  readonly at: string;
  readonly actor: ActorRef;
  readonly command: string;
  /** `null` for the entry that created the entity. */
  readonly from: string | null;
  readonly to: string;
  readonly note?: string | undefined;
}

/** What every entity run by a workflow has. */
export interface WorkflowEntity<S extends string = string> {
  readonly id: string;
  readonly state: S;
  /** Bumped by every save; a save names the version it read (optimistic concurrency). */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly history: readonly HistoryEntry[];
}

/** A fact the consumer may want to act on: the service hands these to the `EventSink`. */
export interface DomainEvent {
  /** The workflow id and the command: `incident.assess`, `change.approve`, … */
  readonly type: string;
  readonly aggregate: string;
  readonly id: string;
  readonly at: string;
  readonly actor: ActorRef;
  readonly command: string;
  readonly from: string | null;
  readonly to: string;
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Tells whether `next` only appends to `previous`: the same entries, in order, then new ones.
 * Entries are compared by sequence number, time and command, enough to catch an edit or a loss.
 *
 * @example
 * extendsHistory(stored.history, incoming.history); // false if an entry was removed
 */
export function extendsHistory(
  previous: readonly HistoryEntry[],
  next: readonly HistoryEntry[],
): boolean {
  if (next.length < previous.length) return false;
  for (let i = 0; i < previous.length; i++) {
    const a = previous[i]!;
    const b = next[i]!;
    if (a !== b && (a.seq !== b.seq || a.at !== b.at || a.command !== b.command || a.to !== b.to)) {
      return false;
    }
  }
  for (let i = previous.length; i < next.length; i++) if (next[i]!.seq !== i + 1) return false;
  return true;
}
