import {
  collectingSink,
  createEntity,
  defineWorkflow,
  executeCommand,
  manualClock,
  saveNew,
  sequentialIds,
  text,
} from 'opscharter/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../support/actors.js';
import { type Backend, freshWorkItems, openPglite } from './backends.js';
import { newWorkItem, type WorkItem } from './work-item.js';

const workItems = defineWorkflow({
  id: 'work_item',
  title: text('工单', 'Work item'),
  initial: 'open',
  states: {
    open: { title: text('打开', 'Open') },
    working: { title: text('处理中', 'Working') },
    blocked: { title: text('阻塞', 'Blocked') },
    done: { title: text('完成', 'Done'), terminal: true },
  },
  commands: {
    start: {
      title: text('开始', 'Start'),
      clause: '3.1.3',
      from: ['open'],
      to: 'working',
      roles: 'anyone',
    },
    finish: {
      title: text('完成', 'Finish'),
      clause: '3.1.4',
      from: ['working'],
      to: 'done',
      roles: 'anyone',
    },
  },
});

describe('the service shell over the PGlite repository', () => {
  let db: Backend;
  beforeAll(async () => {
    db = await openPglite();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('creates, runs commands and keeps the history, as on the in-memory store', async () => {
    const { repo } = await freshWorkItems(db);
    const clock = manualClock('2026-03-31T01:00:00Z');
    const sink = collectingSink();
    const deps = { clock, ids: sequentialIds(), policy: {}, sink };
    const { entity, event } = createEntity<WorkItem>(
      'work_item',
      'open',
      'open',
      { ...newWorkItem(1), id: 'WI-svc' } as never,
      people.engineer,
      clock.now(),
    );
    const created = await saveNew(repo, deps, entity, [event]);
    expect(created.ok && created.value.version).toBe(1);
    clock.advance(60_000);
    const started = await executeCommand(repo, workItems, deps, people.engineer, 'WI-svc', {
      type: 'start',
      note: '开始处理',
    });
    expect(started.ok && started.value.state).toBe('working');
    clock.advance(60_000);
    await executeCommand(repo, workItems, deps, people.engineer, 'WI-svc', { type: 'finish' });
    const read = await repo.get('WI-svc');
    expect(read.ok && read.value.version).toBe(3);
    expect(read.ok && read.value.history.map((h) => [h.seq, h.command, h.from, h.to])).toEqual([
      [1, 'open', null, 'open'],
      [2, 'start', 'open', 'working'],
      [3, 'finish', 'working', 'done'],
    ]);
    expect(read.ok && read.value.history[1]?.note).toBe('开始处理');
    expect(sink.events.map((e) => e.type)).toEqual([
      'work_item.open',
      'work_item.start',
      'work_item.finish',
    ]);
  });

  it('a rejected command stores nothing', async () => {
    const { repo } = await freshWorkItems(db);
    const deps = {
      clock: manualClock('2026-03-31T01:00:00Z'),
      ids: sequentialIds(),
      policy: {},
      sink: collectingSink(),
    };
    const saved = await repo.save(newWorkItem(4), { expectedVersion: 0 });
    expect(saved.ok && saved.value.state).toBe('open');
    const finished = await executeCommand(
      repo,
      workItems,
      deps,
      people.engineer,
      newWorkItem(4).id,
      {
        type: 'finish',
      },
    );
    expect(!finished.ok && finished.error.code).toBe('invalid_transition');
    const read = await repo.get(newWorkItem(4).id);
    expect(read.ok && read.value).toEqual(saved.ok && saved.value);
  });
});
