import fc from 'fast-check';
import type { Actor } from 'opscharter';
import { availableCommands, decide } from 'opscharter/core';
import { describe, expect, it } from 'vitest';
import { people } from '../support/actors.js';
import { malformedActor, malformedDate, namesField } from '../support/malformed.js';
import {
  at0,
  closingTickets,
  newTicket,
  type Ticket,
  ticketPolicy,
  tickets,
} from '../support/ticket.js';

const actors = Object.values(people) as Actor[];
const errorCodes = ['validation', 'forbidden', 'invalid_transition', 'policy_violation'];
const states = new Set(Object.keys(tickets.states));
const command = fc.oneof(
  fc.constant({ type: 'work' }),
  fc.record({ type: fc.constant('rename'), input: fc.record({ title: fc.string() }) }),
  fc.record({
    type: fc.constant('finish'),
    input: fc.record({ fix: fc.option(fc.string(), { nil: undefined }) }),
  }),
  fc.record({ type: fc.string(), input: fc.anything() }),
);

describe('workflow engine invariants', () => {
  it('no command sequence by any actors leaves the workflow; history counts accepted commands; rejections change nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(command, fc.constantFrom(...actors)), { maxLength: 30 }),
        fc.boolean(),
        (steps, blocked) => {
          let ticket: Ticket = newTicket(1, { blocked });
          let accepted = 0;
          for (const [cmd, actor] of steps) {
            const before = JSON.stringify(ticket);
            const r = decide(tickets, ticket, cmd as never, actor, {
              now: at0,
              policy: ticketPolicy,
            });
            expect(JSON.stringify(ticket)).toBe(before);
            if (r.ok) {
              accepted++;
              const from = ticket.state;
              ticket = r.value.next;
              expect(tickets.compiled.get(cmd.type)?.from.has(from)).toBe(true);
            } else {
              expect([
                'validation',
                'forbidden',
                'invalid_transition',
                'policy_violation',
              ]).toContain(r.error.code);
            }
            expect(states.has(ticket.state)).toBe(true);
            expect(ticket.history).toHaveLength(accepted + 1);
          }
          if (ticket.state === 'done') expect(ticket.fix).toBeTruthy();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on malformed commands: every one is a validation error naming the field', () => {
    const known = (t: unknown) => typeof t === 'string' && tickets.compiled.has(t);
    // Each malformed command with the field its error must name ('' is the command itself).
    const malformed = fc.oneof(
      fc
        .anything()
        .filter((v) => typeof v !== 'object' || v === null)
        .map((value) => ({ value, field: '' })),
      fc
        .record({ type: fc.anything().filter((t) => !known(t)), input: fc.anything() })
        .map((value) => ({ value, field: 'type' })),
      // Types that `String()` cannot print: the error message must not throw either.
      fc
        .constantFrom<unknown>({ toString: 1 }, Object.create(null), {
          valueOf: null,
          toString: null,
        })
        .map((type) => ({ value: { type }, field: 'type' })),
      fc
        .record({
          type: fc.constantFrom('work', 'rename', 'finish'),
          input: fc.record({ title: fc.string({ minLength: 1 }) }),
          note: fc.anything().filter((n) => n !== undefined && typeof n !== 'string'),
        })
        .map((value) => ({ value, field: 'note' })),
      // A rename needs `{ title }` with a non-empty title: anything else names the title, or the
      // input as a whole when it is not an object.
      fc
        .anything()
        .filter(
          (input) =>
            typeof (input as { title?: unknown } | null)?.title !== 'string' ||
            (input as { title: string }).title === '',
        )
        .map((input) => ({
          value: { type: 'rename', input },
          field:
            typeof input === 'object' && input !== null && !Array.isArray(input) ? 'title' : '',
        })),
    );
    fc.assert(
      fc.property(malformed, ({ value, field }) => {
        const ticket = newTicket(1);
        const before = JSON.stringify(ticket);
        const r = decide(tickets, ticket, value as never, people.engineer, {
          now: at0,
          policy: ticketPolicy,
        });
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.error.code).toBe('validation');
        if (r.error.code !== 'validation') return;
        expect(r.error.issues.map((i) => i.path)).toContain(field);
        for (const issue of r.error.issues) {
          expect(issue.message.zh.length).toBeGreaterThan(0);
          expect(issue.message.en.length).toBeGreaterThan(0);
        }
        expect(JSON.stringify(ticket)).toBe(before);
      }),
      { numRuns: 500 },
    );
    // Whatever else comes in, the answer is a typed error, never a throw.
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const r = decide(tickets, newTicket(1), junk as never, people.engineer, {
          now: at0,
          policy: ticketPolicy,
        });
        if (!r.ok) expect(errorCodes).toContain(r.error.code);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on malformed actors: a validation error naming the field, for every command', () => {
    const ctx = { now: at0, policy: ticketPolicy };
    const anyCommand = fc.constantFrom(
      { type: 'work' },
      { type: 'rename', input: { title: 'new' } },
      { type: 'finish', input: { fix: 'f' } },
    );
    fc.assert(
      fc.property(
        malformedActor(people.engineer),
        anyCommand,
        fc.constantFrom(newTicket(1), { ...newTicket(2), state: 'working' as const }),
        ({ value, field }, cmd, ticket) => {
          const before = JSON.stringify(ticket);
          const r = decide(tickets, ticket, cmd as never, value as never, ctx);
          expect(namesField(r, field)).toBe(true);
          expect(JSON.stringify(ticket)).toBe(before);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on a malformed context or entity: a validation error naming it', () => {
    const cmd = { type: 'rename', input: { title: 'new' } } as never;
    fc.assert(
      fc.property(malformedDate({ undefinedIsValid: false }), (now) => {
        const ticket = newTicket(1);
        const r = decide(tickets, ticket, cmd, people.engineer, {
          now,
          policy: ticketPolicy,
        } as never);
        expect(namesField(r, 'ctx.now')).toBe(true);
        expect(ticket.history).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
    for (const ctx of [null, undefined, 'now']) {
      expect(
        namesField(decide(tickets, newTicket(1), cmd, people.engineer, ctx as never), 'ctx'),
      ).toBe(true);
    }
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const r = decide(tickets, junk as never, cmd, people.engineer, {
          now: at0,
          policy: ticketPolicy,
        });
        expect(r.ok).toBe(false);
        expect(namesField(r, 'entity')).toBe(true);
      }),
      { numRuns: 200 },
    );
    for (const [entity, field] of [
      [{ ...newTicket(1), state: 1 }, 'entity.state'],
      [{ ...newTicket(1), history: 'none' }, 'entity.history'],
    ] as const) {
      expect(
        namesField(
          decide(tickets, entity as never, cmd, people.engineer, {
            now: at0,
            policy: ticketPolicy,
          }),
          field,
        ),
      ).toBe(true);
    }
  });

  it('availableCommands never throws on malformed actors or contexts: every command refused, naming the field', () => {
    const ticket = newTicket(1);
    const types = availableCommands(tickets, ticket, people.engineer, {
      now: at0,
      policy: ticketPolicy,
    }).map((c) => c.type);
    const check = (actor: unknown, ctx: unknown, field: string) => {
      const list = availableCommands(tickets, ticket, actor as never, ctx as never);
      expect(list.map((c) => c.type)).toEqual(types);
      for (const c of list) {
        expect(c.allowed).toBe(false);
        expect(c.violations).toHaveLength(1);
        const [v] = c.violations;
        expect(v?.ruleId).toBe(`ticket.${c.type}.role`);
        const issues = v?.details?.issues as { path: string }[];
        expect(issues.some((i) => i.path === field || i.path.startsWith(`${field}.`))).toBe(true);
        expect(v?.message.en).toContain(field);
        expect(v?.message.zh).toContain(field);
      }
    };
    fc.assert(
      fc.property(malformedActor(people.engineer), ({ value, field }) =>
        check(value, { now: at0, policy: ticketPolicy }, field),
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(malformedDate({ undefinedIsValid: false }), (now) =>
        check(people.engineer, { now, policy: ticketPolicy }, 'ctx.now'),
      ),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(
        fc.anything().filter((v) => typeof v !== 'object' || v === null),
        (junk) => {
          expect(
            availableCommands(tickets, junk as never, people.engineer, {
              now: at0,
              policy: ticketPolicy,
            }),
          ).toEqual([]);
        },
      ),
    );
  });

  it('finds every missing required field whatever the order, number or values of the keys', () => {
    // One workflow for every run: the engine learns the key order of the first entity it sees
    // and reads later ones by position only when their keys come in that order.
    const required = ['title', 'fix', 'cis', 'priority'] as const;
    const closing = closingTickets(required);
    const filled = { title: 't', fix: 'f', cis: ['ci'], priority: 0 };
    /** A ticket with these values (`'absent'`: no such key), extra keys, and keys shuffled. */
    const ticketWith = (
      values: Record<string, unknown>,
      extra: readonly string[],
      seed: number | undefined,
    ): Ticket => {
      const base = newTicket(1) as unknown as Record<string, unknown>;
      const fields: [string, unknown][] = Object.entries(base).filter(([k]) => !(k in values));
      for (const [k, v] of Object.entries(values)) if (v !== 'absent') fields.push([k, v]);
      for (const k of extra) fields.push([k, 1]);
      // Without a seed the keys keep the order of the first ticket below, which the engine
      // reads by position; a seeded shuffle keeps a shrunk failing case's order.
      let r = seed ?? 0;
      for (let i = seed === undefined ? 0 : fields.length - 1; i > 0; i--) {
        const j = r % (i + 1);
        [fields[i], fields[j]] = [fields[j]!, fields[i]!];
        r = (r * 1103515245 + 12345) >>> 0;
      }
      return Object.fromEntries(fields) as unknown as Ticket;
    };
    const ctx = { now: at0, policy: undefined };
    expect(
      decide(closing, ticketWith(filled, [], undefined), { type: 'close' }, people.engineer, ctx)
        .ok,
    ).toBe(true);
    const missing = fc.constantFrom(undefined, null, '', [], 'absent' as const);
    const value = (field: keyof typeof filled) =>
      fc.oneof(fc.constant(filled[field]), missing, fc.constant(false));
    fc.assert(
      fc.property(
        fc.record({
          title: value('title'),
          fix: value('fix'),
          cis: value('cis'),
          priority: value('priority'),
        }),
        fc.uniqueArray(fc.constantFrom('x', 'y', 'blocked'), { maxLength: 3 }),
        fc.option(fc.nat(), { nil: undefined }),
        (values, extra, seed) => {
          const ticket = ticketWith(values, extra, seed);
          const expected = required.filter((f) => {
            const v = values[f];
            return (
              v === 'absent' ||
              v === undefined ||
              v === null ||
              v === '' ||
              (Array.isArray(v) && v.length === 0)
            );
          });
          const r = decide(closing, ticket, { type: 'close' }, people.engineer, ctx);
          if (expected.length === 0) {
            expect(r.ok).toBe(true);
          } else {
            expect(
              !r.ok && r.error.code === 'validation' && r.error.issues.map((i) => i.path),
            ).toEqual(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
