// `decide` on the incident workflow: 100k commands over 1,000 incidents (100 per incident, 86
// accepted, each appending a history entry; guards, checks and role rules run on every one),
// against a hand-written integer transition table (the simple limit) and xstate 5's pure
// `transition()` on an equivalent machine. `npm run bench -- incident`.
import {
  type Actor,
  createIncident,
  decide,
  definePolicy,
  type Incident,
  incidentWorkflow,
  parseCommand,
} from 'opscharter';
import { assign, initialTransition, setup, transition } from 'xstate';
import { compare, fmt } from './_lib/report.js';

const INCIDENTS = 1_000;
const PER_INCIDENT = 100;
const XSTATE_INCIDENTS = 100; // xstate costs ~µs per call: a tenth of the incidents, same script

const opsManager: Actor = {
  id: 'u-ops-1',
  name: '王强',
  department: 'it',
  departmentKind: 'it',
  roles: ['ops_manager'],
  level: 'manager',
};
const engineer: Actor = {
  id: 'u-ops-2',
  name: '张伟',
  department: 'it',
  departmentKind: 'it',
  roles: ['system_engineer'],
  level: 'staff',
};

type Raw = { type: string; input?: unknown };
const assessCmd: Raw = {
  type: 'assess',
  input: { impact: 'high', urgency: 'high', severity: 'critical', strategy: 's', actionPlan: 'p' },
};
const cycle: [Raw, Actor][] = [
  [{ type: 'log_step', input: { action: 'restart', result: 'still down' } }, engineer],
  [{ type: 'hold', input: { reason: 'waiting_vendor', detail: 'case 1' } }, engineer],
  [{ type: 'resume' }, engineer],
  [{ type: 'recover', input: { restoration: 'pool raised' } }, engineer],
  [
    {
      type: 'verify',
      input: { passed: false, result: 'uploads fail', businessAffected: true, effectGone: false },
    },
    opsManager,
  ],
  // Refused: only the assessor roles may reassess (role rule), nothing is appended.
  [{ type: 'reassess', input: { impact: 'low', urgency: 'low', reason: 'r' } }, engineer],
  [{ type: 'escalate', input: { to: 'vendor', name: 'DB vendor', reason: 'bug' } }, engineer],
];
const script: [Raw, Actor][] = [
  [assessCmd, opsManager],
  [{ type: 'start' }, engineer],
];
while (script.length < PER_INCIDENT) script.push(cycle[(script.length - 2) % cycle.length]!);
const ACCEPTED = 2 + (PER_INCIDENT - 2) - (PER_INCIDENT - 2) / cycle.length;

const policy = definePolicy();
const start = Date.parse('2026-03-30T01:00:00Z');
const times = script.map((_, i) => new Date(start + (i + 1) * 60_000));

function freshIncidents(n: number): Incident[] {
  const report = {
    title: 't',
    occurredAt: new Date(start).toISOString(),
    location: { system: 'core' },
    symptoms: 's',
    impactScope: 'i',
  };
  const out: Incident[] = [];
  for (let i = 0; i < n; i++) {
    out.push(createIncident(report, opsManager, new Date(start), `INC-${i}`).entity);
  }
  return out;
}

// ---- opscharter decide ----------------------------------------------------------------------
const initial = freshIncidents(INCIDENTS);
let incidents = initial.slice();
const parsed = script.map(([raw]) => {
  const r = parseCommand(incidentWorkflow, raw);
  if (!r.ok) throw new Error(`bad bench command ${raw.type}`);
  return r.value;
});

function runDecide(validate: boolean): void {
  for (let k = 0; k < PER_INCIDENT; k++) {
    const actor = script[k]![1];
    const ctx = { now: times[k]!, policy };
    const raw = script[k]![0];
    const pre = parsed[k]!;
    for (let i = 0; i < INCIDENTS; i++) {
      // A fresh object is not known to parseCommand, so decide validates it with zod.
      const command = validate ? ({ type: raw.type, input: raw.input } as typeof pre) : pre;
      const r = decide(incidentWorkflow, incidents[i]!, command, actor, ctx);
      if (r.ok) incidents[i] = r.value.next;
    }
  }
}

// ---- integer transition table ---------------------------------------------------------------
const S = { reported: 0, assessed: 1, in_progress: 2, on_hold: 3, recovered: 4, verified: 5 };
const C = {
  assess: 0,
  start: 1,
  log_step: 2,
  hold: 3,
  resume: 4,
  recover: 5,
  verify: 6,
  reassess: 7,
  escalate: 8,
};
const NS = 6;
const NC = 9;
const table = new Int8Array(NS * NC).fill(-1);
const set = (s: number, c: number, to: number) => {
  table[s * NC + c] = to;
};
set(S.reported, C.assess, S.assessed);
set(S.assessed, C.start, S.in_progress);
set(S.in_progress, C.log_step, S.in_progress);
set(S.in_progress, C.hold, S.on_hold);
set(S.on_hold, C.resume, S.in_progress);
set(S.in_progress, C.recover, S.recovered);
set(S.recovered, C.verify, S.verified); // the failing variant reopens, decided below
set(S.in_progress, C.reassess, S.in_progress);
set(S.in_progress, C.escalate, S.in_progress);
const MANAGER = 1;
const ENGINEER = 2;
const roleMask = new Uint8Array(NC).fill(MANAGER | ENGINEER);
roleMask[C.assess] = MANAGER;
roleMask[C.reassess] = MANAGER;
const intScript = script.map(([raw, actor]) => ({
  cmd: C[raw.type as keyof typeof C],
  actor: actor === opsManager ? MANAGER : ENGINEER,
  passed: raw.type === 'verify' ? (raw.input as { passed: boolean }).passed : true,
}));
const HIST = 5; // seq, command, from, to, time: a packed history entry
const state = new Int8Array(INCIDENTS);
const steps = new Int32Array(INCIDENTS);
const histLen = new Int32Array(INCIDENTS);
const history = new Int32Array(INCIDENTS * (PER_INCIDENT + 1) * HIST);

function resetInt(): void {
  state.fill(S.reported);
  steps.fill(0);
  histLen.fill(1);
}

function runInt(): void {
  for (let k = 0; k < PER_INCIDENT; k++) {
    const { cmd, actor, passed } = intScript[k]!;
    for (let i = 0; i < INCIDENTS; i++) {
      const from = state[i]!;
      let to = table[from * NC + cmd]!;
      if (to < 0) continue; // invalid transition
      if ((roleMask[cmd]! & actor) === 0) continue; // forbidden
      if (cmd === C.recover && steps[i] === 0) continue; // guard: a step logged
      if (cmd === C.verify && !passed) to = S.in_progress; // a failed verification reopens
      if (cmd === C.log_step) steps[i]!++;
      const n = histLen[i]!;
      const at = (i * (PER_INCIDENT + 1) + n) * HIST;
      history[at] = n + 1;
      history[at + 1] = cmd;
      history[at + 2] = from;
      history[at + 3] = to;
      history[at + 4] = k;
      histLen[i] = n + 1;
      state[i] = to;
    }
  }
}

// ---- hand-written immutable objects ---------------------------------------------------------
// What a team writes without an engine: a table of plain objects, the same state, role and
// guard checks, the next incident as a spread with its history (and steps) copied and one
// entry appended. No required/read-only fields, no events, no bilingual reasons: less work
// than `decide`, shown as a point of reference for the cost of immutable snapshots.
type PlainInput = Record<string, unknown>;
interface PlainCommand {
  readonly from: readonly string[];
  readonly to: string | ((input: PlainInput) => string);
  readonly roles: readonly string[];
  readonly guard?: (incident: Incident) => boolean;
  readonly apply?: (incident: Incident, input: PlainInput, by: PlainRef, at: string) => object;
}
type PlainRef = { id: string; name: string };
const handlerRoleNames = ['ops_manager', 'system_engineer'];
const plainTable: Record<string, PlainCommand> = {
  assess: {
    from: ['reported'],
    to: 'assessed',
    roles: ['ops_manager'],
    apply: (_incident, x) => ({ ...x, priority: 'P1', major: false }),
  },
  start: {
    from: ['assessed'],
    to: 'in_progress',
    roles: handlerRoleNames,
    apply: (_incident, _x, by) => ({ assignee: by }),
  },
  log_step: {
    from: ['in_progress'],
    to: 'in_progress',
    roles: handlerRoleNames,
    apply: (incident, x, by, at) => ({ steps: [...incident.steps, { at, by, ...x }] }),
  },
  hold: {
    from: ['in_progress'],
    to: 'on_hold',
    roles: handlerRoleNames,
    apply: (_incident, x, _by, at) => ({ hold: { at, ...x } }),
  },
  resume: {
    from: ['on_hold'],
    to: 'in_progress',
    roles: handlerRoleNames,
    apply: () => ({ hold: undefined }),
  },
  recover: {
    from: ['in_progress'],
    to: 'recovered',
    roles: handlerRoleNames,
    guard: (incident) => incident.steps.length > 0,
    apply: (_incident, x, by, at) => ({ recovery: { at, by, ...x } }),
  },
  verify: {
    from: ['recovered'],
    to: (x) => (x.passed ? 'verified' : 'in_progress'),
    roles: ['ops_manager'],
    apply: (incident, x, by, at) => ({
      verifications: [...incident.verifications, { at, by, notified: [], ...x }],
    }),
  },
  reassess: { from: ['in_progress'], to: 'in_progress', roles: ['ops_manager'] },
  escalate: {
    from: ['in_progress'],
    to: 'in_progress',
    roles: handlerRoleNames,
    apply: (incident, x, by, at) => ({ escalations: [...incident.escalations, { at, by, ...x }] }),
  },
};
let plainIncidents = initial.slice();

function plainStep(incident: Incident, raw: Raw, actor: Actor, now: Date): Incident | undefined {
  const command = plainTable[raw.type]!;
  if (!command.from.includes(incident.state)) return undefined;
  if (!actor.roles.some((role) => command.roles.includes(role))) return undefined;
  if (command.guard && !command.guard(incident)) return undefined;
  const input = (raw.input ?? {}) as PlainInput;
  const at = now.toISOString();
  const by = { id: actor.id, name: actor.name };
  const to = typeof command.to === 'function' ? command.to(input) : command.to;
  const entry = {
    seq: incident.history.length + 1,
    at,
    actor: by,
    command: raw.type,
    from: incident.state,
    to,
  };
  return {
    ...incident,
    ...command.apply?.(incident, input, by, at),
    state: to,
    updatedAt: at,
    history: [...incident.history, entry],
  } as Incident;
}

function runPlain(): void {
  for (let k = 0; k < PER_INCIDENT; k++) {
    const [raw, actor] = script[k]!;
    const now = times[k]!;
    for (let i = 0; i < INCIDENTS; i++) {
      const next = plainStep(plainIncidents[i]!, raw, actor, now);
      if (next) plainIncidents[i] = next;
    }
  }
}

// ---- the floor of an immutable snapshot -----------------------------------------------------
// Not a way to run a workflow: the least any `decide` returning the data model (an
// immutable incident holding its history as an array of entries) can cost. The incident is
// copied by the workflow's own field-by-field `copy` and its history copied with one entry
// appended; which commands are accepted, and where they lead, is taken from decide's own run.
// Nothing is checked, patched or published. Its ratio to the integer table bounds what decide
// can reach on this machine.
let floorIncidents = initial.slice();
const acceptedTargets: (Incident['state'] | undefined)[] = [];
const copyIncident = incidentWorkflow.copy!;

function recordAcceptedTargets(): void {
  let incident = initial[0]!;
  for (let k = 0; k < PER_INCIDENT; k++) {
    const r = decide(incidentWorkflow, incident, parsed[k]!, script[k]![1], {
      now: times[k]!,
      policy,
    });
    acceptedTargets.push(r.ok ? r.value.next.state : undefined);
    if (r.ok) incident = r.value.next;
  }
}

type Entry = Incident['history'][number];

function floorEntry(
  seq: number,
  at: string,
  actor: Actor,
  command: string,
  from: Incident['state'],
  to: Incident['state'],
): Entry {
  return { seq, at, actor: { id: actor.id, name: actor.name }, command, from, to, note: undefined };
}

function floorSnapshot(
  incident: Incident,
  to: Incident['state'],
  at: string,
  history: Incident['history'],
): Incident {
  const next = copyIncident(incident) as { -readonly [K in keyof Incident]: Incident[K] };
  next.state = to;
  next.updatedAt = at;
  next.history = history;
  return next;
}

// Two more floors: the same if the history were not an array in the snapshot but a view of a
// per-incident append-only log (the data-model change the target needs), one push and a small
// view object instead of a copy; first with the entries as objects, then packed into columns
// (an entry made only when read). Bounds, not implementations: an older snapshot's view would
// need its own length, and a branch from it a copy.
type FloorMode = 'copy' | 'log' | 'packed';
interface PackedLog {
  readonly at: string[];
  readonly actorId: string[];
  readonly actorName: string[];
  readonly command: string[];
  readonly from: (string | null)[];
  readonly to: string[];
}
let floorLogs: Entry[][] = [];
let packedLogs: PackedLog[] = [];

function runFloor(mode: FloorMode): void {
  for (let k = 0; k < PER_INCIDENT; k++) {
    const to = acceptedTargets[k];
    if (to === undefined) continue;
    const [raw, actor] = script[k]!;
    const at = times[k]!.toISOString();
    for (let i = 0; i < INCIDENTS; i++) {
      const incident = floorIncidents[i]!;
      let history: Incident['history'];
      if (mode === 'packed') {
        const log = packedLogs[i]!;
        log.at.push(at);
        log.actorId.push(actor.id);
        log.actorName.push(actor.name);
        log.command.push(raw.type);
        log.from.push(incident.state);
        log.to.push(to);
        history = { log, length: log.at.length } as unknown as Incident['history'];
      } else if (mode === 'log') {
        const log = floorLogs[i]!;
        log.push(floorEntry(log.length + 1, at, actor, raw.type, incident.state, to));
        history = { log, length: log.length } as unknown as Incident['history'];
      } else {
        const old = incident.history;
        const n = old.length;
        const copy = new Array<Entry>(n + 1);
        for (let j = 0; j < n; j++) copy[j] = old[j]!;
        copy[n] = floorEntry(n + 1, at, actor, raw.type, incident.state, to);
        history = copy;
      }
      floorIncidents[i] = floorSnapshot(incident, to, at, history);
    }
  }
}

function resetFloor(): void {
  floorIncidents = initial.slice();
  floorLogs = initial.map((incident) => incident.history.slice());
  packedLogs = initial.map(({ history }) => ({
    at: history.map((e) => e.at),
    actorId: history.map((e) => e.actor.id),
    actorName: history.map((e) => e.actor.name),
    command: history.map((e) => e.command),
    from: history.map((e) => e.from),
    to: history.map((e) => e.to),
  }));
}

/** The history length a floor run left for incident i, whatever its mode. */
function floorHistoryLength(mode: FloorMode, i: number): number {
  if (mode === 'packed') return packedLogs[i]!.at.length;
  if (mode === 'log') return floorLogs[i]!.length;
  return floorIncidents[i]!.history.length;
}

// ---- xstate 5 pure transition() -------------------------------------------------------------
interface XEntry {
  seq: number;
  at: string;
  actor: { id: string; name: string };
  command: string;
}
type XEvent = { type: string; actor: Actor; at: string; input?: { passed?: boolean } | undefined };
const handler = (actor: Actor) =>
  actor.roles.some((r) => r === 'ops_manager' || r === 'system_engineer');
const machine = setup({
  types: {} as { context: { history: XEntry[]; steps: number }; events: XEvent },
  guards: {
    manager: ({ event }) => event.actor.roles.includes('ops_manager'),
    handler: ({ event }) => handler(event.actor),
    stepsLogged: ({ context, event }) => handler(event.actor) && context.steps > 0,
    passed: ({ event }) => handler(event.actor) && event.input?.passed === true,
  },
  actions: {
    record: assign({
      history: ({ context, event }) => [
        ...context.history,
        {
          seq: context.history.length + 1,
          at: event.at,
          actor: { id: event.actor.id, name: event.actor.name },
          command: event.type,
        },
      ],
    }),
    countStep: assign({ steps: ({ context }) => context.steps + 1 }),
  },
}).createMachine({
  id: 'incident',
  initial: 'reported',
  context: { history: [], steps: 0 },
  states: {
    reported: { on: { assess: { target: 'assessed', guard: 'manager', actions: 'record' } } },
    assessed: {
      on: {
        start: { target: 'in_progress', guard: 'handler', actions: 'record' },
      },
    },
    in_progress: {
      on: {
        log_step: { guard: 'handler', actions: ['record', 'countStep'] },
        hold: { target: 'on_hold', guard: 'handler', actions: 'record' },
        recover: { target: 'recovered', guard: 'stepsLogged', actions: 'record' },
        reassess: { guard: 'manager', actions: 'record' },
        escalate: { guard: 'handler', actions: 'record' },
      },
    },
    on_hold: {
      on: {
        resume: { target: 'in_progress', guard: 'handler', actions: 'record' },
      },
    },
    recovered: {
      on: {
        verify: [
          { target: 'verified', guard: 'passed', actions: 'record' },
          { target: 'in_progress', guard: 'handler', actions: 'record' },
        ],
      },
    },
    verified: {},
  },
});
const [xInitial] = initialTransition(machine);
let xSnapshots: (typeof xInitial)[] = [];
const xEvents: XEvent[] = script.map(([raw, actor], k) => ({
  type: raw.type,
  actor,
  at: times[k]!.toISOString(),
  input: raw.input as XEvent['input'],
}));

function runXstate(): void {
  for (let k = 0; k < PER_INCIDENT; k++) {
    const event = xEvents[k]!;
    for (let i = 0; i < XSTATE_INCIDENTS; i++) {
      xSnapshots[i] = transition(machine, xSnapshots[i]!, event)[0];
    }
  }
}

// ---- sanity: all three agree before anything is timed --------------------------------------
function check(): void {
  incidents = initial.slice();
  runDecide(false);
  resetInt();
  runInt();
  xSnapshots = Array.from({ length: XSTATE_INCIDENTS }, () => xInitial);
  runXstate();
  plainIncidents = initial.slice();
  runPlain();
  recordAcceptedTargets();
  for (const mode of ['copy', 'log', 'packed'] as const) {
    resetFloor();
    runFloor(mode);
    for (let i = 0; i < INCIDENTS; i++) {
      const inc = incidents[i]!;
      const length = floorHistoryLength(mode, i);
      if (floorIncidents[i]!.state !== inc.state || length !== inc.history.length) {
        throw new Error(`floor (${mode}) ${floorIncidents[i]!.state} ${length}`);
      }
    }
  }
  const names = Object.keys(S);
  for (let i = 0; i < INCIDENTS; i++) {
    const inc = incidents[i]!;
    const plain = plainIncidents[i]!;
    if (plain.state !== inc.state || plain.history.length !== inc.history.length) {
      throw new Error(`hand-written objects ${plain.state} ${plain.history.length}`);
    }
    if (inc.history.length !== ACCEPTED + 1 || histLen[i] !== ACCEPTED + 1) {
      throw new Error(`history ${inc.history.length}/${histLen[i]} != ${ACCEPTED + 1}`);
    }
    if (names[state[i]!] !== inc.state) throw new Error(`state ${inc.state} vs ${state[i]}`);
    if (i < XSTATE_INCIDENTS) {
      const x = xSnapshots[i]!;
      if (x.value !== inc.state || x.context.history.length !== ACCEPTED) {
        throw new Error(`xstate ${String(x.value)} ${x.context.history.length}`);
      }
    }
  }
}

export default async function incidentBench(): Promise<void> {
  check();
  const commands = INCIDENTS * PER_INCIDENT;
  console.log(
    `\n${fmt(commands)} commands over ${fmt(INCIDENTS)} incidents (${ACCEPTED} of ${PER_INCIDENT} accepted each; xstate on ${XSTATE_INCIDENTS} incidents, same script)`,
  );
  const m = await compare('incident: decide vs an integer table vs xstate transition()', [
    { name: 'integer transition table', opsPerRun: commands, beforeEach: resetInt, run: runInt },
    {
      name: 'decide, pre-validated commands (parseCommand at the boundary)',
      opsPerRun: commands,
      beforeEach: () => {
        incidents = initial.slice();
      },
      run: () => runDecide(false),
    },
    {
      name: 'decide validating input (zod per command)',
      opsPerRun: commands,
      beforeEach: () => {
        incidents = initial.slice();
      },
      run: () => runDecide(true),
    },
    {
      name: 'hand-written immutable objects (less work: no fields, events or reasons)',
      opsPerRun: commands,
      beforeEach: () => {
        plainIncidents = initial.slice();
      },
      run: runPlain,
    },
    {
      name: 'floor: copy the incident and its history, append the entry (no checks at all)',
      opsPerRun: commands,
      beforeEach: resetFloor,
      run: () => runFloor('copy'),
    },
    {
      name: 'floor if the history were a shared append-only log (push, no copy)',
      opsPerRun: commands,
      beforeEach: resetFloor,
      run: () => runFloor('log'),
    },
    {
      name: 'floor if that log were packed into columns (no entry objects)',
      opsPerRun: commands,
      beforeEach: resetFloor,
      run: () => runFloor('packed'),
    },
    {
      name: 'xstate 5 transition()',
      opsPerRun: XSTATE_INCIDENTS * PER_INCIDENT,
      beforeEach: () => {
        xSnapshots = Array.from({ length: XSTATE_INCIDENTS }, () => xInitial);
      },
      run: runXstate,
    },
  ]);
  const [int, pre, val, plain, floor, sharedLog, packedLog, x] = m as [
    (typeof m)[0],
    (typeof m)[0],
    (typeof m)[0],
    (typeof m)[0],
    (typeof m)[0],
    (typeof m)[0],
    (typeof m)[0],
    (typeof m)[0],
  ];
  const line = (name: string, d: (typeof m)[0]) =>
    `  ${name}: ${(d.nsPerOp / int.nsPerOp).toFixed(1)}× the integer table (target ≤ 20×), xstate is ${(x.nsPerOp / d.nsPerOp).toFixed(0)}× slower (target ≥ 75×)`;
  console.log(line('decide, pre-validated', pre));
  console.log(line('decide, validating', val));
  console.log(line('floor of the data model', floor));
  console.log(line('floor with a shared log', sharedLog));
  console.log(line('floor with a packed log', packedLog));
  console.log(
    `  the hand-written immutable objects take ${(plain.nsPerOp / pre.nsPerOp).toFixed(2)}× the time of decide, pre-validated`,
  );
}
