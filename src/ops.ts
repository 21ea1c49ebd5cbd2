import { incidentOpener } from './alert-incidents.js';
import { type ChangeRepository, type ChangeService, createChangeService } from './change/index.js';
import { changeWindowSource } from './change-windows.js';
import { type Clock, systemClock } from './core/clock.js';
import { type IdGenerator, randomIds } from './core/id.js';
import type { ServiceDeps } from './core/service.js';
import { type EventSink, nullSink } from './core/sink.js';
import type { IncidentRepository } from './incident/repository.js';
import { createIncidentService, type IncidentService } from './incident/service.js';
import type { Notifier } from './monitoring/dispatcher.js';
import {
  createMonitoringService,
  type IncidentOpener,
  type MonitoringService,
} from './monitoring/service.js';
import type { MaintenanceWindowSource } from './monitoring/silence.js';
import { definePolicy, type Policy } from './policy.js';
import {
  createSecurityService,
  type SecurityRepositories,
  type SecurityService,
} from './security/service.js';

/** The repositories of every aggregate: `opscharter/memory` has the in-memory ones. */
export type OpsStore = {
  readonly incidents: IncidentRepository;
  readonly changes: ChangeRepository;
  readonly auditReports: SecurityRepositories['reports'];
  readonly waivers: SecurityRepositories['waivers'];
};

/** What `createOps` takes: the store is required; time, ids, policy and sink have defaults. */
export interface OpsOptions {
  readonly store: OpsStore;
  readonly policy?: Policy | undefined;
  readonly clock?: Clock | undefined;
  readonly ids?: IdGenerator | undefined;
  readonly sink?: EventSink | undefined;
  /** Monitoring ports: who delivers notifications, opens incidents, knows change windows. */
  readonly monitoring?:
    | {
        readonly notifier?: Notifier | undefined;
        readonly incidents?: IncidentOpener | undefined;
        readonly maintenance?: MaintenanceWindowSource | undefined;
      }
    | undefined;
}

/** The services of every module, sharing one store, policy, clock and sink. */
export interface Ops {
  readonly policy: Policy;
  readonly incidents: IncidentService;
  readonly changes: ChangeService;
  readonly monitoring: MonitoringService;
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
  const incidents = createIncidentService(options.store.incidents, deps);
  // Severe alerts open incidents through the incident service, and approved change windows
  // silence alerts on their CIs, unless the consumer plugs in other ports.
  const monitoring = createMonitoringService({
    ...deps,
    incidents: incidentOpener(incidents),
    maintenance: changeWindowSource(options.store.changes),
    ...options.monitoring,
  });
  return {
    policy: deps.policy,
    incidents,
    changes: createChangeService(options.store.changes, deps),
    monitoring,
    security: createSecurityService(
      { reports: options.store.auditReports, waivers: options.store.waivers },
      deps,
    ),
  };
}
