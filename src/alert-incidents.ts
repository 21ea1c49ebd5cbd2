import { err, ok } from './core/result.js';
import type { IncidentService } from './incident/service.js';
import type { IncidentOpener, IncidentRequest } from './monitoring/service.js';
import type { Actor } from './org/actor.js';

/**
 * Who reports the incidents monitoring opens: the monitoring system itself, an IT department
 * member with no approval authority (3.1.1: whoever finds a fault reports it).
 */
export const monitoringReporter: Actor = {
  id: 'system:monitoring',
  name: '监控系统 Monitoring',
  department: 'it',
  departmentKind: 'it',
  roles: ['it_staff'],
  level: 'staff',
};

/**
 * Opens incidents for severe alerts through the incident service (4.3.3): the incident
 * carries the alert's fingerprint and rule, its time, its CI and its message in both languages.
 * `createOps` wires it by default; pass your own `IncidentOpener` to open tickets elsewhere.
 *
 * @example
 * const ops = createOps({ store, monitoring: { incidents: incidentOpener(otherOps.incidents) } });
 */
export function incidentOpener(
  incidents: Pick<IncidentService, 'report'>,
  reporter: Actor = monitoringReporter,
): IncidentOpener {
  return {
    async open(request: IncidentRequest) {
      const reported = await incidents.report(reporter, {
        title: `${request.title.zh} ${request.title.en}`,
        occurredAt: request.at.toISOString(),
        location: {
          system: request.labels.system ?? request.ci ?? request.rule,
          ...(request.ci ? { cis: [request.ci] } : {}),
        },
        symptoms: `${request.message.zh}\n${request.message.en}`,
        impactScope: describeScope(request),
        severity: request.severity === 'critical' ? 'critical' : 'major',
        alert: { fingerprint: request.fingerprint, rule: request.rule },
      });
      return reported.ok ? ok({ incidentId: reported.value.id }) : err(reported.error);
    },
  };
}

function describeScope(request: IncidentRequest): string {
  const labels = Object.entries(request.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `告警范围 Alert scope: ${labels || request.rule}`;
}
