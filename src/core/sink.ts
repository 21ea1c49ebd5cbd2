import type { DomainEvent } from './workflow/history.js';

/**
 * Where services hand the domain events of each accepted command, after the save. The consumer
 * implements it: a message bus, an outbox table, a webhook.
 */
export interface EventSink {
  publish(events: readonly DomainEvent[]): void | Promise<void>;
}

/**
 * A sink that drops every event.
 *
 * @example
 * createOps({ store, sink: nullSink });
 */
export const nullSink: EventSink = { publish: () => {} };

/**
 * A sink that keeps every event in memory, for tests and demos.
 *
 * @example
 * const sink = collectingSink();
 * createOps({ store, sink });
 * sink.events.map((e) => e.type); // ['incident.report', 'incident.assess']
 */
export function collectingSink(): EventSink & { readonly events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  return {
    events,
    publish(batch) {
      events.push(...batch);
    },
  };
}
