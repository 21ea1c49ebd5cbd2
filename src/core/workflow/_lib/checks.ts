import { type Actor, hasAnyRole, isActive } from '../../../org/actor.js';
import type { Role } from '../../../org/roles.js';
import { forbidden, type OpsError, policyViolation } from '../../errors.js';
import { text } from '../../text.js';
import { type Violation, violation } from '../../violation.js';
import type {
  CheckOutcome,
  CommandDefinition,
  CompiledCommand,
  DecideContext,
} from '../definition.js';
import type { WorkflowEntity } from '../history.js';

// Checks shared by `decide` and `availableCommands`; internal to the engine.

const noViolations: readonly Violation[] = Object.freeze([]);

/** The role check shared by `decide` and `availableCommands`. */
export function roleViolation<E extends WorkflowEntity, P>(
  compiled: CompiledCommand<E, P>,
  actor: Actor,
  policy: P,
): Violation | undefined {
  if (!isActive(actor)) {
    return violation(
      compiled.roleRule,
      text(`${actor.name} 已离职或停用`, `${actor.name} has left or is disabled`),
      { actor: actor.id, status: actor.status },
    );
  }
  const roles = compiled.definition.roles;
  if (roles === 'anyone') return undefined;
  const allowed: readonly Role[] =
    compiled.fixedRoles ?? (roles as (p: P) => readonly Role[])(policy);
  if (hasAnyRole(actor, allowed)) return undefined;
  return violation(compiled.roleRule, undefined, { actor: actor.id, required: allowed });
}

/** Runs a command's guards; `forbidden` if any guard about the actor fails, else policy. */
export function runGuards<E extends WorkflowEntity, P>(
  definition: CommandDefinition<E, P, unknown>,
  entity: E,
  actor: Actor,
  ctx: DecideContext<P>,
): OpsError | undefined {
  const guards = definition.guards;
  if (!guards || guards.length === 0) return undefined;
  let found: Violation[] | undefined;
  let isForbidden = false;
  for (const guard of guards) {
    const outcome = normalize(guard.check(entity, actor, ctx));
    if (outcome.length === 0) continue;
    found ??= [];
    found.push(...outcome);
    if (guard.kind === 'forbidden') isForbidden = true;
  }
  if (!found) return undefined;
  return isForbidden ? forbidden(found) : policyViolation(found);
}

/** Flattens a check outcome to an array without allocating when there is nothing. */
export function normalize(outcome: CheckOutcome): readonly Violation[] {
  if (outcome === undefined) return noViolations;
  return Array.isArray(outcome) ? outcome : [outcome as Violation];
}
