import { changeWindowSource, unwrap } from 'opscharter';
import { describe, expect, it } from 'vitest';
import { setup, staff, toApproval } from '../change/fixtures.js';

describe('createOps wires the modules together', () => {
  it('reports an approved change window to monitoring only while it is open', async () => {
    const { ops } = setup();
    const c = await toApproval(ops, 'low');
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    const stored = unwrap(await ops.changes.get(c.id));
    expect(stored.state).toBe('approved');
    // The repository behind ops is not exposed, so read the windows through a source over
    // a store holding the same change.
    const source = changeWindowSource({
      get: async () => unwrap(await ops.changes.get(c.id)) as never,
      save: async () => {
        throw new Error('not used');
      },
      list: (query) => ops.changes.list(query),
    });
    const inside = await source.windows(new Date('2026-04-10T23:00:00+08:00'));
    expect(inside).toEqual([
      {
        ci: 'claims-db',
        changeId: c.id,
        start: Date.parse('2026-04-10T22:00:00+08:00'),
        end: Date.parse('2026-04-11T02:00:00+08:00'),
      },
    ]);
    expect(await source.windows(new Date('2026-04-11T02:00:00+08:00'))).toEqual([]);
    expect(await source.windows(new Date('2026-04-10T21:59:59+08:00'))).toEqual([]);
  });
});

describe('an approved change window silences alerts on its CIs', () => {
  it('mutes notifications during the window and notifies at once when it closes', async () => {
    const { createOps, definePolicy } = await import('opscharter');
    const { createMemoryStore } = await import('opscharter/memory');
    const { manualClock, sequentialIds } = await import('opscharter/core');
    const { assignments } = await import('../change/fixtures.js');
    const clock = manualClock('2026-04-08T09:00:00+08:00');
    const sent: string[] = [];
    const ops = createOps({
      store: createMemoryStore(),
      clock,
      ids: sequentialIds(),
      policy: definePolicy({
        change: { authority: { assignments: assignments.map((a) => ({ ...a })) } },
        monitoring: {
          rules: [
            {
              id: 'db_cpu',
              metric: 'system.cpu.usage',
              comparator: '>',
              warning: { threshold: 90, recovery: 85 },
              for: '0s',
            },
          ],
        },
      }),
      monitoring: { notifier: { send: (n) => void sent.push(`${n.status} ${n.channel}`) } },
    });
    const c = await toApproval(ops, 'low');
    unwrap(await ops.changes.approve(staff.opsManager, c.id));
    const sample = (at: string, value: number) => ({
      metric: 'system.cpu.usage',
      labels: { host: 'db1', ci: 'claims-db' },
      t: Date.parse(at),
      value,
    });
    // Inside the window: the patch makes the CPU spike; the alert fires but nobody is paged.
    for (const at of [
      '2026-04-10T23:00:00+08:00',
      '2026-04-10T23:01:00+08:00',
      '2026-04-10T23:10:00+08:00',
    ]) {
      clock.set(at);
      unwrap(await ops.monitoring.evaluate([sample(at, 97)]));
    }
    expect(sent).toEqual([]);
    // The window closes at 02:00 with the alert still firing: it is notified at once.
    clock.set('2026-04-11T02:00:30+08:00');
    unwrap(await ops.monitoring.evaluate([sample('2026-04-11T02:00:30+08:00', 97)]));
    expect(sent.some((s) => s.startsWith('firing'))).toBe(true);
  });
});
