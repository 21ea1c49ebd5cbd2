import { z } from 'zod';
import {
  fieldError,
  fromZodError,
  type OpsError,
  policyViolation,
  type ValidationError,
  validationError,
} from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { InstantSchema, TimeZoneSchema } from '../core/schemas.js';
import {
  getById,
  listAvailableCommands,
  parseActor,
  parseEntity,
  parseInstant,
  type ServiceDeps,
} from '../core/service.js';
import { text } from '../core/text.js';
import type { Violation } from '../core/violation.js';
import type { AvailableCommand, AvailableCommandsOptions } from '../core/workflow/available.js';
import { createEntity } from '../core/workflow/create.js';
import { decide, parseCommand } from '../core/workflow/decide.js';
import type { Actor } from '../org/actor.js';
import {
  type ApprovalDecision,
  type CanApproveOptions,
  canApprove,
  type RequiredApprovals,
  requiredApprovals,
} from './authority.js';
import {
  type ApprovedWindow,
  approvedImplementationWindows,
  type CalendarEntry,
  changeCalendar,
  scheduledStates,
} from './calendar.js';
import type { ChangeId } from './id.js';
import { type ChangeRequest, ChangeRequestInputSchema, changeStates } from './model.js';
import {
  approvalEscalations,
  changeFigures,
  type DueEscalation,
  emergencyFindings,
  type PeriodFigures,
} from './oversight.js';
import { type ApproverDirectory, ApproverDirectorySchema, type ChangePolicy } from './policy.js';
import { type ChangeFilter, type ChangeRepository, changeSpec } from './repository.js';
import { assessRisk } from './risk.js';
import { separationConflicts } from './separation.js';
import { type ChangeEnv, changeWorkflow } from './workflow.js';

/** What the change service needs: the shared deps, and optionally a live approver directory. */
export interface ChangeServiceDeps extends ServiceDeps<{ readonly change: ChangePolicy }> {
  /** Who holds which role in which domain, and the delegations; added to the policy's own. */
  readonly directory?:
    | ApproverDirectory
    | (() => ApproverDirectory | Promise<ApproverDirectory>)
    | undefined;
}

/** What every change command returns. */
export type ChangeOutcome = Promise<Result<ChangeRequest, OpsError>>;

/** The change service: a command per step of 3.3, and the queries a portal and a regulator need. */
export interface ChangeService {
  /** Files a change request (3.3.1); the actor is the requester. */
  request(actor: unknown, input: unknown): ChangeOutcome;
  /** The ops manager's pre-review: `{ outcome: 'accept' | 'rework', note? }` (3.3.1). */
  preReview(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  resubmit(actor: unknown, id: ChangeId, note?: string): ChangeOutcome;
  /** Edits a change; editing plan, window or scope voids the approvals given so far. */
  amend(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  /** `{ answers, technicalFeasibility, businessImpact, riskMeasures? }`: risk is computed (3.3.2). */
  evaluate(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  submitForApproval(actor: unknown, id: ChangeId): ChangeOutcome;
  /** `{ stage?, note? }` (3.3.3). */
  approve(actor: unknown, id: ChangeId, input?: unknown): ChangeOutcome;
  /** `{ outcome: 'end' | 'rework', reason }`. */
  reject(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  /** Flags overdue approval stages for escalation; never approves. */
  escalate(actor: unknown, id: ChangeId): ChangeOutcome;
  emergencyApprove(actor: unknown, id: ChangeId, input?: unknown): ChangeOutcome;
  authorizeStandard(actor: unknown, id: ChangeId): ChangeOutcome;
  /** `{ backupConfirmed, backupReference }` (3.3.4). */
  startImplementation(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  logStep(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  /** `{ outcome: 'succeeded' }` or `{ outcome: 'rolled_back', reason }`. */
  finishImplementation(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  rollback(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  /** `{ testResults, expectedEffectMet, noAdverseImpact }` (3.3.5). */
  verify(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  /** The business department's final confirmation: `{ note }` (3.3.5). */
  confirm(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  /** `{ review }`: the archive must be complete (3.3.6). */
  close(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;
  cancel(actor: unknown, id: ChangeId, note?: string): ChangeOutcome;
  linkIncident(actor: unknown, id: ChangeId, input: unknown): ChangeOutcome;

  get(id: ChangeId): Promise<Result<ChangeRequest, OpsError>>;
  list: ChangeRepository['list'];
  /**
   * The buttons a portal shows for this actor, each with its reasons when not allowed. Synchronous:
   * it uses the standing directory (the policy's, a directory object given to the service, or
   * the last one a directory function returned) and checks overlaps against the `scheduled`
   * changes passed in; every command re-checks everything when it is run. A malformed actor
   * is a `validation` error naming its field.
   */
  availableCommands(
    change: ChangeRequest,
    actor: Actor,
    context?: {
      readonly scheduled?: readonly ChangeRequest[] | undefined;
      readonly directory?: ApproverDirectory | undefined;
      /** `'all'`: every command, those of other states not allowed (see `availableCommands`). */
      readonly scope?: AvailableCommandsOptions['scope'];
    },
  ): Result<readonly AvailableCommand[], OpsError>;
  requiredApprovals(change: ChangeRequest): RequiredApprovals;
  /** Whether the actor may approve the change now; a malformed actor or change is `validation`. */
  canApprove(
    actor: Actor,
    change: ChangeRequest,
    options?: Omit<CanApproveOptions, 'directory'>,
  ): Promise<Result<ApprovalDecision, OpsError>>;
  escalations(change: ChangeRequest): DueEscalation[];
  /** The change calendar: `{ from, to, cis?, states? }`. */
  calendar(query: unknown): Promise<Result<CalendarEntry[], OpsError>>;
  /** The regulator's figures: `{ from, to, period, timeZone? }`. */
  figures(query: unknown): Promise<Result<PeriodFigures[], OpsError>>;
  /** Emergency changes whose retrospective approval is missing or late, as of now. */
  emergencyFindings(): Promise<Result<Violation[], OpsError>>;
  /** Approved implementation windows on the given CIs, optionally open at an instant (`at`). */
  approvedWindows(cis: readonly string[], at?: Date): Promise<Result<ApprovedWindow[], OpsError>>;
}

const CalendarQuerySchema = z
  .object({
    from: InstantSchema,
    to: InstantSchema,
    cis: z.array(z.string().min(1)).optional(),
    states: z.array(z.enum(changeStates)).optional(),
  })
  .strict();

const FiguresQuerySchema = z
  .object({
    from: InstantSchema,
    to: InstantSchema,
    period: z.enum(['month', 'quarter', 'year']),
    timeZone: TimeZoneSchema.optional(),
  })
  .strict();

const scheduleCommands = new Set([
  'submit_for_approval',
  'approve',
  'authorize_standard',
  'start_implementation',
]);

/**
 * The change service (`ops.changes`): validates, loads, decides with the change workflow,
 * saves with the version read, and publishes the events. A refused command stores nothing.
 *
 * @example
 * const changes = createChangeService(createMemoryRepository(changeSpec), { clock, ids, policy, sink });
 * const chg = await changes.request(engineer, input);
 */
export function createChangeService(
  repo: ChangeRepository,
  deps: ChangeServiceDeps,
): ChangeService {
  const policy = deps.policy.change;
  let parsedDirectory: { source: unknown; value: ApproverDirectory } | undefined;

  async function directory(): Promise<Result<ApproverDirectory | undefined, ValidationError>> {
    const d = typeof deps.directory === 'function' ? await deps.directory() : deps.directory;
    if (d === undefined) return ok(undefined);
    if (parsedDirectory?.source === d) return ok(parsedDirectory.value);
    const parsed = ApproverDirectorySchema.safeParse(d);
    if (!parsed.success) {
      const e = fromZodError(parsed.error);
      return err(validationError(e.issues.map((i) => ({ ...i, path: `directory.${i.path}` }))));
    }
    parsedDirectory = { source: d, value: parsed.data };
    return ok(parsed.data);
  }

  async function allOf(
    where?: {
      [K in ChangeFilter]?: string | string[];
    },
  ): Promise<Result<ChangeRequest[], OpsError>> {
    const out: ChangeRequest[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await repo.list({ where, limit: 500, cursor });
      if (!page.ok) return page;
      out.push(...page.value.items);
      if (page.value.nextCursor === undefined) return ok(out);
      cursor = page.value.nextCursor;
    }
  }
  const scheduled = () => allOf({ state: [...scheduledStates] });
  const all = () => allOf();

  async function env(withSchedule: boolean): Promise<Result<ChangeEnv, OpsError>> {
    const d = await directory();
    if (!d.ok) return d;
    let schedule: ChangeRequest[] = [];
    if (withSchedule) {
      const s = await scheduled();
      if (!s.ok) return s;
      schedule = s.value;
    }
    return ok({ change: policy, directory: d.value, schedule });
  }

  async function run(
    actor: unknown,
    id: ChangeId,
    type: string,
    input?: unknown,
    note?: unknown,
  ): ChangeOutcome {
    const who = parseActor(actor);
    if (!who.ok) return who;
    const command = parseCommand(changeWorkflow, { type, input, note });
    if (!command.ok) return command;
    if (type === 'evaluate') {
      const answers = (command.value.input as { answers: Record<string, string> }).answers;
      const risk = assessRisk(answers, policy.risk);
      if (!risk.ok) return risk;
    }
    const loaded = await getById(repo, id);
    if (!loaded.ok) return loaded;
    const e = await env(scheduleCommands.has(type));
    if (!e.ok) return e;
    const decision = decide(changeWorkflow, loaded.value, command.value, who.value, {
      now: deps.clock.now(),
      policy: e.value,
    });
    if (!decision.ok) return decision;
    const saved = await repo.save(decision.value.next, { expectedVersion: loaded.value.version });
    if (!saved.ok) return saved;
    await deps.sink.publish(decision.value.events);
    return saved;
  }

  return {
    async request(actor, input) {
      const who = parseActor(actor);
      if (!who.ok) return who;
      const parsed = ChangeRequestInputSchema.safeParse(input);
      if (!parsed.success) return err(fromZodError(parsed.error));
      const now = deps.clock.now();
      const { entity, event } = createEntity<ChangeRequest>(
        'change',
        'submitted',
        'request',
        {
          id: deps.ids.next('CHG'),
          ...parsed.data,
          requester: { id: who.value.id, name: who.value.name },
          revision: 1,
          approvals: [],
          escalations: [],
          linkedIncidentIds: [],
        },
        who.value,
        now,
      );
      const conflicts = separationConflicts(
        entity,
        entity.plan.implementer.id,
        'implementer',
        policy,
      );
      if (conflicts.length > 0) return err(policyViolation(conflicts));
      const saved = await repo.save(entity, { expectedVersion: 0 });
      if (!saved.ok) return saved;
      await deps.sink.publish([event]);
      return saved;
    },
    preReview: (a, id, input) => run(a, id, 'pre_review', input),
    resubmit: (a, id, note) => run(a, id, 'resubmit', undefined, note),
    amend: (a, id, input) => run(a, id, 'amend', input),
    evaluate: (a, id, input) => run(a, id, 'evaluate', input),
    submitForApproval: (a, id) => run(a, id, 'submit_for_approval'),
    approve: (a, id, input) => run(a, id, 'approve', input),
    reject: (a, id, input) => run(a, id, 'reject', input),
    escalate: (a, id) => run(a, id, 'escalate'),
    emergencyApprove: (a, id, input) => run(a, id, 'emergency_approve', input),
    authorizeStandard: (a, id) => run(a, id, 'authorize_standard'),
    startImplementation: (a, id, input) => run(a, id, 'start_implementation', input),
    logStep: (a, id, input) => run(a, id, 'log_step', input),
    finishImplementation: (a, id, input) => run(a, id, 'finish_implementation', input),
    rollback: (a, id, input) => run(a, id, 'rollback', input),
    verify: (a, id, input) => run(a, id, 'verify', input),
    confirm: (a, id, input) => run(a, id, 'confirm', input),
    close: (a, id, input) => run(a, id, 'close', input),
    cancel: (a, id, note) => run(a, id, 'cancel', undefined, note),
    linkIncident: (a, id, input) => run(a, id, 'link_incident', input),

    get: (id) => getById(repo, id),
    list: (query) => repo.list(query as never),
    availableCommands(change, actor, context = {}) {
      const standing = typeof deps.directory === 'object' ? deps.directory : parsedDirectory?.value;
      const environment: ChangeEnv = {
        change: policy,
        directory: context.directory ?? standing,
        schedule: context.scheduled ?? [],
      };
      return listAvailableCommands(
        changeWorkflow,
        changeSpec,
        change,
        actor,
        { now: deps.clock.now(), policy: environment },
        { scope: context.scope },
      );
    },
    requiredApprovals: (change) => requiredApprovals(change, policy),
    async canApprove(actor, change, options = {}) {
      const valid = parseEntity(changeSpec, change);
      if (!valid.ok) return valid;
      const who = parseActor(actor);
      if (!who.ok) return who;
      const d = await directory();
      return ok(
        canApprove(who.value, change, policy, deps.clock.now(), {
          ...options,
          directory: d.ok ? d.value : undefined,
        }),
      );
    },
    escalations: (change) => approvalEscalations(change, policy, deps.clock.now()),
    async calendar(query) {
      const q = CalendarQuerySchema.safeParse(query);
      if (!q.success) return err(fromZodError(q.error));
      const changes = await all();
      if (!changes.ok) return changes;
      return ok(changeCalendar(changes.value, q.data));
    },
    async figures(query) {
      const q = FiguresQuerySchema.safeParse(query);
      if (!q.success) return err(fromZodError(q.error));
      const changes = await all();
      if (!changes.ok) return changes;
      return ok(
        changeFigures(changes.value, {
          ...q.data,
          timeZone: q.data.timeZone ?? policy.calendar.timeZone,
        }),
      );
    },
    async emergencyFindings() {
      const items = await allOf({ type: 'emergency' });
      if (!items.ok) return items;
      return ok(emergencyFindings(items.value, policy, deps.clock.now()));
    },
    async approvedWindows(cis, at) {
      if (!Array.isArray(cis) || cis.some((c) => typeof c !== 'string')) {
        return err(
          fieldError('cis', 'invalid_type', text('配置项列表无效', 'cis must be a list of CI ids')),
        );
      }
      const when = at === undefined ? undefined : parseInstant(at, 'at');
      if (when && !when.ok) return when;
      const s = await scheduled();
      if (!s.ok) return s;
      return ok(approvedImplementationWindows(s.value, cis, when?.value));
    },
  };
}
