import { type Clock, systemClock } from './core/clock.js';
import { type IdGenerator, randomIds } from './core/id.js';
import type { ServiceDeps } from './core/service.js';
import { type EventSink, nullSink } from './core/sink.js';
import { definePolicy, type Policy } from './policy.js';
import {
  createSecurityService,
  type SecurityRepositories,
  type SecurityService,
} from './security/service.js';

/** The repositories of every aggregate: `opscharter/memory` has the in-memory ones. */
export type OpsStore = {
  readonly security: SecurityRepositories;
};

/** What `createOps` takes: the store is required; time, ids, policy and sink have defaults. */
export interface OpsOptions {
  readonly store: OpsStore;
  readonly policy?: Policy | undefined;
  readonly clock?: Clock | undefined;
  readonly ids?: IdGenerator | undefined;
  readonly sink?: EventSink | undefined;
}

/** The services of every module, sharing one store, policy, clock and sink. */
export interface Ops {
  readonly policy: Policy;
  readonly security: SecurityService;
}

/**
 * Wires the services of every module to a store, a policy, a clock and an event sink.
 *
 * @example
 * const ops = createOps({ store: createMemoryStore(), policy: definePolicy() });
 */
export function createOps(options: OpsOptions): Ops {
  const deps: ServiceDeps<Policy> = {
    policy: options.policy ?? definePolicy(),
    clock: options.clock ?? systemClock,
    ids: options.ids ?? randomIds,
    sink: options.sink ?? nullSink,
  };
  return {
    policy: deps.policy,
    security: createSecurityService(options.store.security, deps),
  };
}
