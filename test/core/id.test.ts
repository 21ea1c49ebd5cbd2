import fc from 'fast-check';
import {
  type ChangeId,
  type ChangeIdSchema,
  type ChangeRequest,
  changeSpec,
  parseChangeId,
} from 'opscharter/change';
import {
  type Id,
  IdSchema,
  idSchema,
  type Result,
  unwrap,
  type ValidationError,
  workflowEntityShape,
} from 'opscharter/core';
import {
  type Incident,
  type IncidentId,
  IncidentIdSchema,
  incidentSpec,
  parseIncidentId,
} from 'opscharter/incident';
import { createMemoryRepository, createMemoryStore } from 'opscharter/memory';
import {
  parseStoredReportId,
  parseWaiverId,
  type StoredReport,
  type StoredReportId,
  type Waiver,
  type WaiverId,
} from 'opscharter/security';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { makeEntity as makeChange } from '../change/conformance-options.js';
import { setup as setupChanges, staff } from '../change/fixtures.js';
import { actors, assessInput, errorOf, reportInput, setup } from '../incident/_support.js';
import { makeEntity as makeIncident } from '../incident/conformance-options.js';
import { compliantSnapshot } from '../security/fixtures.js';

// Ids a caller might pass from outside that no store should be asked about.
const malformed: readonly unknown[] = [
  '',
  ' ',
  'INC-000001 ',
  ' INC-000001',
  'INC 000001',
  'INC-000001\n',
  'INC-\u0000',
  'x'.repeat(257),
  42,
  null,
  undefined,
  { id: 'INC-000001' },
];

describe('branded ids: types (checked by tsc -p tsconfig.json)', () => {
  it('infers every aggregate id from its schema, branded with its kind', () => {
    expectTypeOf<z.infer<typeof IncidentIdSchema>>().toEqualTypeOf<IncidentId>();
    expectTypeOf<Incident['id']>().toEqualTypeOf<IncidentId>();
    expectTypeOf<IncidentId>().toEqualTypeOf<Id<'incident'>>();
    expectTypeOf<z.infer<typeof ChangeIdSchema>>().toEqualTypeOf<ChangeId>();
    expectTypeOf<ChangeRequest['id']>().toEqualTypeOf<ChangeId>();
    expectTypeOf<ChangeId>().toEqualTypeOf<Id<'change'>>();
    expectTypeOf<ChangeRequest['linkedIncidentIds']>().toEqualTypeOf<readonly IncidentId[]>();
    expectTypeOf<Waiver['id']>().toEqualTypeOf<WaiverId>();
    expectTypeOf<StoredReport['id']>().toEqualTypeOf<StoredReportId>();
    // A branded id is still a string to read; a string, or an id of another kind, is not one.
    expectTypeOf<IncidentId>().toExtend<string>();
    expectTypeOf<string>().not.toExtend<IncidentId>();
    expectTypeOf<ChangeId>().not.toExtend<IncidentId>();
    expectTypeOf<IncidentId>().not.toExtend<ChangeId>();
    expectTypeOf<WaiverId>().not.toExtend<StoredReportId>();
    // A consumer's own aggregate gets a branded id the same way, or a plain string without one.
    const Ticket = z.object(workflowEntityShape(['open'], idSchema<'ticket'>()));
    expectTypeOf<z.infer<typeof Ticket>['id']>().toEqualTypeOf<Id<'ticket'>>();
    const Plain = z.object(workflowEntityShape(['open']));
    expectTypeOf<z.infer<typeof Plain>['id']>().toEqualTypeOf<string>();
  });

  it('does not compile a change id, a waiver id or a plain string where an incident id is expected', async () => {
    const { ops } = setup();
    const incident = unwrap(await ops.incidents.report(actors.reporter, reportInput()));
    const changeId = unwrap(parseChangeId('INC-000001'));
    const waiverId = unwrap(parseWaiverId('INC-000001'));
    const store = createMemoryStore();
    // Each line below compiles only because of its directive: remove one and tsc fails.
    const mixed = [
      // @ts-expect-error a change id is not an incident id, even with the same text
      await ops.incidents.get(changeId),
      // @ts-expect-error a waiver id is not an incident id
      await ops.incidents.assess(actors.opsManager, waiverId, assessInput),
      // @ts-expect-error a plain string must be parsed first
      await ops.incidents.get('INC-000001'),
      // @ts-expect-error an incident id is not a change id
      await ops.changes.get(incident.id),
      // @ts-expect-error the repositories take their own kind too
      await store.incidents.get(changeId),
      // @ts-expect-error a waiver id is not a stored report id
      await ops.security.getReport(waiverId),
    ];
    // At run time the text is the same, so the one incident is found where a type let it through:
    // the brand is what keeps the mix-up out.
    expect(mixed.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ok',
      'ok',
      'ok',
      'not_found',
      'not_found',
      'not_found',
    ]);
    expect(unwrap(await ops.incidents.get(incident.id)).id).toBe(incident.id);
  });
});

const parsers: readonly ((value: unknown, field?: string) => Result<string, ValidationError>)[] = [
  parseIncidentId,
  parseChangeId,
  parseWaiverId,
  parseStoredReportId,
];

describe('branded ids: from a string at the boundary', () => {
  it('parses a well-formed id of any kind to the same text, branded', () => {
    for (const parse of parsers) {
      expect(unwrap(parse('INC-0b7c\u00E9\u{1F600}'))).toBe('INC-0b7c\u00E9\u{1F600}');
    }
    expect(IncidentIdSchema.parse('INC-000001')).toBe('INC-000001');
  });

  it('gives a malformed id a validation error naming the field, for every kind', () => {
    for (const parse of parsers) {
      for (const value of malformed) {
        const r = parse(value);
        expect(r.ok, JSON.stringify(value)).toBe(false);
        if (r.ok) continue;
        expect(r.error.code).toBe('validation');
        expect(r.error.issues.map((i) => i.path)).toContain('id');
        expect(r.error.issues.every((i) => i.path === 'id')).toBe(true);
        for (const issue of r.error.issues) {
          expect(issue.message.zh).not.toBe('');
          expect(issue.message.en).not.toBe('');
        }
      }
      const named = parse('INC 1', 'incidentId');
      expect(!named.ok && named.error.issues.map((i) => i.path)).toContain('incidentId');
    }
  });

  it('never throws, and agrees with the schema on any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.anything()), (v) => {
        const r = parseIncidentId(v);
        expect(r.ok).toBe(IdSchema.safeParse(v).success);
        if (r.ok) expect(r.value).toBe(v);
        else expect(r.error.issues.every((i) => i.path === 'id')).toBe(true);
      }),
    );
  });

  it('a service refuses a malformed id from an untyped caller with a validation error naming the field', async () => {
    const { ops } = setup();
    unwrap(await ops.incidents.report(actors.reporter, reportInput()));
    const asIncident = (v: unknown) => v as IncidentId;
    for (const value of malformed) {
      const read = errorOf(await ops.incidents.get(asIncident(value)), 'validation');
      expect(read.issues.map((i) => i.path)).toContain('id');
      const assess = await ops.incidents.assess(actors.opsManager, asIncident(value), {
        impact: 'high',
        urgency: 'high',
        strategy: 's',
        actionPlan: 'a',
      });
      expect(errorOf(assess, 'validation').issues.map((i) => i.path)).toContain('id');
    }
    // The trailing space is what is wrong: the same id without it is found.
    const spaced = errorOf(await ops.incidents.get(asIncident('INC-000001 ')), 'validation');
    expect(spaced.issues.map((i) => i.path)).toEqual(['id']);
    expect(unwrap(await ops.incidents.get(unwrap(parseIncidentId('INC-000001')))).id).toBe(
      'INC-000001',
    );
  });

  it('names the field in the change and security services too', async () => {
    const { ops } = setupChanges();
    const bad = 'CHG 1' as ChangeId;
    expect(errorOf(await ops.changes.get(bad), 'validation').issues[0]?.path).toBe('id');
    const approve = await ops.changes.approve(staff.opsManager, bad);
    expect(errorOf(approve, 'validation').issues[0]?.path).toBe('id');
    const auditor = { ...staff.opsManager, roles: ['auditor' as const] };
    const report = unwrap(await ops.security.run(auditor, compliantSnapshot())).id;
    const diff = await ops.security.diff('' as StoredReportId, report);
    expect(errorOf(diff, 'validation').issues).toEqual([
      expect.objectContaining({ path: 'beforeId' }),
    ]);
    const diff2 = await ops.security.diff(report, ' ' as StoredReportId);
    expect(errorOf(diff2, 'validation').issues.map((i) => i.path)).toEqual(['afterId']);
    // A well-formed but unknown first id does not hide a malformed second one.
    const diff3 = await ops.security.diff('AUD-404' as StoredReportId, ' ' as StoredReportId);
    expect(errorOf(diff3, 'validation').issues.map((i) => i.path)).toEqual(['afterId']);
    const both = await ops.security.diff('' as StoredReportId, ' ' as StoredReportId);
    expect(errorOf(both, 'validation').issues.map((i) => i.path)).toEqual(['beforeId', 'afterId']);
    const waiver = await ops.security.approveWaiver(staff.opsManager, 'WVR\t1' as WaiverId);
    expect(errorOf(waiver, 'validation').issues[0]?.path).toBe('id');
  });
});

describe('branded ids: stores', () => {
  it('a store refuses an entity whose id does not fit its schema, naming the field', async () => {
    const incidents = createMemoryRepository(incidentSpec);
    const badIncident = { ...makeIncident(1), id: 'INC 1' as IncidentId };
    const saved = await incidents.save(badIncident, { expectedVersion: 0 });
    expect(errorOf(saved, 'validation').issues.map((i) => i.path)).toContain('id');
    const changes = createMemoryRepository(changeSpec);
    const badChange = { ...makeChange(1), id: '' as ChangeId };
    const savedChange = await changes.save(badChange, { expectedVersion: 0 });
    expect(errorOf(savedChange, 'validation').issues.map((i) => i.path)).toContain('id');
  });

  it('a change links only a well-formed incident id', async () => {
    const { ops } = setupChanges();
    const linked = await ops.changes.linkIncident(
      staff.opsManager,
      unwrap(parseChangeId('CHG-1')),
      {
        incidentId: 'INC 7',
      },
    );
    expect(errorOf(linked, 'validation').issues.map((i) => i.path)).toContain('incidentId');
  });
});
