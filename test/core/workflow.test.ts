import {
  availableCommands,
  decide,
  defineWorkflow,
  parseCommand,
  text,
  toMermaid,
} from 'opscharter/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { people } from '../support/actors.js';
import {
  at0,
  closingTickets,
  type Ticket,
  newTicket as ticketNumbered,
  ticketPolicy,
  tickets,
} from '../support/ticket.js';

const newTicket = (extra: Partial<Ticket> = {}) => ticketNumbered(1, extra);

const ctx = { now: at0, policy: ticketPolicy };

describe('workflow engine', () => {
  it('moves an entity and appends exactly one history entry per accepted command', () => {
    const t0 = newTicket();
    const r = decide(tickets, t0, { type: 'work' }, people.engineer, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.next.state).toBe('working');
    expect(r.value.next.history).toHaveLength(2);
    expect(r.value.next.history[1]).toMatchObject({
      seq: 2,
      command: 'work',
      from: 'open',
      to: 'working',
    });
    expect(r.value.events[0]).toMatchObject({
      type: 'ticket.work',
      id: t0.id,
      from: 'open',
      to: 'working',
    });
    expect(t0.history).toHaveLength(1);
  });

  it('refuses a command from the wrong state', () => {
    const r = decide(
      tickets,
      newTicket(),
      { type: 'finish', input: { fix: 'x' } },
      people.engineer,
      ctx,
    );
    expect(r.ok || r.error.code).toBe('invalid_transition');
  });

  it('refuses the wrong role, a leaver, and a failing guard, each saying why', () => {
    const byReporter = decide(tickets, newTicket(), { type: 'work' }, people.reporter, ctx);
    expect(!byReporter.ok && byReporter.error.code).toBe('forbidden');
    const byLeaver = decide(tickets, newTicket(), { type: 'work' }, people.leaver, ctx);
    expect(!byLeaver.ok && byLeaver.error.code).toBe('forbidden');
    const blocked = decide(
      tickets,
      newTicket({ blocked: true }),
      { type: 'work' },
      people.engineer,
      ctx,
    );
    expect(blocked.ok).toBe(false);
    if (blocked.ok || blocked.error.code !== 'policy_violation') throw new Error('expected policy');
    expect(blocked.error.violations[0]).toMatchObject({
      ruleId: 'ticket.work.not_blocked',
      clause: '3.1.3',
    });
  });

  it('takes roles from the policy when the command says so', () => {
    const working = decide(tickets, newTicket(), { type: 'work' }, people.opsManager, ctx);
    if (!working.ok) throw new Error('work');
    const byManager = decide(
      tickets,
      working.value.next,
      { type: 'finish', input: { fix: 'x' } },
      people.opsManager,
      ctx,
    );
    expect(!byManager.ok && byManager.error.code).toBe('forbidden');
  });

  it('validates input and names the field', () => {
    const r = decide(
      tickets,
      newTicket(),
      { type: 'rename', input: { title: '' } },
      people.engineer,
      ctx,
    );
    expect(!r.ok && r.error.code).toBe('validation');
    if (r.ok || r.error.code !== 'validation') return;
    expect(r.error.issues[0]?.path).toBe('title');
    expect(r.error.issues[0]?.message.zh).toMatch(/长度/);
  });

  it('enforces required fields of the target state and read-only fields of the current one', () => {
    const working = decide(tickets, newTicket(), { type: 'work' }, people.engineer, ctx);
    if (!working.ok) throw new Error('work');
    const noFix = decide(
      tickets,
      working.value.next,
      { type: 'finish', input: {} },
      people.engineer,
      ctx,
    );
    // Messages name the state and the field by their titles (`fix` has one); paths keep ids.
    expect(!noFix.ok && noFix.error.code === 'validation' && noFix.error.issues).toEqual([
      {
        path: 'fix',
        code: 'required',
        message: {
          zh: '在「完成」状态下必须填写「修复方法」',
          en: 'Fix is required in state Done',
        },
      },
    ]);
    const rename = decide(
      tickets,
      working.value.next,
      { type: 'rename', input: { title: 'new' } },
      people.engineer,
      ctx,
    );
    // `title` has no title: it is named by its id. The error's own message is the issue's,
    // which a portal shows first, rather than a list of paths.
    const locked = {
      zh: '在「处理中」状态下不能修改「title」',
      en: 'title cannot be changed in state Working',
    };
    expect(!rename.ok && rename.error.code === 'validation' && rename.error).toEqual({
      code: 'validation',
      issues: [{ path: 'title', code: 'readonly', message: locked }],
      message: locked,
    });
  });

  it('checks a required field a command that stays in its state sets, and only that', () => {
    // A state that requires `fix` and a command staying there that may blank it or not.
    // biome-ignore lint/suspicious/noExplicitAny: the command table's inputs vary per command
    const notes = defineWorkflow<Ticket, unknown, any>({
      id: 'note',
      title: text('笔记', 'Note'),
      initial: 'open',
      states: {
        open: { title: text('打开', 'Open'), required: ['title', 'fix'] },
        working: { title: text('处理中', 'Working') },
        done: { title: text('完成', 'Done'), terminal: true },
      },
      commands: {
        edit: {
          title: text('编辑', 'Edit'),
          clause: '3.1.3',
          from: ['open'],
          to: 'open',
          roles: 'anyone',
          input: z.object({ fix: z.string().optional(), priority: z.number().optional() }),
          apply: (_t: Ticket, input: { fix?: string; priority?: number }) => input,
        },
      },
    });
    const t0 = newTicket({ fix: 'reboot' });
    const edit = (input: object) =>
      decide(notes, t0, { type: 'edit', input }, people.engineer, ctx);
    expect(edit({ priority: 2 }).ok).toBe(true);
    expect(edit({ fix: 'replace toner' }).ok).toBe(true);
    const blanked = edit({ fix: '', priority: 2 });
    expect(!blanked.ok && blanked.error.code === 'validation' && blanked.error.issues).toEqual([
      expect.objectContaining({ path: 'fix', code: 'required' }),
    ]);
    expect(t0.fix).toBe('reboot');
  });

  it('reports a required field that entities of one shape have no key for, every time', () => {
    // The engine reads required fields by position for entities shaped like the first one it
    // saw; a field missing from that shape is missing from every entity of the shape.
    const closing = closingTickets(['title', 'fix']);
    for (const ticket of [newTicket(), ticketNumbered(2)]) {
      expect('fix' in ticket).toBe(false);
      const r = decide(closing, ticket, { type: 'close' }, people.engineer, ctx);
      expect(!r.ok && r.error.code === 'validation' && r.error.issues.map((i) => i.path)).toEqual([
        'fix',
      ]);
    }
    expect(
      decide(closing, newTicket({ fix: 'reboot' }), { type: 'close' }, people.engineer, ctx).ok,
    ).toBe(true);
  });

  it('validates a command once with parseCommand and trusts it afterwards', () => {
    const parsed = parseCommand(tickets, { type: 'rename', input: { title: 'scanner' } });
    expect(parsed.ok).toBe(true);
    const bad = parseCommand(tickets, { type: 'explode' });
    expect(!bad.ok && bad.error.code === 'validation' && bad.error.issues[0]?.path).toBe('type');
    if (!parsed.ok) return;
    const r = decide(tickets, newTicket(), parsed.value, people.engineer, ctx);
    expect(r.ok && r.value.next.title).toBe('scanner');
  });

  it('lists the commands a portal shows, with reasons when not allowed', () => {
    const list = availableCommands(tickets, newTicket({ blocked: true }), people.reporter, ctx);
    expect(list.map((c) => c.type)).toEqual(['work', 'rename']);
    const work = list.find((c) => c.type === 'work');
    expect(work?.allowed).toBe(false);
    expect(work?.violations.map((v) => v.ruleId)).toEqual([
      'ticket.work.role',
      'ticket.work.not_blocked',
    ]);
    expect(list.find((c) => c.type === 'rename')?.allowed).toBe(true);
  });

  it('lists every command with scope all, those of other states not allowed and saying where they apply', () => {
    const list = availableCommands(tickets, newTicket(), people.engineer, ctx, { scope: 'all' });
    expect(list.map((c) => [c.type, c.allowed])).toEqual([
      ['work', true],
      ['rename', true],
      ['finish', false],
    ]);
    const finish = list.find((c) => c.type === 'finish')!;
    expect(finish.to).toEqual([]);
    expect(finish.violations).toEqual([
      expect.objectContaining({
        ruleId: 'ticket.workflow.not_in_state',
        severity: 'low',
        message: text('「完成」只能在「处理中」状态下执行', 'Finish applies only in state Working'),
        details: { command: 'finish', state: 'open', appliesIn: ['working'] },
      }),
    ]);
    expect(tickets.rules.map((r) => r.id)).toContain('ticket.workflow.not_in_state');
    // The default stays the buttons of the current state.
    const buttons = availableCommands(tickets, newTicket(), people.engineer, ctx);
    expect(buttons.map((c) => c.type)).toEqual(['work', 'rename']);
    expect(buttons).toEqual(list.filter((c) => c.type !== 'finish'));
  });

  it('draws itself in Mermaid', () => {
    const chart = toMermaid(tickets);
    expect(chart).toContain('[*] --> open');
    expect(chart).toContain('open --> working: work');
    expect(chart).toContain('done --> [*]');
  });

  it('lists the rules it enforces', () => {
    expect(tickets.rules.map((r) => r.id)).toContain('ticket.work.not_blocked');
    expect(tickets.rules.map((r) => r.id)).toContain('ticket.finish.role');
  });

  it('refuses a definition that names an unknown state', () => {
    expect(() =>
      // biome-ignore lint/suspicious/noExplicitAny: a deliberately broken definition
      defineWorkflow<Ticket, unknown, any>({
        id: 'bad',
        title: text('坏', 'Bad'),
        initial: 'open',
        states: tickets.states,
        commands: {
          x: {
            title: text('x', 'x'),
            clause: '3.1.3',
            from: ['nowhere' as 'open'],
            to: 'done',
            roles: 'anyone',
          },
        },
      }),
    ).toThrow(/unknown state/);
  });
});

describe('computed targets', () => {
  // `review` leads from `working` to `done` or back to `open`, and leaves an open ticket open.
  const reviewed = (
    to: (t: Ticket, input: { pass: boolean }) => Ticket['state'],
    // biome-ignore lint/suspicious/noExplicitAny: the shapes under test, including broken ones
    targets?: any,
  ) =>
    // biome-ignore lint/suspicious/noExplicitAny: the command table's inputs vary per command
    defineWorkflow<Ticket, unknown, any>({
      id: 'reviewed',
      title: text('评审', 'Reviewed'),
      initial: 'open',
      states: tickets.states,
      commands: {
        review: {
          title: text('评审', 'Review'),
          clause: '3.1.4',
          from: ['open', 'working'],
          to,
          ...(targets === undefined ? {} : { targets }),
          roles: 'anyone',
          input: z.object({ pass: z.boolean() }),
        },
      },
    });
  const working = { ...newTicket({ fix: 'new toner' }), state: 'working' as const };
  const review = reviewed(
    (t, input) => (t.state === 'open' ? 'open' : input.pass ? 'done' : 'open'),
    (from: Ticket['state']) => (from === 'open' ? ['open'] : ['done', 'open']),
  );

  it('are declared per source state, and drawn and listed as such', () => {
    const chart = toMermaid(review).split('\n');
    expect(chart.filter((line) => line.includes(': review'))).toEqual([
      '  open --> open: review',
      '  working --> done: review',
      '  working --> open: review',
    ]);
    const open = availableCommands(review, newTicket(), people.engineer, ctx);
    expect(open.find((c) => c.type === 'review')?.to).toEqual(['open']);
    const inWork = availableCommands(review, working, people.engineer, ctx);
    expect(inWork.find((c) => c.type === 'review')?.to).toEqual(['done', 'open']);
  });

  it('go where `to` says when declared', () => {
    const r = decide(
      review,
      working,
      { type: 'review', input: { pass: true } },
      people.engineer,
      ctx,
    );
    expect(r.ok && r.value.next.state).toBe('done');
  });

  it('refuse a target the definition does not declare: a programmer error, thrown', () => {
    const slip = reviewed(() => 'done', ['open']);
    expect(() =>
      decide(slip, newTicket(), { type: 'review', input: { pass: true } }, people.engineer, ctx),
    ).toThrow(/review led from open to done, which its targets do not declare/);
  });

  it('must be declared when `to` is a function', () => {
    expect(() => reviewed(() => 'done')).toThrow(/must declare targets/);
  });
});

describe('pre-validated commands', () => {
  it('are trusted only by the workflow that validated them', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a second workflow with a same-named command
    const strict = defineWorkflow<Ticket, unknown, any>({
      ...tickets,
      id: 'strict_ticket',
      commands: {
        rename: {
          ...tickets.commands.rename,
          input: tickets.commands.rename.input.extend({ reason: z.string().min(1) }),
        },
      },
    });
    const parsed = parseCommand(tickets, { type: 'rename', input: { title: 'scanner' } });
    if (!parsed.ok) throw new Error('parse');
    const r = decide(strict, newTicket(), parsed.value as never, people.engineer, ctx);
    expect(!r.ok && r.error.code === 'validation' && r.error.issues[0]?.path).toBe('reason');
  });
});
