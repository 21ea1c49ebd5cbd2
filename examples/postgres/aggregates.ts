import { changeSpec } from 'opscharter/change';
import { incidentSpec } from 'opscharter/incident';
import { storedReportSpec, waiverSpec } from 'opscharter/security';
import { postgresAggregate } from './store.js';

/**
 * The library's aggregates as this adapter stores them: the column of each list filter and the
 * migration that creates the tables. `openPostgresStore(client, opsAggregates)` gives the
 * `store` that `createOps` takes.
 *
 * @example
 * const store = await openPostgresStore(pgliteClient(await PGlite.create()), opsAggregates);
 * const ops = createOps({ store });
 */
export const opsAggregates = {
  incidents: postgresAggregate(incidentSpec, {
    migration: '002_incident',
    columns: {
      state: 'text',
      priority: 'text',
      severity: 'text',
      system: 'text',
      ci: 'text[]',
      major: 'boolean',
      assignee: 'text',
      reporter: 'text',
    },
  }),
  changes: postgresAggregate(changeSpec, {
    migration: '003_change',
    columns: {
      state: 'text',
      type: 'text',
      risk: 'text',
      ci: 'text[]',
      domain: 'text[]',
      requester: 'text',
      implementer: 'text',
      templateId: 'text',
    },
  }),
  auditReports: postgresAggregate(storedReportSpec, {
    migration: '004_audit_report',
    columns: { state: 'text', profile: 'text' },
  }),
  waivers: postgresAggregate(waiverSpec, {
    migration: '005_security_waiver',
    columns: { state: 'text', ruleId: 'text', subject: 'text' },
  }),
};
