import {
  createEntity,
  defineRule,
  defineWorkflow,
  text,
  violation,
  type WorkflowEntity,
  workflowEntityShape,
} from 'opscharter/core';
import { z } from 'zod';
import { people } from './actors.js';

/** A small workflow entity for kernel tests: not a charter process, just enough shape. */
export interface Ticket extends WorkflowEntity<'open' | 'working' | 'done'> {
  readonly title: string;
  readonly priority: number;
  readonly cis: readonly string[];
  readonly fix?: string | undefined;
  readonly blocked?: boolean | undefined;
}

export const TicketSchema = z.object({
  ...workflowEntityShape(['open', 'working', 'done']),
  title: z.string().min(1),
  priority: z.number().int().min(1).max(5),
  cis: z.array(z.string()).readonly(),
  fix: z.string().optional(),
  blocked: z.boolean().optional(),
}) as unknown as z.ZodType<Ticket>;

export const ticketSpec = {
  name: 'ticket',
  schema: TicketSchema,
  filters: {
    state: (t: Ticket) => t.state,
    priority: (t: Ticket) => t.priority,
    ci: (t: Ticket) => t.cis,
  },
};

export const notBlocked = defineRule({
  id: 'ticket.work.not_blocked',
  clauses: ['3.1.3'],
  severity: 'medium',
  title: text('工单被阻塞', 'The ticket is blocked'),
});

export interface TicketPolicy {
  readonly fixRoles: readonly ('system_engineer' | 'ops_manager')[];
}

export const ticketPolicy: TicketPolicy = { fixRoles: ['system_engineer'] };

// biome-ignore lint/suspicious/noExplicitAny: the command table's inputs vary per command
export const tickets = defineWorkflow<Ticket, TicketPolicy, any>({
  id: 'ticket',
  title: text('工单', 'Ticket'),
  initial: 'open',
  states: {
    open: { title: text('打开', 'Open') },
    working: { title: text('处理中', 'Working'), readonly: ['title'] },
    done: { title: text('完成', 'Done'), terminal: true, required: ['fix'] },
  },
  // `title` has none on purpose: messages then name it by its id.
  fields: { fix: text('修复方法', 'Fix') },
  commands: {
    work: {
      title: text('处理', 'Work'),
      clause: '3.1.3',
      from: ['open'],
      to: 'working',
      roles: ['system_engineer', 'ops_manager'],
      guards: [
        { rule: notBlocked, check: (t: Ticket) => (t.blocked ? violation(notBlocked) : undefined) },
      ],
    },
    rename: {
      title: text('改名', 'Rename'),
      clause: '3.1.3',
      from: ['open', 'working'],
      to: (t: Ticket) => t.state,
      targets: ['open', 'working'],
      roles: 'anyone',
      input: z.object({ title: z.string().min(1) }),
      apply: (_t: Ticket, input: { title: string }) => ({ title: input.title }),
    },
    finish: {
      title: text('完成', 'Finish'),
      clause: '3.1.4',
      from: ['working'],
      to: 'done',
      roles: (policy: TicketPolicy) => policy.fixRoles,
      input: z.object({ fix: z.string().optional() }),
      apply: (_t: Ticket, input: { fix?: string }) => ({ fix: input.fix }),
    },
  },
});

export const at0 = new Date('2026-03-31T01:00:00Z');

/**
 * A fresh workflow whose one command, `close`, leads from `open` to `done`, which requires
 * these fields: for tests of the required-field check, each with its own compiled workflow
 * (the engine learns the key order of the first entity a command sees).
 */
export function closingTickets(required: readonly (keyof Ticket & string)[]) {
  // biome-ignore lint/suspicious/noExplicitAny: the command table's inputs vary per command
  return defineWorkflow<Ticket, unknown, any>({
    id: 'closing',
    title: text('关闭', 'Closing'),
    initial: 'open',
    states: {
      open: { title: text('打开', 'Open') },
      working: { title: text('处理中', 'Working') },
      done: { title: text('完成', 'Done'), terminal: true, required: [...required] },
    },
    commands: {
      close: {
        title: text('关闭', 'Close'),
        clause: '3.1.4',
        from: ['open'],
        to: 'done',
        roles: 'anyone',
      },
    },
  });
}

/** A new ticket (version 0) numbered n, created n minutes after `at0`. */
export function newTicket(n = 1, extra: Partial<Ticket> = {}): Ticket {
  const { entity } = createEntity<Ticket>(
    'ticket',
    'open',
    'open',
    {
      id: `T-${String(n).padStart(4, '0')}`,
      title: `printer ${n}`,
      priority: (n % 5) + 1,
      cis: n % 3 === 0 ? ['ci-a', 'ci-b'] : [`ci-${n % 2 === 0 ? 'a' : 'c'}`],
      ...extra,
    },
    people.reporter,
    new Date(at0.getTime() + n * 60_000),
  );
  return entity;
}

/** The ticket with one more history entry, as an accepted rename makes. */
export function renamed(t: Ticket, n: number): Ticket {
  return {
    ...t,
    title: `renamed ${n}`,
    history: [
      ...t.history,
      {
        seq: t.history.length + 1,
        at: new Date(at0.getTime() + 3_600_000 + n).toISOString(),
        actor: { id: people.engineer.id, name: people.engineer.name },
        command: 'rename',
        from: t.state,
        to: t.state,
      },
    ],
  };
}
