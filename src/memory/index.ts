/**
 * In-memory repositories for every aggregate: the embedded default, for tests, demos and
 * portals that keep nothing.
 *
 * @module memory
 */

import { changeSpec } from '../change/repository.js';
import { incidentSpec } from '../incident/repository.js';
import type { OpsStore } from '../ops.js';
import { storedReportSpec } from '../security/stored-report.js';
import { waiverSpec } from '../security/waiver.js';
import { createMemoryRepository } from './repository.js';

export * from './repository.js';

/**
 * A fresh in-memory store with a repository per aggregate.
 *
 * @example
 * const ops = createOps({ store: createMemoryStore() });
 */
export function createMemoryStore(): OpsStore {
  return {
    incidents: createMemoryRepository(incidentSpec),
    changes: createMemoryRepository(changeSpec),
    auditReports: createMemoryRepository(storedReportSpec),
    waivers: createMemoryRepository(waiverSpec),
  };
}
