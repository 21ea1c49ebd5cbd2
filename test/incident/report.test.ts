import { unwrap } from 'opscharter/core';
import { parseIncidentId } from 'opscharter/incident';
import { describe, expect, it } from 'vitest';
import { actors, errorOf, incidentIn, minute, reportInput, setup } from './_support.js';

describe('3.1.1 report', () => {
  it('lets anyone report, records who and when, and starts the history', async () => {
    const { ops, sink } = setup();
    for (const who of [actors.reporter, actors.employee, actors.engineer]) {
      const r = await ops.incidents.report(who, reportInput());
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.state).toBe('reported');
      expect(r.value.version).toBe(1);
      expect(r.value.reportedBy).toEqual({ id: who.id, name: who.name });
      expect(r.value.history).toEqual([
        expect.objectContaining({ seq: 1, command: 'report', from: null, to: 'reported' }),
      ]);
    }
    const list = await ops.incidents.list();
    expect(list.ok && list.value.items.map((i) => i.id)).toEqual([
      'INC-000001',
      'INC-000002',
      'INC-000003',
    ]);
    expect(sink.events.map((e) => e.type)).toEqual([
      'incident.report',
      'incident.report',
      'incident.report',
    ]);
  });

  it('stores the time of occurrence as a UTC instant and keeps the note', async () => {
    const { ops } = setup();
    const r = await ops.incidents.report(actors.reporter, reportInput(), { note: 'by phone' });
    expect(r.ok && r.value.occurredAt).toBe('2026-03-30T00:55:00.000Z');
    expect(r.ok && r.value.history[0]?.note).toBe('by phone');
  });

  it.each([
    ['occurredAt', { occurredAt: undefined }],
    ['location', { location: undefined }],
    ['location.system', { location: { system: ' ' } }],
    ['symptoms', { symptoms: '' }],
    ['impactScope', { impactScope: undefined }],
    ['title', { title: 42 }],
    ['severity', { severity: 'apocalyptic' }],
  ])('refuses a report without a valid %s, naming it, and stores nothing', async (path, extra) => {
    const { ops, sink } = setup();
    const r = await ops.incidents.report(actors.reporter, reportInput(extra as never));
    const e = errorOf(r, 'validation');
    expect(e.issues.map((i) => i.path)).toContain(path);
    expect(e.issues[0]?.message.zh).toBeTruthy();
    const list = await ops.incidents.list();
    expect(list.ok && list.value.items).toEqual([]);
    expect(sink.events).toEqual([]);
  });

  it('refuses unknown fields, a time of occurrence in the future, and a bad note', async () => {
    const { ops } = setup();
    const extra = errorOf(
      await ops.incidents.report(actors.reporter, { ...reportInput(), colour: 'red' } as never),
      'validation',
    );
    expect(extra.issues[0]?.code).toBe('unrecognized_keys');
    const future = errorOf(
      await ops.incidents.report(
        actors.reporter,
        reportInput({ occurredAt: '2026-03-30T09:01:00+08:00' }),
      ),
      'validation',
    );
    expect(future.issues[0]).toMatchObject({
      path: 'occurredAt',
      code: 'incident.report.occurred_at_future',
    });
    const note = errorOf(
      await ops.incidents.report(actors.reporter, reportInput(), { note: 3 as never }),
      'validation',
    );
    expect(note.issues[0]?.path).toBe('note');
  });

  it('refuses a malformed actor and a person who has left', async () => {
    const { ops } = setup();
    const bad = errorOf(
      await ops.incidents.report({ ...actors.reporter, roles: ['pope'] } as never, reportInput()),
      'validation',
    );
    expect(bad.issues[0]?.path).toBe('actor.roles.0');
    const left = errorOf(await ops.incidents.report(actors.leaver, reportInput()), 'forbidden');
    expect(left.violations[0]).toMatchObject({ ruleId: 'incident.report.active', clause: '3.1.1' });
  });

  it('lets ops classify the report by severity, and nobody else', async () => {
    const { ops, clock } = setup();
    const inc = await incidentIn(ops, 'reported');
    clock.advance(2 * minute);
    const byReporter = errorOf(
      await ops.incidents.classify(actors.reporter, inc.id, { severity: 'major' }),
      'forbidden',
    );
    expect(byReporter.violations[0]).toMatchObject({
      ruleId: 'incident.classify.role',
      clause: '3.1.1',
    });
    const r = await ops.incidents.classify(actors.networkEngineer, inc.id, { severity: 'major' });
    expect(r.ok && r.value.severity).toBe('major');
    expect(r.ok && r.value.state).toBe('reported');
    const assessed = await incidentIn(ops, 'assessed');
    errorOf(
      await ops.incidents.classify(actors.engineer, assessed.id, { severity: 'low' }),
      'invalid_transition',
    );
  });

  it('says not_found for an unknown id', async () => {
    const { ops } = setup();
    const unknown = unwrap(parseIncidentId('INC-404'));
    errorOf(
      await ops.incidents.classify(actors.engineer, unknown, { severity: 'low' }),
      'not_found',
    );
    errorOf(await ops.incidents.get(unknown), 'not_found');
  });
});
