import { z } from 'zod';
import {
  fieldError,
  forbidden,
  fromZodError,
  type OpsError,
  type ValidationError,
  validationError,
} from '../core/errors.js';
import type { ListQuery, Page } from '../core/repository.js';
import { err, ok, type Result } from '../core/result.js';
import {
  executeCommand,
  getById,
  listAvailableCommands,
  parseActor,
  parseEntity,
  parseInstant,
  type ServiceDeps,
  saveNew,
} from '../core/service.js';
import { text } from '../core/text.js';
import { violation } from '../core/violation.js';
import type { AvailableCommand, AvailableCommandsOptions } from '../core/workflow/available.js';
import { parseCommand } from '../core/workflow/decide.js';
import { type Actor, isActive } from '../org/actor.js';
import { createIncident } from './create.js';
import type {
  AssessInput,
  CancelInput,
  ClassifyInput,
  EscalateInput,
  HoldInput,
  Incident,
  IncidentId,
  LogStepInput,
  ReassessInput,
  RecoverInput,
  ReportIncidentInput,
  StartInput,
  SummariseInput,
  VerifyInput,
} from './model.js';
import { ReportIncidentInputSchema } from './model.js';
import type { IncidentPolicyHolder } from './policy.js';
import { type IncidentFilter, type IncidentRepository, incidentSpec } from './repository.js';
import { occurredInFutureRule, reporterActiveRule } from './rules.js';
import { type SlaStatus, slaStatus } from './sla.js';
import { type IncidentCommandType, incidentWorkflow } from './workflow.js';

/** Per-call options: a note for the history entry. */
export interface CommandOptions {
  readonly note?: string | undefined;
}

/** A command as a portal sends it: its type, its input and a note. */
export interface IncidentCommand {
  readonly type: IncidentCommandType;
  readonly input?: unknown;
  readonly note?: string | undefined;
}

/** What every incident command returns. */
export type IncidentOutcome = Promise<Result<Incident, OpsError>>;

/** The incident service: one method per command of charter 3.1, plus reads. */
export interface IncidentService {
  /** Reports an incident (3.1.1): anyone may. */
  report(actor: Actor, input: ReportIncidentInput, options?: CommandOptions): IncidentOutcome;
  /** Classifies by severity (3.1.1). */
  classify(
    actor: Actor,
    id: IncidentId,
    input: ClassifyInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Assesses impact and urgency; the matrix gives the priority and the SLA applies (3.1.2). */
  assess(
    actor: Actor,
    id: IncidentId,
    input: AssessInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Reassesses: a new priority, and the SLA recomputed against its targets (3.1.2). */
  reassess(
    actor: Actor,
    id: IncidentId,
    input: ReassessInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Takes the incident into work (3.1.3). */
  start(
    actor: Actor,
    id: IncidentId,
    input?: StartInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Logs a handling step and its result (3.1.3). */
  logStep(
    actor: Actor,
    id: IncidentId,
    input: LogStepInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Escalates to a support team, outside experts or a vendor (3.1.3). */
  escalate(
    actor: Actor,
    id: IncidentId,
    input: EscalateInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Puts the incident on hold; the SLA clocks pause (3.1.3). */
  hold(actor: Actor, id: IncidentId, input: HoldInput, options?: CommandOptions): IncidentOutcome;
  /** Resumes work after a hold (3.1.3). */
  resume(actor: Actor, id: IncidentId, options?: CommandOptions): IncidentOutcome;
  /** Records the restoration of service (3.1.4). */
  recover(
    actor: Actor,
    id: IncidentId,
    input: RecoverInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Verifies a recovery; a failure reopens the incident (3.1.4). */
  verify(
    actor: Actor,
    id: IncidentId,
    input: VerifyInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Writes the summary (3.1.5). */
  summarise(
    actor: Actor,
    id: IncidentId,
    input: SummariseInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Closes the incident; the policy requires a summary first (3.1.5). */
  close(actor: Actor, id: IncidentId, options?: CommandOptions): IncidentOutcome;
  /** Withdraws a report that is no incident. */
  cancel(
    actor: Actor,
    id: IncidentId,
    input: CancelInput,
    options?: CommandOptions,
  ): IncidentOutcome;
  /** Runs any command by name, as a portal button sends it. */
  execute(actor: Actor, id: IncidentId, command: IncidentCommand): IncidentOutcome;
  /** Reads one incident. */
  get(id: IncidentId): Promise<Result<Incident, OpsError>>;
  /** Lists incidents, filtered and paged. */
  list(query?: ListQuery<IncidentFilter>): Promise<Result<Page<Incident>, ValidationError>>;
  /**
   * The commands a portal shows for this incident and actor, each allowed or not and why (with
   * `{ scope: 'all' }`, every command, those of other states not allowed); a malformed actor
   * is a `validation` error naming its field (`actor.roles`).
   */
  availableCommands(
    incident: Incident,
    actor: Actor,
    options?: AvailableCommandsOptions,
  ): Result<readonly AvailableCommand[], OpsError>;
  /**
   * The SLA of an incident now (or at `at`), from its history; a malformed incident or an
   * invalid `at` is `validation`.
   */
  slaStatus(incident: Incident, at?: Date): Result<SlaStatus, OpsError>;
}

const NoteSchema = z.string().optional();

/**
 * Creates the incident service on a repository. Every command validates the actor and its
 * input with zod and returns a `Result`; an accepted command is saved with the version read,
 * then its events go to the sink. A rejected command stores and publishes nothing.
 *
 * @example
 * const incidents = createIncidentService(createMemoryRepository(incidentSpec), deps);
 * const r = await incidents.report(reporter, { title: '核心系统无法登录', occurredAt, location: { system: 'core' }, symptoms, impactScope });
 * if (r.ok) await incidents.assess(opsManager, r.value.id, { impact: 'high', urgency: 'high', severity: 'critical', strategy, actionPlan });
 */
export function createIncidentService(
  repo: IncidentRepository,
  deps: ServiceDeps<IncidentPolicyHolder>,
): IncidentService {
  const run = (
    actor: Actor,
    id: IncidentId,
    type: IncidentCommandType,
    input: unknown,
    options: CommandOptions | undefined,
  ): IncidentOutcome => execute(actor, id, { type, input, note: options?.note });

  const execute = async (
    actor: Actor,
    id: IncidentId,
    command: IncidentCommand,
  ): IncidentOutcome => {
    const who = parseActor(actor);
    if (!who.ok) return who;
    const parsed = parseCommand(incidentWorkflow, command);
    if (!parsed.ok) return parsed;
    if (parsed.value.type === 'assess' || parsed.value.type === 'reassess') {
      const levels = checkMatrixLevels(deps.policy, parsed.value.input);
      if (levels) return err(levels);
    }
    return executeCommand(repo, incidentWorkflow, deps, who.value, id, parsed.value);
  };

  return {
    async report(actor, input, options) {
      const who = parseActor(actor);
      if (!who.ok) return who;
      if (!isActive(who.value)) {
        return err(forbidden([violation(reporterActiveRule, undefined, { actor: who.value.id })]));
      }
      const parsed = ReportIncidentInputSchema.safeParse(input);
      if (!parsed.success) return err(fromZodError(parsed.error));
      const note = NoteSchema.safeParse(options?.note);
      if (!note.success) {
        return err(
          fieldError('note', 'invalid_type', text('备注必须是字符串', 'Note must be a string')),
        );
      }
      const now = deps.clock.now();
      const occurredAt = new Date(parsed.data.occurredAt);
      if (occurredAt.getTime() > now.getTime()) {
        return err(fieldError('occurredAt', occurredInFutureRule.id, occurredInFutureRule.title));
      }
      const { entity, event } = createIncident(
        parsed.data,
        who.value,
        now,
        deps.ids.next('INC'),
        note.data,
      );
      return saveNew(repo, deps, entity, [event]);
    },
    classify: (actor, id, input, options) => run(actor, id, 'classify', input, options),
    assess: (actor, id, input, options) => run(actor, id, 'assess', input, options),
    reassess: (actor, id, input, options) => run(actor, id, 'reassess', input, options),
    start: (actor, id, input, options) => run(actor, id, 'start', input, options),
    logStep: (actor, id, input, options) => run(actor, id, 'log_step', input, options),
    escalate: (actor, id, input, options) => run(actor, id, 'escalate', input, options),
    hold: (actor, id, input, options) => run(actor, id, 'hold', input, options),
    resume: (actor, id, options) => run(actor, id, 'resume', undefined, options),
    recover: (actor, id, input, options) => run(actor, id, 'recover', input, options),
    verify: (actor, id, input, options) => run(actor, id, 'verify', input, options),
    summarise: (actor, id, input, options) => run(actor, id, 'summarise', input, options),
    close: (actor, id, options) => run(actor, id, 'close', undefined, options),
    cancel: (actor, id, input, options) => run(actor, id, 'cancel', input, options),
    execute,
    get: (id) => getById(repo, id),
    list: (query) => repo.list(query),
    availableCommands: (incident, actor, options) =>
      listAvailableCommands(
        incidentWorkflow,
        incidentSpec,
        incident,
        actor,
        { now: deps.clock.now(), policy: deps.policy },
        options,
      ),
    slaStatus(incident, at) {
      const valid = parseEntity(incidentSpec, incident);
      if (!valid.ok) return valid;
      const when = at === undefined ? ok(deps.clock.now()) : parseInstant(at, 'at');
      if (!when.ok) return when;
      return ok(slaStatus(incident, when.value, deps.policy.incident));
    },
  };
}

/** Impact and urgency must be levels of the policy's matrix: a validation error naming them. */
function checkMatrixLevels(
  policy: IncidentPolicyHolder,
  input: unknown,
): ValidationError | undefined {
  const { impact, urgency } = input as { impact: string; urgency: string };
  const m = policy.incident.matrix;
  const issues = [];
  if (!m.impact.includes(impact)) {
    issues.push({
      path: 'impact',
      code: 'invalid_value',
      message: text(
        `影响程度应为 ${m.impact.join(' | ')} 之一`,
        `Impact must be one of ${m.impact.join(' | ')}`,
      ),
    });
  }
  if (!m.urgency.includes(urgency)) {
    issues.push({
      path: 'urgency',
      code: 'invalid_value',
      message: text(
        `紧急程度应为 ${m.urgency.join(' | ')} 之一`,
        `Urgency must be one of ${m.urgency.join(' | ')}`,
      ),
    });
  }
  return issues.length > 0 ? validationError(issues) : undefined;
}
