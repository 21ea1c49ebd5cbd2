import fc from 'fast-check';
import type { Actor } from 'opscharter';
import { decide } from 'opscharter/core';
import { describe, expect, it } from 'vitest';
import { people } from '../support/actors.js';
import { at0, newTicket, type Ticket, ticketPolicy, tickets } from '../support/ticket.js';

const actors = Object.values(people) as Actor[];
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

  it('never throws on malformed commands: every one is a typed validation error', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const r = decide(tickets, newTicket(1), junk as never, people.engineer, {
          now: at0,
          policy: ticketPolicy,
        });
        if (!r.ok) expect(r.error.code).toBeTypeOf('string');
        if (!r.ok && r.error.code === 'validation') {
          for (const issue of r.error.issues) {
            expect(issue.message.zh.length).toBeGreaterThan(0);
            expect(issue.message.en.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
