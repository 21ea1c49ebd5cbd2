// Monitoring end to end: CPU and success-rate rules over a generated stream, routed to email,
// SMS and pop-up, with severe alerts opening incidents through the incident service (4.3.3).
// Run: npx tsx --conditions=opscharter-source examples/monitoring.ts
import { pathToFileURL } from 'node:url';
import { createOps, definePolicy } from 'opscharter';
import { manualClock, sequentialIds } from 'opscharter/core';
import type { Incident } from 'opscharter/incident';
import { createMemoryStore } from 'opscharter/memory';
import { formatNotification, type Notification, type Sample } from 'opscharter/monitoring';

const START = Date.parse('2026-03-31T09:00:00+08:00');
const S = 1000;

/** Runs the scenario and returns the timeline, one line per event. */
export async function runMonitoringExample(): Promise<{
  timeline: string[];
  incidents: readonly Incident[];
  notifications: Notification[];
}> {
  const clock = manualClock(new Date(START));
  const notifications: Notification[] = [];
  const policy = definePolicy({
    monitoring: {
      rules: [
        {
          id: 'cpu_high',
          metric: 'system.cpu.usage',
          comparator: '>',
          warning: { threshold: 90, recovery: 85 },
          critical: { threshold: 95, recovery: 92 },
          for: '1m',
        },
        {
          id: 'success_rate_low',
          title: { zh: '交易成功率', en: 'Transaction success rate' },
          metric: {
            numerator: 'app.transactions.succeeded',
            denominator: 'app.transactions.total',
            scale: 100,
          },
          comparator: '<',
          warning: { threshold: 99, recovery: 99.5 },
          critical: 95,
          window: { fn: 'increase', range: '2m' },
          for: '1m',
        },
      ],
    },
  });
  const ops = createOps({
    store: createMemoryStore(),
    policy,
    clock,
    ids: sequentialIds(),
    // createOps wires severe alerts to ops.incidents; only the notifier is ours to give.
    monitoring: { notifier: { send: (n) => void notifications.push(n) } },
  });

  const timeline: string[] = [];
  const hhmm = (t: number) => new Date(t + 8 * 3600 * S).toISOString().slice(11, 19);
  let total = 0;
  let succeeded = 0;
  for (let k = 0; k <= 160; k++) {
    const t = START + k * 15 * S;
    const minute = k / 4;
    const cpu = (host: string) => {
      if (host === 'db1') {
        if (minute >= 3 && minute < 12) return minute < 6 ? 93 : 97; // warning, then critical
        if (minute >= 26 && minute < 30) return 96; // the same alert fires again
        return 60;
      }
      return minute >= 15 && minute < 19 ? 91 : 40; // web1: a warning only
    };
    const samples: Sample[] = [
      { metric: 'system.cpu.usage', labels: { host: 'db1', ci: 'CI-DB-01' }, t, value: cpu('db1') },
      {
        metric: 'system.cpu.usage',
        labels: { host: 'web1', ci: 'CI-WEB-01' },
        t,
        value: cpu('web1'),
      },
    ];
    if (k % 2 === 0) {
      total += 600;
      succeeded += minute >= 20 && minute < 27 ? 540 : 599; // 90% for a while
      samples.push(
        {
          metric: 'app.transactions.total',
          labels: { app: 'claims', ci: 'CI-APP-CLAIMS' },
          t,
          value: total,
        },
        {
          metric: 'app.transactions.succeeded',
          labels: { app: 'claims', ci: 'CI-APP-CLAIMS' },
          t,
          value: succeeded,
        },
      );
    }
    clock.set(new Date(t));
    const sent = notifications.length;
    const r = await ops.monitoring.evaluate(samples);
    if (!r.ok) throw new Error(r.error.message.en);
    for (const tr of r.value.transitions)
      timeline.push(`${hhmm(t)}  ${tr.kind.padEnd(11)} ${tr.message.en}`);
    for (const link of r.value.incidents)
      timeline.push(
        `${hhmm(t)}  incident    ${link.opened ? 'opened' : 'already open:'} ${link.incidentId} for ${link.fingerprint}`,
      );
    for (const n of notifications.slice(sent))
      timeline.push(`${hhmm(t)}  notify      ${formatNotification(n, 'en')}`);
  }
  const incidents = await ops.incidents.list({ where: { reporter: 'system:monitoring' } });
  if (!incidents.ok) throw new Error(incidents.error.message.en);
  return { timeline, incidents: incidents.value.items, notifications };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { timeline, incidents } = await runMonitoringExample();
  console.log('time (+08:00)  event');
  for (const line of timeline) console.log(line);
  console.log(`\n${incidents.length} incident(s) opened:`);
  for (const i of incidents) {
    console.log(`  ${i.id} ${i.state} ${i.severity}: ${i.title} (${i.location.cis?.join(', ')})`);
    console.log(`    alert ${i.alert?.rule} ${i.alert?.fingerprint}`);
  }
}
