import type { Actor } from '../../org/actor.js';
import type { ClauseId } from '../clauses.js';
import { validationError } from '../errors.js';
import { type LocalizedText, text } from '../text.js';
import { type Violation, violation } from '../violation.js';
import { normalize, roleViolation } from './_lib/checks.js';
import { actorIssues, contextIssues, joinIssues } from './_lib/well-formed.js';
import type { AnyCommands, CompiledCommand, DecideContext, Workflow } from './definition.js';
import type { WorkflowEntity } from './history.js';

/** A command as a portal shows it: a button, enabled or not, and why not. */
export interface AvailableCommand {
  readonly type: string;
  readonly title: LocalizedText;
  readonly clause: ClauseId;
  /** The states the command can lead to from the entity's state. */
  readonly to: readonly string[];
  readonly allowed: boolean;
  /** Why it is not allowed: the role, and every guard that fails. Empty when allowed. */
  readonly violations: readonly Violation[];
  /** Whether the command takes input (a form) or not (a plain button). */
  readonly needsInput: boolean;
}

/** Which commands `availableCommands` lists. */
export interface AvailableCommandsOptions {
  /**
   * `'state'` (the default): the commands that apply in the entity's current state, the
   * buttons of a portal. `'all'`: every command of the workflow, those of other states not
   * allowed, with a violation naming the states they apply in (greyed-out buttons).
   */
  readonly scope?: 'state' | 'all' | undefined;
}

/**
 * Lists the commands that apply in the entity's current state (or, with `scope: 'all'`,
 * every command), each with `allowed` and, when not, every reason. Checks that need the
 * command's input run only when it is decided.
 *
 * A malformed actor or context (what `decide` answers with `validation`) never throws here:
 * every command is listed as not allowed, with one violation of its role rule whose message
 * names the fields and whose `details.issues` are the validation issues; no guard runs. An
 * entity that is not an object has no state, so no command applies: the list is empty.
 *
 * @example
 * for (const c of availableCommands(incidentWorkflow, incident, engineer, { now, policy })) {
 *   console.log(c.title.en, c.allowed ? 'enabled' : formatViolations(c.violations, 'en'));
 * }
 */
export function availableCommands<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>(
  workflow: Workflow<E, P, C>,
  entity: E,
  actor: Actor,
  ctx: DecideContext<P>,
  options: AvailableCommandsOptions = {},
): AvailableCommand[] {
  const out: AvailableCommand[] = [];
  if (typeof entity !== 'object' || entity === null) return out;
  const badActor = actorIssues(actor);
  const badContext = contextIssues(ctx);
  // A button stays a button: a portal that passed a broken session user greys every command
  // out and says which field is wrong, as `decide` would answer, instead of crashing the page.
  const malformed =
    badActor || badContext ? validationError(joinIssues(badActor, badContext)) : undefined;
  for (const compiled of workflow.compiled.values()) {
    const definition = compiled.definition;
    if (!compiled.from.has(entity.state)) {
      if (options.scope !== 'all') continue;
      out.push({
        type: compiled.name,
        title: definition.title,
        clause: definition.clause,
        to: [],
        allowed: false,
        violations: [notInState(workflow, compiled, entity.state)],
        needsInput: definition.input !== undefined,
      });
      continue;
    }
    const violations: Violation[] = [];
    if (malformed) {
      violations.push(
        violation(compiled.roleRule, malformed.message, { issues: malformed.issues }),
      );
    } else {
      const denied = roleViolation(compiled, actor, ctx.policy);
      if (denied) violations.push(denied);
      for (const guard of definition.guards ?? []) {
        violations.push(...normalize(guard.check(entity, actor, ctx)));
      }
    }
    out.push({
      type: compiled.name,
      title: definition.title,
      clause: definition.clause,
      to: compiled.targets.get(entity.state) ?? [],
      allowed: violations.length === 0,
      violations,
      needsInput: definition.input !== undefined,
    });
  }
  return out;
}

/** Why a command is not offered in a state: the states it applies in, by their titles. */
function notInState<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>(
  workflow: Workflow<E, P, C>,
  compiled: CompiledCommand<E, P>,
  state: string,
): Violation {
  const command = compiled.name;
  const title = compiled.definition.title;
  const states = workflow.states as Record<string, { readonly title: LocalizedText }>;
  const from = [...compiled.from];
  const titles = from.map((s) => states[s]!.title);
  return violation(
    workflow.notInStateRule,
    text(
      `「${title.zh}」只能在${titles.map((t) => `「${t.zh}」`).join('、')}状态下执行`,
      `${title.en} applies only in state${titles.length > 1 ? 's' : ''} ${titles.map((t) => t.en).join(', ')}`,
    ),
    { command, state, appliesIn: from },
  );
}
