import { describe, expect, it } from 'vitest';
import { runMonitoringExample } from '../../examples/monitoring.js';

describe('examples/monitoring.ts', () => {
  it('prints a timeline in which severe alerts open one incident each', async () => {
    const { timeline, incidents, notifications } = await runMonitoringExample();
    // Opened through ops.incidents, linked to the alert, reported by the monitoring system.
    expect(incidents.map((i) => `${i.alert?.rule} ${i.location.cis?.join()} ${i.state}`)).toEqual([
      'cpu_high CI-DB-01 reported',
      'success_rate_low CI-APP-CLAIMS reported',
    ]);
    expect(incidents[0]?.severity).toBe('critical');
    expect(incidents[0]?.history[0]?.actor.id).toBe('system:monitoring');
    expect(timeline.some((l) => l.includes('incident    opened INC-000001'))).toBe(true);
    // db1 fires again later: linked to the incident it already has, not a second one
    expect(timeline.some((l) => l.includes('already open: INC-000001'))).toBe(true);
    expect(timeline.some((l) => /escalated .*critical/.test(l))).toBe(true);
    expect(new Set(notifications.map((n) => n.channel))).toEqual(
      new Set(['email', 'sms', 'popup']),
    );
  });
});
