import type { z } from 'zod';
import type { Actor } from '../../org/actor.js';
import type { Role } from '../../org/roles.js';
import type { ClauseId } from '../clauses.js';
import { defineRule, type Rule } from '../rule.js';
import { type LocalizedText, text } from '../text.js';
import type { Violation } from '../violation.js';
import { RequiredFieldScan } from './_lib/presence.js';
import type { WorkflowEntity } from './history.js';

/** What a decision needs besides the entity, command and actor: the instant and the policy. */
export interface DecideContext<P = unknown> {
  readonly now: Date;
  readonly policy: P;
}

/** What a guard or check returns: nothing when all is well, else one or more violations. */
export type CheckOutcome = Violation | readonly Violation[] | undefined;

/**
 * A precondition on the entity, the actor and the context, known before any input is given:
 * `availableCommands` runs guards so that a portal can grey out a button and say why.
 */
export interface Guard<E, P> {
  readonly rule: Rule;
  /** `forbidden` when the guard is about who the actor is; else a policy violation. */
  readonly kind?: 'forbidden' | 'policy';
  readonly check: (entity: E, actor: Actor, ctx: DecideContext<P>) => CheckOutcome;
}

/** Per-state field rules, as mature ITSM tools declare them. */
export interface StateDefinition<E> {
  readonly title: LocalizedText;
  /** No command leaves a terminal state. */
  readonly terminal?: boolean;
  /** Fields that must have a value once the entity is in this state. */
  readonly required?: readonly (keyof E & string)[];
  /** Fields no command may change while the entity is in this state (unless it `unlocks` them). */
  readonly readonly?: readonly (keyof E & string)[];
}

/** One command of a lifecycle, as data. */
export interface CommandDefinition<E extends WorkflowEntity, P, I> {
  readonly title: LocalizedText;
  /** The charter clause the command carries out. */
  readonly clause: ClauseId;
  /** States the command applies in. */
  readonly from: readonly E['state'][];
  /** The next state, fixed or chosen from the input (a failed verification reopens). */
  readonly to: E['state'] | ((entity: E, input: I, ctx: DecideContext<P>) => E['state']);
  /**
   * Every state `to` can return, when it is a function: one list for every source state, or a
   * function from the source state to its list (a command that stays where it is unless…).
   * Evaluated once by `defineWorkflow`; drawings and `availableCommands` show these edges, and
   * `decide` refuses to go anywhere else.
   */
  readonly targets?: readonly E['state'][] | ((from: E['state']) => readonly E['state'][]);
  /** Who may run it: anyone, fixed roles, or roles the policy names. */
  readonly roles: 'anyone' | readonly Role[] | ((policy: P) => readonly Role[]);
  /** The input schema; commands without one take no input. */
  readonly input?: z.ZodType<I, unknown>;
  /** Preconditions known before input (shown by `availableCommands`). */
  readonly guards?: readonly Guard<E, P>[];
  /** Checks that need the input. */
  readonly check?: (entity: E, input: I, actor: Actor, ctx: DecideContext<P>) => CheckOutcome;
  /** The fields the command sets. */
  readonly apply?: (entity: E, input: I, actor: Actor, ctx: DecideContext<P>) => Partial<E>;
  /** Read-only fields this command may still change (a re-assessment changes the priority). */
  readonly unlocks?: readonly (keyof E & string)[];
  /** Extra data for the domain event. */
  readonly eventData?: (next: E, input: I) => Readonly<Record<string, unknown>>;
}

/** The commands of a workflow: each command's input type comes from its own schema. */
// biome-ignore lint/suspicious/noExplicitAny: inputs differ per command, so the table's is open
export type AnyCommands<E extends WorkflowEntity, P> = Record<string, CommandDefinition<E, P, any>>;

/** A lifecycle as plain data: states, commands, roles, guards, required fields. */
export interface WorkflowDefinition<E extends WorkflowEntity, P, C extends AnyCommands<E, P>> {
  /** The aggregate's name: `incident`. Events are named `incident.<command>`. */
  readonly id: string;
  /** What one entity is called (`事件` / `Incident`): messages such as not-found name it so. */
  readonly title: LocalizedText;
  readonly initial: E['state'];
  readonly states: { readonly [S in E['state']]: StateDefinition<E> };
  readonly commands: C;
  /**
   * Titles of the entity's fields, as a person reads them (`actionPlan`: `处置方案` /
   * `Action plan`), for the messages of required and read-only fields. Optional: a field
   * without a title is named by its id. Issue paths keep the ids either way.
   */
  readonly fields?: { readonly [K in keyof E & string]?: LocalizedText } | undefined;
  /**
   * Copies an entity field by field, for `decide` to build the next one on. Optional: without
   * it `decide` spreads the entity. A spread is one site shared by every workflow, so V8's
   * inline cache there turns megamorphic once a few entity shapes pass (and field type changes
   * make new shapes), and then a copy of a 28-field entity costs ~500 ns; an object literal
   * written for one entity type stays monomorphic and costs ~50 ns. It must copy every field:
   * write it with `satisfies Record<keyof E, unknown>` so the compiler says when one is missing.
   */
  readonly copy?: ((entity: E) => E) | undefined;
}

/** The input type of a command definition. */
// biome-ignore lint/suspicious/noExplicitAny: only the input is inferred
export type InputOf<D> = D extends CommandDefinition<any, any, infer I> ? I : never;

/** A command sent to a workflow: its type, its input and an optional note for the history. */
// biome-ignore lint/suspicious/noExplicitAny: any command table
export type CommandOf<C extends AnyCommands<any, any>> = {
  [K in keyof C & string]: {
    readonly type: K;
    readonly input?: InputOf<C[K]> | undefined;
    readonly note?: string | undefined;
  };
}[keyof C & string];

/** A command prepared once at definition time, so that a decision is a few lookups. */
export interface CompiledCommand<E extends WorkflowEntity, P> {
  readonly name: string;
  readonly definition: CommandDefinition<E, P, unknown>;
  readonly from: ReadonlySet<string>;
  readonly eventType: string;
  readonly roleRule: Rule;
  readonly fixedRoles: readonly Role[] | undefined;
  /**
   * Per state the command applies in, the fields it may not change there: the state's
   * read-only fields less those the command unlocks. A state without any is absent.
   */
  readonly locked: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per state the command can lead to, the fields that state requires, as a set. */
  readonly required: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per state the command applies in, the states it can lead to from there. */
  readonly targets: ReadonlyMap<string, readonly string[]>;
  /**
   * Checks the fields of `required` by position, for the entities this command produces:
   * `true` all present, `false` one missing, `undefined` when the entity's keys come in an
   * order the check has not learnt (then `decide` looks the fields up by name).
   */
  readonly presence: { allPresent(entity: object, state: string): boolean | undefined };
}

/** A workflow ready to run: the definition plus lookup tables and the rules it enforces. */
export interface Workflow<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>
  extends WorkflowDefinition<E, P, C> {
  readonly compiled: ReadonlyMap<string, CompiledCommand<E, P>>;
  /** Every rule the workflow enforces: role rules, guards, required fields. */
  readonly rules: readonly Rule[];
  readonly requiredFieldRule: Rule;
  readonly readonlyFieldRule: Rule;
  /** A command listed for a state it does not apply in (`availableCommands`, scope `all`). */
  readonly notInStateRule: Rule;
}

/**
 * Compiles a lifecycle definition. Throws on a definition that names unknown states (a
 * programmer error, found by the first test that imports the module).
 *
 * @example
 * const lamp = defineWorkflow({
 *   id: 'lamp',
 *   title: text('灯', 'Lamp'),
 *   initial: 'off',
 *   states: { off: { title: text('关', 'Off') }, on: { title: text('开', 'On') } },
 *   commands: {
 *     switch_on: { title: text('开灯', 'Switch on'), clause: '3.1.3', from: ['off'], to: 'on', roles: 'anyone' },
 *   },
 * });
 */
export function defineWorkflow<E extends WorkflowEntity, P, const C extends AnyCommands<E, P>>(
  definition: WorkflowDefinition<E, P, C>,
): Workflow<E, P, C> {
  const states = new Set(Object.keys(definition.states));
  const compiled = new Map<string, CompiledCommand<E, P>>();
  const rules = new Map<string, Rule>();
  const requiredFieldRule = defineRule({
    id: `${definition.id}.workflow.required_field`,
    clauses: [firstClause(definition)],
    severity: 'medium',
    title: text('该状态的必填字段缺失', 'A field this state requires is missing'),
  });
  const readonlyFieldRule = defineRule({
    id: `${definition.id}.workflow.readonly_field`,
    clauses: [firstClause(definition)],
    severity: 'medium',
    title: text('该状态下字段只读', 'The field is read-only in this state'),
  });
  const notInStateRule = defineRule({
    id: `${definition.id}.workflow.not_in_state`,
    clauses: [firstClause(definition)],
    severity: 'low',
    title: text('该状态下不能执行此命令', 'The command does not apply in this state'),
  });
  rules.set(requiredFieldRule.id, requiredFieldRule);
  rules.set(readonlyFieldRule.id, readonlyFieldRule);
  rules.set(notInStateRule.id, notInStateRule);
  if (!states.has(definition.initial)) {
    throw new Error(`defineWorkflow ${definition.id}: unknown initial state ${definition.initial}`);
  }
  for (const [name, command] of Object.entries(definition.commands)) {
    const targetsFrom = compileTargets(definition.id, name, command);
    const targets = [...new Set([...targetsFrom.values()].flat())];
    for (const state of [...command.from, ...targets]) {
      if (!states.has(state)) {
        throw new Error(`defineWorkflow ${definition.id}: ${name} names unknown state ${state}`);
      }
    }
    for (const state of command.from) {
      if (definition.states[state as E['state']].terminal) {
        throw new Error(`defineWorkflow ${definition.id}: ${name} leaves terminal state ${state}`);
      }
    }
    const roleRule = defineRule({
      id: `${definition.id}.${name}.role`,
      clauses: [command.clause],
      severity: 'high',
      title: text(
        `无权执行「${command.title.zh}」`,
        `Not allowed to ${command.title.en.toLowerCase()}`,
      ),
    });
    rules.set(roleRule.id, roleRule);
    for (const guard of command.guards ?? []) rules.set(guard.rule.id, guard.rule);
    const locked = new Map<string, ReadonlySet<string>>();
    for (const state of command.from) {
      const fields = (definition.states[state as E['state']].readonly ?? []).filter(
        (field) => !command.unlocks?.includes(field),
      );
      if (fields.length > 0) locked.set(state, new Set(fields));
    }
    const required = new Map<string, ReadonlySet<string>>();
    for (const state of targets) {
      const fields = definition.states[state as E['state']].required;
      if (fields && fields.length > 0) required.set(state, new Set(fields));
    }
    compiled.set(name, {
      name,
      definition: command as CommandDefinition<E, P, unknown>,
      from: new Set(command.from),
      eventType: `${definition.id}.${name}`,
      roleRule,
      fixedRoles: Array.isArray(command.roles) ? command.roles : undefined,
      locked,
      required,
      targets: targetsFrom,
      presence: new RequiredFieldScan(required),
    });
  }
  return {
    ...definition,
    compiled,
    rules: [...rules.values()],
    requiredFieldRule,
    readonlyFieldRule,
    notInStateRule,
  };
}

/**
 * The states a command can lead to, per state it applies in. A computed `to` must declare
 * them: without the list, a drawing would miss edges and `decide` could not tell a slip in
 * `to` from a real edge.
 */
function compileTargets<S extends string>(
  workflow: string,
  name: string,
  command: {
    readonly from: readonly S[];
    readonly to: S | ((...args: never[]) => S);
    readonly targets?: readonly S[] | ((from: S) => readonly S[]) | undefined;
  },
): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const { to, targets } = command;
  if (typeof to === 'function' && targets === undefined) {
    throw new Error(
      `defineWorkflow ${workflow}: ${name} computes its target, so it must declare targets`,
    );
  }
  for (const from of command.from) {
    const list =
      typeof to !== 'function' ? [to] : typeof targets === 'function' ? targets(from) : targets!;
    out.set(from, Object.freeze([...new Set(list)]));
  }
  return out;
}

function firstClause(definition: { readonly commands: object }): ClauseId {
  const first = Object.values(definition.commands)[0] as { clause: ClauseId } | undefined;
  return first?.clause ?? '1.3';
}
