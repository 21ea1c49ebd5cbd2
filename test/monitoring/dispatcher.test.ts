import { definePolicy } from 'opscharter';
import { text } from 'opscharter/core';
import {
  type AlertTransition,
  createAlertDispatcher,
  formatNotification,
  isSevere,
  matchRoutes,
  type Notification,
  recurrenceActive,
  type Silence,
} from 'opscharter/monitoring';
import { describe, expect, it } from 'vitest';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

function tr(
  kind: AlertTransition['kind'],
  at: number,
  o: {
    rule?: string;
    host?: string;
    severity?: 'warning' | 'critical';
    category?: AlertTransition['category'];
    ci?: string;
  } = {},
): AlertTransition {
  const labels = { host: o.host ?? 'a', ...(o.ci ? { ci: o.ci } : {}) };
  const rule = o.rule ?? 'cpu';
  return {
    kind,
    rule,
    labels,
    fingerprint: `${rule}{host=${labels.host}}`,
    at,
    value: 95,
    severity: o.severity ?? 'warning',
    threshold: 90,
    activeAt: at,
    clause: '4.3.1',
    category: o.category ?? 'system',
    flapping: false,
    message: text('m', 'm'),
  };
}

/** Ticks every `step` from `from` to `to` and returns what was sent, as `time channel status n`. */
function ticks(
  d: ReturnType<typeof createAlertDispatcher>,
  from: number,
  to: number,
  step = 5 * S,
): string[] {
  const out: string[] = [];
  for (let at = from; at <= to; at += step)
    for (const n of d.tick(at))
      out.push(`${at / S}s ${n.channel} ${n.status} ${n.firing.length}/${n.resolved.length}`);
  return out;
}

const policy = definePolicy().monitoring;

describe('Alertmanager grouping: wait 30s, interval 5m, repeat 4h', () => {
  it('waits group_wait before the first notification, on every channel of the route', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0)], 0);
    expect(ticks(d, 0, 29 * S, S)).toEqual([]);
    expect(ticks(d, 30 * S, 30 * S)).toEqual(['30s email firing 1/0', '30s popup firing 1/0']);
  });

  it('batches a new alert of the group to the next group-interval tick', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0)], 0);
    ticks(d, 0, 30 * S);
    d.process([tr('firing', 40 * S, { host: 'b' })], 40 * S);
    expect(ticks(d, 35 * S, 325 * S)).toEqual([]);
    expect(ticks(d, 330 * S, 330 * S)).toEqual(['330s email firing 2/0', '330s popup firing 2/0']);
  });

  it('repeats after the repeat interval, checked on group-interval ticks (strictly after)', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0)], 0);
    const sent = ticks(d, 0, 9 * H, 5 * M).filter((l) => l.includes('email'));
    // first at 5m (group wait passed by then), then the first tick more than 4h later
    expect(sent.map((l) => l.split(' ')[0])).toEqual([
      '300s',
      `${(4 * H + 10 * M) / S}s`,
      `${(8 * H + 15 * M) / S}s`,
    ]);
  });

  it('sends nothing for an alert that fires and resolves inside one interval', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0)], 0);
    d.process([tr('resolved', 10 * S)], 10 * S);
    expect(ticks(d, 0, 20 * M)).toEqual([]);
  });

  it('does not tell a channel "resolved" about an alert it never heard fire', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0)], 0);
    ticks(d, 0, 30 * S);
    d.process([tr('firing', 60 * S, { host: 'b' }), tr('resolved', 90 * S, { host: 'b' })], 90 * S);
    expect(ticks(d, 35 * S, 330 * S)).toEqual([]);
  });

  it('sends resolved notices per channel: email and popup yes, sms no', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0, { severity: 'critical' })], 0);
    expect(ticks(d, 0, 30 * S)).toEqual([
      '30s sms firing 1/0',
      '30s email firing 1/0',
      '30s popup firing 1/0',
    ]);
    d.process([tr('resolved', 100 * S, { severity: 'critical' })], 100 * S);
    expect(ticks(d, 35 * S, 330 * S)).toEqual([
      '330s email resolved 0/1',
      '330s popup resolved 0/1',
    ]);
    expect(d.alerts()).toEqual([]);
  });

  it('re-notifies on escalation, routed to the critical route', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0)], 0);
    ticks(d, 0, 30 * S);
    const { severe } = d.process([tr('escalated', 60 * S, { severity: 'critical' })], 60 * S);
    expect(severe).toHaveLength(1);
    const sent = ticks(d, 35 * S, 330 * S);
    // the critical route's group waits 30s; the warning route hears it left (as Alertmanager
    // would for an alert whose severity label changed)
    expect(sent).toEqual([
      '90s sms firing 1/0',
      '90s email firing 1/0',
      '90s popup firing 1/0',
      '330s email resolved 0/1',
      '330s popup resolved 0/1',
    ]);
  });
});

describe('acknowledgement', () => {
  it('stops repeats until the expiry, then repeats at the next tick if still firing', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0)], 0);
    ticks(d, 0, 5 * M, 5 * M);
    const ack = d.acknowledge('cpu{host=a}', 'u-ops-2', 'working on it', 6 * H, 10 * M);
    expect(ack).toMatchObject({ ok: true, value: { until: 6 * H, reason: 'working on it' } });
    const sent = ticks(d, 10 * M, 12 * H, 5 * M).filter((l) => l.includes('email'));
    expect(sent.map((l) => Number.parseInt(l, 10) / 3600)).toEqual([6, 10 + 5 / 60]);
  });
  it('is refused for an unknown alert or a past expiry', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0)], 0);
    expect(d.acknowledge('nope', 'u', 'r', H, 0)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(d.acknowledge('cpu{host=a}', 'u', 'r', 0, 10)).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'until' }] },
    });
  });
});

describe('silences and maintenance windows', () => {
  const silence = (o: Partial<Silence> = {}): Silence => ({
    id: 'SIL-1',
    matchers: [{ label: 'alertname', op: '=', value: 'cpu' }],
    startsAt: 0,
    endsAt: 20 * M,
    comment: 'patching',
    createdBy: 'u',
    ...o,
  });

  it('mutes while active and notifies at once when it ends on a firing alert', () => {
    const d = createAlertDispatcher(policy);
    d.addSilence(silence());
    d.process([tr('firing', 0)], 0);
    expect(ticks(d, 0, 19 * M, M)).toEqual([]);
    expect(ticks(d, 20 * M, 20 * M)).toEqual(['1200s email firing 1/0', '1200s popup firing 1/0']);
  });

  it('can be expired early', () => {
    const d = createAlertDispatcher(policy);
    d.addSilence(silence());
    expect(d.expireSilence('SIL-1', 2 * M)).toMatchObject({ ok: true, value: { endsAt: 2 * M } });
    expect(d.expireSilence('nope', 0)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    d.process([tr('firing', 3 * M)], 3 * M);
    expect(ticks(d, 3 * M, 4 * M)).toHaveLength(2);
  });

  it('notifies at once when a change window ends with the alert still firing', () => {
    const d = createAlertDispatcher(policy);
    d.setMaintenanceWindows([{ ci: 'CI-7', start: 0, end: new Date(H), changeId: 'CHG-1' }]);
    d.process([tr('firing', 0, { ci: 'CI-7' }), tr('firing', 0, { host: 'b', ci: 'CI-8' })], 0);
    expect(ticks(d, 30 * S, 30 * S)).toEqual(['30s email firing 1/0', '30s popup firing 1/0']);
    expect(ticks(d, 35 * S, H - S, 5 * S)).toEqual([]);
    expect(ticks(d, H, H)).toEqual(['3600s email firing 2/0', '3600s popup firing 2/0']);
  });

  it('recurring windows follow their own time zone and may cross midnight', () => {
    const r = { days: [6], start: '22:00', end: '02:00', timeZone: 'Asia/Shanghai' };
    // Saturday 2026-03-28 23:00 and Sunday 01:00 in Shanghai are inside; Sunday 03:00 is not
    expect(recurrenceActive(r, Date.parse('2026-03-28T23:00:00+08:00'))).toBe(true);
    expect(recurrenceActive(r, Date.parse('2026-03-29T01:00:00+08:00'))).toBe(true);
    expect(recurrenceActive(r, Date.parse('2026-03-29T03:00:00+08:00'))).toBe(false);
    expect(recurrenceActive(r, Date.parse('2026-03-28T21:59:00+08:00'))).toBe(false);
    const day = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', timeZone: 'Asia/Shanghai' };
    expect(recurrenceActive(day, Date.parse('2026-03-30T09:00:00+08:00'))).toBe(true);
    expect(recurrenceActive(day, Date.parse('2026-03-30T18:00:00+08:00'))).toBe(false);
  });

  it('a recurring silence mutes only inside its recurrence', () => {
    const d = createAlertDispatcher(policy);
    const sat = Date.parse('2026-03-28T22:00:00+08:00');
    d.addSilence(
      silence({
        startsAt: 0,
        endsAt: sat + 30 * 24 * H,
        recurrence: { days: [6], start: '22:00', end: '23:00', timeZone: 'Asia/Shanghai' },
      }),
    );
    d.process([tr('firing', sat)], sat);
    expect(ticks(d, sat, sat + 59 * M, M)).toEqual([]);
    expect(ticks(d, sat + H, sat + H)).toHaveLength(2);
  });
});

describe('routing table', () => {
  it('routes by severity, category and labels, first match unless continue', () => {
    const names = (sev: 'warning' | 'critical', cat: AlertTransition['category']) =>
      matchRoutes(policy.routes, { alertname: 'x' }, sev, cat).map((r) => r.name);
    expect(names('critical', 'network')).toEqual(['critical-to-on-call']);
    expect(names('warning', 'network')).toEqual(['network']);
    expect(names('warning', 'data')).toEqual(['data']);
    expect(names('warning', 'system')).toEqual(['system-and-application']);
    const p = definePolicy({
      monitoring: {
        routes: [
          {
            name: 'dba',
            match: { labels: [{ label: 'team', op: '=~', value: 'db.*' }] },
            channels: ['popup'],
            recipients: [{ role: 'data_engineer' }],
            continue: true,
          },
          {
            name: 'rules',
            match: { rules: ['cpu'] },
            channels: ['email'],
            recipients: [{ onCall: 'sys' }],
          },
          { name: 'fallback', channels: ['email'], recipients: [{ role: 'ops_manager' }] },
        ],
      },
    }).monitoring;
    expect(
      matchRoutes(p.routes, { alertname: 'cpu', team: 'dba' }, 'warning', 'system').map(
        (r) => r.name,
      ),
    ).toEqual(['dba', 'rules']);
    expect(
      matchRoutes(p.routes, { alertname: 'mem' }, 'warning', 'system').map((r) => r.name),
    ).toEqual(['fallback']);
  });

  it('formats a notification with its recipients', () => {
    const d = createAlertDispatcher(policy);
    d.process([tr('firing', 0, { severity: 'critical' })], 0);
    const [n] = d.tick(30 * S) as Notification[];
    expect(formatNotification(n!, 'en')).toBe(
      'sms → on-call:ops,role:ops_manager: [CRITICAL] cpu: 1 firing, 0 resolved',
    );
    expect(n!.clause).toBe('4.3.2');
  });

  it('the policy catches a repeat interval shorter than the group interval', () => {
    expect(() => definePolicy({ monitoring: { grouping: { repeatInterval: '1m' } } })).toThrow(
      /grouping.repeatInterval/,
    );
    expect(() =>
      definePolicy({
        monitoring: {
          routes: [
            {
              name: 'x',
              channels: ['email'],
              recipients: [{ role: 'ops_manager' }],
              groupInterval: '1h',
              repeatInterval: '30m',
            },
          ],
        },
      }),
    ).toThrow(/routes.0.repeatInterval/);
    expect(() =>
      definePolicy({
        monitoring: { routes: [{ name: 'x', channels: ['fax'], recipients: [] }] },
      } as never),
    ).toThrow(/routes.0.channels/);
  });

  it('severe means critical by default, or what the policy names', () => {
    expect(isSevere(tr('firing', 0, { severity: 'critical' }), policy)).toBe(true);
    expect(isSevere(tr('firing', 0), policy)).toBe(false);
    expect(isSevere(tr('resolved', 0, { severity: 'critical' }), policy)).toBe(false);
    const p = definePolicy({ monitoring: { severe: { rules: ['cpu'] } } }).monitoring;
    expect(isSevere(tr('firing', 0), p)).toBe(true);
  });
});
