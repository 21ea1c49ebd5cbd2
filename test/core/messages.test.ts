import {
  changeSpec,
  changeWorkflow,
  incidentSpec,
  incidentWorkflow,
  reportWorkflow,
  storedReportSpec,
  waiverSpec,
  waiverWorkflow,
} from 'opscharter';
import { decide, invalidTransition, notFound, text } from 'opscharter/core';
import { describe, expect, it } from 'vitest';
import { people } from '../support/actors.js';
import { at0, newTicket, ticketPolicy, tickets } from '../support/ticket.js';

const ctx = { now: at0, policy: ticketPolicy };

// What a person reads names things by their titles; what a machine reads (`from`, `command`,
// `path`, `code`, `entity`) keeps the ids.
describe('messages of the workflow engine', () => {
  it('names the state and the command by their titles when a command does not apply', () => {
    const r = decide(tickets, newTicket(), { type: 'finish', input: {} }, people.engineer, ctx);
    expect(r.ok || r.error).toEqual({
      code: 'invalid_transition',
      from: 'open',
      command: 'finish',
      message: { zh: '在「打开」状态下不能执行「完成」', en: 'Cannot finish in state Open' },
    });
  });

  it('builds errors from titles when given, from ids otherwise', () => {
    expect(notFound('ticket', 'T-1', text('工单', 'Ticket')).message).toEqual({
      zh: '未找到工单 T-1',
      en: 'Ticket T-1 not found',
    });
    expect(notFound('ticket', 'T-1').message).toEqual({
      zh: '未找到 ticket T-1',
      en: 'ticket T-1 not found',
    });
    expect(invalidTransition('done', 'work').message).toEqual({
      zh: '在「done」状态下不能执行「work」',
      en: 'Cannot work in state done',
    });
  });

  it('has a title for every field a state of every shipped workflow requires or locks', () => {
    for (const workflow of [incidentWorkflow, changeWorkflow, waiverWorkflow, reportWorkflow]) {
      const fields = workflow.fields as Readonly<Record<string, unknown>> | undefined;
      for (const [name, state] of Object.entries(workflow.states)) {
        const { required = [], readonly = [] } = state as {
          required?: readonly string[];
          readonly?: readonly string[];
        };
        for (const field of [...required, ...readonly]) {
          expect(fields?.[field], `${workflow.id} ${name}: ${field}`).toBeDefined();
        }
      }
    }
  });

  it('names each stored aggregate as its workflow does', () => {
    // Stores build not-found and conflict messages from the spec, portals show the workflow.
    for (const [spec, workflow] of [
      [incidentSpec, incidentWorkflow],
      [changeSpec, changeWorkflow],
      [storedReportSpec, reportWorkflow],
      [waiverSpec, waiverWorkflow],
    ] as const) {
      expect(spec.title, spec.name).toEqual(workflow.title);
    }
  });
});
