import type { FilterValue } from 'opscharter/core';
import { type AggregateSpec, type HistoryEntry, workflowEntityShape } from 'opscharter/core';
import { z } from 'zod';
import type { TableOptions } from '../../examples/postgres/index.js';

/** A small workflow entity for the adapter's tests: every filter column type is exercised. */
export const WorkItemSchema = z.object({
  ...workflowEntityShape(['open', 'working', 'blocked', 'done']),
  title: z.string().min(1),
  priority: z.enum(['P1', 'P2', 'P3', 'P4']),
  cis: z.array(z.string().min(1)).readonly(),
  escalated: z.boolean(),
  rank: z.number().int(),
  owner: z.string().optional(),
});

export type WorkItem = z.infer<typeof WorkItemSchema>;

export const workItemSpec: AggregateSpec<
  WorkItem,
  'state' | 'priority' | 'ci' | 'escalated' | 'rank' | 'owner'
> = {
  name: 'work_item',
  schema: WorkItemSchema,
  filters: {
    state: (w) => w.state,
    priority: (w) => w.priority,
    ci: (w) => w.cis,
    escalated: (w) => w.escalated,
    rank: (w) => w.rank,
    owner: (w) => w.owner,
  },
};

export type WorkItemFilter = keyof typeof workItemSpec.filters;

export const workItemColumns: TableOptions<WorkItemFilter>['columns'] = {
  state: 'text',
  priority: 'text',
  ci: 'text[]',
  escalated: 'boolean',
  rank: 'integer',
  owner: { type: 'text', column: 'owner_id' },
};

const states = ['open', 'working', 'blocked', 'done'] as const;
const priorities = ['P1', 'P2', 'P3', 'P4'] as const;
const ciNames = ['ci-a', 'ci-b', 'ci-c', 'ci-d'];
const base = Date.parse('2026-03-01T00:00:00.000Z');

/** Entity `n`, never saved: ids and `createdAt` increase with `n`; the other fields vary. */
export function newWorkItem(n: number): WorkItem {
  const at = new Date(base + n * 60_000).toISOString();
  const entry: HistoryEntry = {
    seq: 1,
    at,
    actor: { id: 'u-1', name: '张伟' },
    command: 'open',
    from: null,
    to: 'open',
  };
  return {
    id: `WI-${String(n).padStart(6, '0')}`,
    state: states[n % states.length]!,
    version: 0,
    createdAt: at,
    updatedAt: at,
    history: [entry],
    title: `工单 ${n}`,
    priority: priorities[(n * 7) % priorities.length]!,
    cis: ciNames.filter((_, i) => (n >> i) % 2 === 1),
    escalated: n % 3 === 0,
    rank: (n * 5) % 11,
    ...(n % 4 === 1 ? {} : { owner: `u-${n % 3}` }),
  };
}

/** The next version: one more history entry, as an accepted command makes. */
export function advanceWorkItem(item: WorkItem, n: number): WorkItem {
  const to = states[(states.indexOf(item.state) + 1) % states.length]!;
  const at = new Date(Date.parse(item.updatedAt) + 1000).toISOString();
  const entry: HistoryEntry = {
    seq: item.history.length + 1,
    at,
    actor: { id: `u-${n}`, name: '王强' },
    command: `step-${n}`,
    from: item.state,
    to,
    note: n % 2 === 0 ? `note ${n}` : undefined,
  };
  return { ...item, state: to, updatedAt: at, history: [...item.history, entry] };
}

/** Filters to try, each with what an entity must meet to be listed. */
export const workItemFilterCases: {
  readonly where: { readonly [K in WorkItemFilter]?: FilterValue | readonly FilterValue[] };
  readonly matches: (w: WorkItem) => boolean;
}[] = [
  { where: { state: 'open' }, matches: (w) => w.state === 'open' },
  { where: { state: ['open', 'done'] }, matches: (w) => w.state === 'open' || w.state === 'done' },
  { where: { priority: 'P2' }, matches: (w) => w.priority === 'P2' },
  { where: { ci: 'ci-b' }, matches: (w) => w.cis.includes('ci-b') },
  {
    where: { ci: ['ci-a', 'ci-d'], state: 'working' },
    matches: (w) => (w.cis.includes('ci-a') || w.cis.includes('ci-d')) && w.state === 'working',
  },
  { where: { escalated: true }, matches: (w) => w.escalated },
  { where: { rank: [0, 5, 10] }, matches: (w) => [0, 5, 10].includes(w.rank) },
  { where: { rank: '5' }, matches: () => false },
  { where: { owner: 'u-1' }, matches: (w) => w.owner === 'u-1' },
  { where: { ci: [] }, matches: () => false },
];
