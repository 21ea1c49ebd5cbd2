import { text } from '../core/text.js';
import { type Violation, violation } from '../core/violation.js';
import type { Actor } from '../org/actor.js';
import { type AuthorityLevel, authorityLevels } from '../org/authority.js';
import { type Role, roles } from '../org/roles.js';
import { contentFingerprint } from './fingerprint.js';
import {
  type ApprovalRecord,
  type ChangeDuty,
  type ChangeRequest,
  type ChangeState,
  changeTypes,
  type RiskLevel,
  riskLevels,
} from './model.js';
import type {
  ApprovalStage,
  ApproverDirectory,
  Assignment,
  AuthorityRule,
  ChangePolicy,
  Delegation,
  Quorum,
} from './policy.js';
import { changeRule } from './rules.js';

/** A change policy, or a whole policy that has one under `change`. */
export type ChangePolicyLike = ChangePolicy | { readonly change: ChangePolicy };

/** Why an approval is refused, as a short code; the explanation has the full story. */
export type ApprovalDenyCode =
  | 'state'
  | 'no_evaluation'
  | 'inactive'
  | 'self'
  | 'separation'
  | 'once'
  | 'denied'
  | 'no_rule'
  | 'complete'
  | 'scope'
  | 'no_authority';

/** One check that failed, for the explanation. */
export interface FailedConstraint {
  /** What was checked: `stage.ops.role`, `delegation.D1.window`, `separation.implementer`. */
  readonly constraint: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** Why `canApprove` decided as it did: the rules matched, what failed, the inputs used. */
export interface ApprovalExplanation {
  /** The allow rule of the authority table that covers the change, and any deny rules that fired. */
  readonly matchedRules: readonly string[];
  /** Every deny, explicit or default, as violations with rule ids and clauses. */
  readonly violations: readonly Violation[];
  readonly failed: readonly FailedConstraint[];
  readonly inputs: {
    readonly actor: {
      readonly id: string;
      readonly level: AuthorityLevel;
      readonly status: string;
    };
    readonly assignments: readonly Assignment[];
    readonly delegations: readonly Delegation[];
    readonly change: {
      readonly id: string;
      readonly type: string;
      readonly state: string;
      readonly risk: RiskLevel | undefined;
      readonly domains: readonly string[];
      readonly requester: string;
    };
    readonly at: string;
    /** The stages open for approval now. */
    readonly openStages: readonly string[];
  };
}

/** The answer of `canApprove`. The explanation is built when asked, or when the answer is no. */
export interface ApprovalDecision {
  readonly allowed: boolean;
  /** The stage the approval counts toward. */
  readonly stage?: string | undefined;
  /** The authority rule that covers the change. */
  readonly ruleId?: string | undefined;
  /** When the actor approves as a delegate: the delegator and the delegation. */
  readonly onBehalfOf?: string | undefined;
  readonly delegationId?: string | undefined;
  /** The first reason for a no. */
  readonly reason?: ApprovalDenyCode | undefined;
  readonly explanation?: ApprovalExplanation | undefined;
}

/** Options of `canApprove`. */
export interface CanApproveOptions {
  /** Who holds which role in which domain, and the delegations; added to the policy's own. */
  readonly directory?: ApproverDirectory | undefined;
  /** Approve this stage rather than the first open one the actor may approve. */
  readonly stage?: string | undefined;
  /** `on_deny` (default) builds the explanation only for a no; `always`; or `never`. */
  readonly explain?: 'on_deny' | 'always' | 'never' | undefined;
}

// ---------------------------------------------------------------------------------------------
// Compilation: once per policy and per directory, cached on the (frozen) objects.

interface CompiledStage {
  readonly source: ApprovalStage;
  readonly id: string;
  readonly roleMask: number;
  readonly minRank: number;
  readonly needed: number;
  readonly members: ReadonlySet<string> | undefined;
  readonly order: number;
  readonly allow: ApprovalDecision;
}

interface CompiledRule {
  readonly id: string;
  readonly source: AuthorityRule;
  readonly domains: ReadonlySet<string> | undefined;
  /** Stages sorted by order (stable). */
  readonly stages: readonly CompiledStage[];
}

interface CompiledDeny {
  readonly id: string;
  readonly title: { zh: string; en: string };
  readonly domains: ReadonlySet<string> | undefined;
  readonly ids: ReadonlySet<string> | undefined;
  readonly roleMask: number;
  readonly levels: ReadonlySet<string> | undefined;
}

interface TableCell {
  readonly domainRules: CompiledRule[];
  general: CompiledRule | undefined;
  readonly denies: CompiledDeny[];
}

interface CompiledAuthority {
  readonly cells: readonly TableCell[];
  readonly relaxed: ReadonlySet<string>;
  readonly directory: CompiledDirectory;
  readonly standing: {
    readonly assignments: readonly Assignment[];
    readonly delegations: readonly Delegation[];
  };
}

interface CompiledDelegation {
  readonly source: Delegation;
  readonly startMs: number;
  readonly endMs: number;
  readonly domains: ReadonlySet<string> | undefined;
}

/**
 * The directory, flattened for the hot path: one map from person to the offset of their row,
 * and every row in one packed array, so a lookup is one hash lookup then a few adjacent
 * integers (on random actors each separate array was one more cache miss).
 */
interface CompiledDirectory {
  /** Person to the offset of their row in `rows`. */
  readonly index: ReadonlyMap<string, number>;
  /**
   * Actor object to row offset (-1: no row), filled on first sight. Actors are values reused
   * across calls (a session's user); on random actors the id lookup costs three dependent
   * cache misses (hash bucket, entry, the stored key's characters), this one about one.
   */
  readonly byActor: WeakMap<Actor, number>;
  /** Domain to dense index; a prototype-less object, faster than a `Map` for a few names. */
  readonly domainIndex: Readonly<Record<string, number>>;
  /**
   * A person's row, at offset o: roles held in every domain (`*`) at o, roles held anywhere
   * (tells a scope miss from a missing role) at o + 1, the person's number (for `assignments`)
   * at o + 2, the end of the row at o + 3, then (domain index, role mask) pairs up to the end.
   */
  readonly rows: Int32Array;
  /** Per person number, their assignments as given (for explanations). */
  readonly assignments: readonly (readonly Assignment[])[];
  readonly delegationsTo: ReadonlyMap<string, readonly CompiledDelegation[]>;
  readonly empty: boolean;
}

const roleBits = new Map<string, number>(roles.map((r, i) => [r, 1 << i]));
const levelRank = new Map<string, number>(authorityLevels.map((l, i) => [l, i]));
const typeIndex = new Map<string, number>(changeTypes.map((t, i) => [t, i]));
const riskIndex = new Map<string, number>(riskLevels.map((r, i) => [r, i]));

function rankOf(level: string): number {
  switch (level) {
    case 'staff':
      return 0;
    case 'manager':
      return 1;
    case 'department_head':
      return 2;
    case 'leadership':
      return 3;
    case 'executive':
      return 4;
    default:
      return -1;
  }
}

function maskOf(list: readonly Role[] | undefined): number {
  let mask = 0;
  for (const r of list ?? []) mask |= roleBits.get(r) ?? 0;
  return mask;
}

function neededOf(quorum: Quorum, members: readonly string[] | undefined): number {
  if (quorum === 'any') return 1;
  if (quorum === 'all') return members?.length ?? 1;
  return quorum.count;
}

const compiledPolicies = new WeakMap<object, CompiledAuthority>();
const mergedDirectories = new WeakMap<object, WeakMap<object, CompiledDirectory>>();

function changePolicyOf(policy: ChangePolicyLike): ChangePolicy {
  return 'authority' in policy ? policy : policy.change;
}

let lastPolicy: ChangePolicyLike | undefined;
let lastCompiled: CompiledAuthority | undefined;

/**
 * The compiled authority of a policy, whole or its change section. The last one asked about
 * (usually the only one) is kept at hand, and this stays small so that it inlines.
 */
function compiledOf(policy: ChangePolicyLike): CompiledAuthority {
  if (policy === lastPolicy) return lastCompiled!;
  const cp = changePolicyOf(policy);
  const compiled = compiledPolicies.get(cp) ?? compileAuthority(cp);
  lastPolicy = policy;
  lastCompiled = compiled;
  return compiled;
}

function compileAuthority(policy: ChangePolicy): CompiledAuthority {
  const cells: TableCell[] = [];
  for (let i = 0; i < changeTypes.length * riskLevels.length; i++) {
    cells.push({ domainRules: [], general: undefined, denies: [] });
  }
  const each = (
    match: { type?: readonly string[] | undefined; risk?: readonly string[] | undefined },
    visit: (cell: TableCell) => void,
  ) => {
    for (const type of match.type ?? changeTypes) {
      for (const risk of match.risk ?? riskLevels) {
        visit(cells[typeIndex.get(type)! * riskLevels.length + riskIndex.get(risk)!]!);
      }
    }
  };
  for (const rule of policy.authority.rules) {
    const stages = rule.stages
      .map((s, i) => ({ s, i }))
      .sort((a, b) => a.s.order - b.s.order || a.i - b.i)
      .map(({ s }) => compileStage(s, rule.id));
    const compiled: CompiledRule = {
      id: rule.id,
      source: rule,
      domains: rule.match.domains ? new Set(rule.match.domains) : undefined,
      stages,
    };
    each(rule.match, (cell) => {
      if (compiled.domains) cell.domainRules.push(compiled);
      else cell.general ??= compiled;
    });
  }
  for (const deny of policy.authority.denies) {
    const compiled: CompiledDeny = {
      id: deny.id,
      title: deny.title,
      domains: deny.match.domains ? new Set(deny.match.domains) : undefined,
      ids: deny.actors.ids ? new Set(deny.actors.ids) : undefined,
      roleMask: maskOf(deny.actors.roles),
      levels: deny.actors.levels ? new Set(deny.actors.levels) : undefined,
    };
    each(deny.match, (cell) => cell.denies.push(compiled));
  }
  const relaxed = new Set<string>();
  for (const [a, b] of policy.separation.relax) {
    relaxed.add(`${a}|${b}`);
    relaxed.add(`${b}|${a}`);
  }
  const result: CompiledAuthority = {
    cells,
    relaxed,
    directory: compileDirectory({
      assignments: policy.authority.assignments,
      delegations: policy.authority.delegations,
    }),
    standing: {
      assignments: policy.authority.assignments,
      delegations: policy.authority.delegations,
    },
  };
  compiledPolicies.set(policy, result);
  return result;
}

function compileStage(stage: ApprovalStage, ruleId: string): CompiledStage {
  return {
    source: stage,
    id: stage.id,
    roleMask: maskOf(stage.roles),
    minRank: levelRank.get(stage.minLevel) ?? 0,
    needed: neededOf(stage.quorum, stage.members),
    members: stage.members ? new Set(stage.members) : undefined,
    order: stage.order,
    allow: Object.freeze({ allowed: true, stage: stage.id, ruleId }),
  };
}

function compileDirectory(directory: ApproverDirectory): CompiledDirectory {
  const index = new Map<string, number>();
  const domainIndex: Record<string, number> = Object.create(null);
  let domains = 0;
  const perPerson: {
    all: number;
    union: number;
    byDomain: Map<number, number>;
    list: Assignment[];
  }[] = [];
  for (const a of directory.assignments ?? []) {
    let i = index.get(a.actorId);
    if (i === undefined) {
      i = perPerson.length;
      index.set(a.actorId, i);
      perPerson.push({ all: 0, union: 0, byDomain: new Map(), list: [] });
    }
    const g = perPerson[i]!;
    g.list.push(a);
    const bit = roleBits.get(a.role) ?? 0;
    g.union |= bit;
    if (a.domain === '*') {
      g.all |= bit;
      continue;
    }
    let d = domainIndex[a.domain];
    if (d === undefined) {
      d = domains++;
      domainIndex[a.domain] = d;
    }
    g.byDomain.set(d, (g.byDomain.get(d) ?? 0) | bit);
  }
  const n = perPerson.length;
  let size = 0;
  for (const g of perPerson) size += 4 + g.byDomain.size * 2;
  const rows = new Int32Array(size);
  const offsets: number[] = [];
  let k = 0;
  perPerson.forEach((g, i) => {
    const o = k;
    offsets.push(o);
    rows[o] = g.all;
    rows[o + 1] = g.union;
    rows[o + 2] = i;
    k += 4;
    for (const [d, mask] of g.byDomain) {
      rows[k++] = d;
      rows[k++] = mask;
    }
    rows[o + 3] = k;
  });
  for (const [id, i] of index) index.set(id, offsets[i]!);
  const delegationsTo = new Map<string, CompiledDelegation[]>();
  for (const d of directory.delegations ?? []) {
    const list = delegationsTo.get(d.to) ?? [];
    list.push({
      source: d,
      startMs: Date.parse(d.start),
      endMs: Date.parse(d.end),
      domains: d.domains ? new Set(d.domains) : undefined,
    });
    delegationsTo.set(d.to, list);
  }
  return {
    index,
    byActor: new WeakMap(),
    domainIndex,
    rows,
    assignments: perPerson.map((g) => g.list),
    delegationsTo,
    empty: n === 0 && delegationsTo.size === 0,
  };
}

function directoryFor(
  compiled: CompiledAuthority,
  directory: ApproverDirectory | undefined,
): CompiledDirectory {
  if (!directory) return compiled.directory;
  let byPolicy = mergedDirectories.get(directory);
  if (!byPolicy) {
    byPolicy = new WeakMap();
    mergedDirectories.set(directory, byPolicy);
  }
  const hit = byPolicy.get(compiled);
  if (hit) return hit;
  const merged = compiled.directory.empty
    ? compileDirectory(directory)
    : compileDirectory({
        assignments: [...compiled.standing.assignments, ...(directory.assignments ?? [])],
        delegations: [...compiled.standing.delegations, ...(directory.delegations ?? [])],
      });
  byPolicy.set(compiled, merged);
  return merged;
}

function ruleFor(cell: TableCell, domains: readonly string[]): CompiledRule | undefined {
  for (const rule of cell.domainRules) {
    for (const d of domains) if (rule.domains!.has(d)) return rule;
  }
  return cell.general;
}

function cellOf(compiled: CompiledAuthority, type: string, risk: RiskLevel): TableCell {
  const t = type === 'normal' ? 1 : type === 'emergency' ? 2 : 0;
  const r = risk === 'low' ? 0 : risk === 'medium' ? 1 : risk === 'high' ? 2 : 3;
  return compiled.cells[t * 4 + r]!;
}

/**
 * The roles the person whose row is at `p` holds in every one of the domains (dense indices,
 * -1 for unknown).
 */
function rolesIn(dir: CompiledDirectory, p: number, domains: Int32Array): number {
  if (p < 0) return 0;
  const pairs = dir.rows;
  const all = pairs[p]!;
  const n = domains.length;
  if (n === 0) return all;
  const from = p + 4;
  const to = pairs[p + 3]!;
  let mask = -1;
  for (let i = 0; i < n; i++) {
    let m = all;
    const d = domains[i]!;
    if (d >= 0) {
      for (let k = from; k < to; k += 2) {
        if (pairs[k] === d) {
          m |= pairs[k + 1]!;
          break;
        }
      }
    }
    mask &= m;
  }
  return mask;
}

/** The change's domains as the directory's dense indices (-1: nobody holds a role there). */
function domainIndices(dir: CompiledDirectory, domains: readonly string[]): Int32Array {
  const out = new Int32Array(domains.length);
  for (let i = 0; i < domains.length; i++) out[i] = dir.domainIndex[domains[i]!] ?? -1;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Per-change facts. A portal asks about one change for many actors, and changes reach us in
// many shapes (optional fields present or not), so reading them field by field on every call
// is megamorphic property access, measured at ~150 ns of a ~450 ns decision. A change is a
// value (every update makes a new object, the types are readonly), so what canApprove needs
// from it is read once per change object and kept in a WeakMap: one monomorphic object after.

interface ChangeFacts {
  /** Awaiting approval, or an emergency change in a state that allows retrospective approval. */
  readonly open: boolean;
  readonly state: ChangeState;
  readonly type: ChangeRequest['type'];
  readonly requester: string;
  /** Set when the change names anyone as pre-reviewer, implementer or verifier. */
  readonly preReviewer: string | undefined;
  readonly implementer: string;
  readonly implementedBy: string | undefined;
  readonly verifier: string | undefined;
  readonly hasApprovals: boolean;
  /** The content fingerprint, computed only when there are approvals to match it against. */
  readonly fp: string;
  readonly risk: RiskLevel | undefined;
  readonly domains: readonly string[];
  /** Derived under one compiled policy (the last one asked about; usually the only one). */
  policy: CompiledAuthority | undefined;
  rule: CompiledRule | undefined;
  cell: TableCell | undefined;
  counts: number[] | undefined;
  order: number;
  /**
   * Derived under one directory (the last one asked about): the domains as dense indices, and
   * the directory rows (-1: none) of the requester and of the other duty holders.
   */
  directory: CompiledDirectory | undefined;
  domainIdx: Int32Array;
  requesterRow: number;
  preReviewerRow: number;
  implementerRow: number;
  implementedByRow: number;
  verifierRow: number;
}

const factsByChange = new WeakMap<ChangeRequest, ChangeFacts>();
let lastChange: ChangeRequest | undefined;
let lastFacts: ChangeFacts | undefined;
const noDomains = new Int32Array(0);

/** The facts of a change, read on first sight. Small, so that it inlines into the hot path. */
function factsOf(change: ChangeRequest): ChangeFacts {
  if (change === lastChange) return lastFacts!;
  const f = factsByChange.get(change) ?? readFacts(change);
  lastChange = change;
  lastFacts = f;
  return f;
}

function readFacts(change: ChangeRequest): ChangeFacts {
  const state = change.state;
  const hasApprovals = change.approvals.length > 0;
  const f: ChangeFacts = {
    open:
      state === 'awaiting_approval' ||
      (change.type === 'emergency' &&
        change.retrospectiveDueAt !== undefined &&
        retrospectiveStates.has(state)),
    state,
    type: change.type,
    requester: change.requester.id,
    preReviewer: change.preReview?.by.id,
    implementer: change.plan.implementer.id,
    implementedBy: change.implementation?.by.id,
    verifier: change.verification?.by.id,
    hasApprovals,
    fp: hasApprovals ? contentFingerprint(change) : '',
    risk: change.evaluation?.risk.level,
    domains: change.scope.domains,
    policy: undefined,
    rule: undefined,
    cell: undefined,
    counts: undefined,
    order: Number.POSITIVE_INFINITY,
    directory: undefined,
    domainIdx: noDomains,
    requesterRow: -1,
    preReviewerRow: -1,
    implementerRow: -1,
    implementedByRow: -1,
    verifierRow: -1,
  };
  factsByChange.set(change, f);
  return f;
}

/** Fills the policy-derived facts (cell, rule, stage counts, open order) for `compiled`. */
function underPolicy(f: ChangeFacts, change: ChangeRequest, compiled: CompiledAuthority): void {
  if (f.policy === compiled) return;
  f.policy = compiled;
  f.cell = f.risk === undefined ? undefined : cellOf(compiled, f.type, f.risk);
  f.rule = f.cell === undefined ? undefined : ruleFor(f.cell, f.domains);
  f.counts = undefined;
  f.order = Number.POSITIVE_INFINITY;
  const rule = f.rule;
  if (rule === undefined) return;
  if (!f.hasApprovals) {
    f.order = rule.stages[0]!.order;
  } else {
    const counts: number[] = [];
    f.order = openOrder(change, rule, counts, f.fp);
    f.counts = counts;
  }
}

/** Fills the directory-derived facts (domain indices, duty holders' rows) for `directory`. */
function underDirectory(f: ChangeFacts, directory: CompiledDirectory): void {
  if (f.directory === directory) return;
  f.directory = directory;
  f.domainIdx = domainIndices(directory, f.domains);
  f.requesterRow = rowOfId(directory, f.requester);
  f.preReviewerRow = rowOfId(directory, f.preReviewer);
  f.implementerRow = rowOfId(directory, f.implementer);
  f.implementedByRow = rowOfId(directory, f.implementedBy);
  f.verifierRow = rowOfId(directory, f.verifier);
}

function rowOfId(directory: CompiledDirectory, id: string | undefined): number {
  return id === undefined ? -1 : (directory.index.get(id) ?? -1);
}

/**
 * The actor's directory row (-1: none), resolved once per actor object: it assumes, as every
 * cache here does, that an actor object is a value whose id does not change.
 */
function rowOf(directory: CompiledDirectory, actor: Actor): number {
  let row = directory.byActor.get(actor);
  if (row === undefined) {
    row = directory.index.get(actor.id) ?? -1;
    directory.byActor.set(actor, row);
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Stage progress.

/** How far one stage has come. */
export interface StageStatus {
  readonly id: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly roles: readonly Role[];
  readonly minLevel: AuthorityLevel;
  readonly quorum: Quorum;
  readonly members?: readonly string[] | undefined;
  readonly order: number;
  /** Distinct people needed. */
  readonly needed: number;
  /** The valid approvals counted, one per person. */
  readonly approvals: readonly ApprovalRecord[];
  readonly complete: boolean;
}

/** The approvals a change needs and how far it has come (3.3.3). */
export interface RequiredApprovals {
  /** The authority rule that covers the change; absent when none does. */
  readonly ruleId?: string | undefined;
  readonly risk?: RiskLevel | undefined;
  readonly stages: readonly StageStatus[];
  /** The stages open now: the incomplete ones of the lowest order. */
  readonly openStages: readonly string[];
  readonly complete: boolean;
  /** Why it cannot be complete, when that is the case. */
  readonly violations: readonly Violation[];
  readonly inputs: {
    readonly type: string;
    readonly risk: RiskLevel | undefined;
    readonly domains: readonly string[];
    readonly fingerprint: string;
  };
}

const retrospectiveStates: ReadonlySet<ChangeState> = new Set([
  'approved',
  'implementing',
  'implemented',
  'rolled_back',
  'verified',
  'confirmed',
]);

/**
 * Tells whether a record is a valid approval of the change's current content.
 *
 * @example
 * change.approvals.filter((a) => isValidApproval(a, change));
 */
export function isValidApproval(record: ApprovalRecord, change: ChangeRequest): boolean {
  return (
    record.decision === 'approved' &&
    record.invalidated === undefined &&
    record.fingerprint === contentFingerprint(change)
  );
}

function matches(a: ApprovalRecord, ruleId: string, stageId: string, fp: string): boolean {
  return (
    a.stage === stageId &&
    a.ruleId === ruleId &&
    a.decision === 'approved' &&
    a.invalidated === undefined &&
    a.fingerprint === fp
  );
}

/** Distinct people (principals) with a valid approval of the stage; no allocation. */
function countStage(
  approvals: readonly ApprovalRecord[],
  rule: CompiledRule,
  stage: CompiledStage,
  fp: string,
): number {
  let n = 0;
  for (let i = 0; i < approvals.length; i++) {
    const a = approvals[i]!;
    if (!matches(a, rule.id, stage.id, fp)) continue;
    const who = a.onBehalfOf?.id ?? a.by.id;
    let seen = false;
    for (let j = 0; j < i; j++) {
      const b = approvals[j]!;
      if (matches(b, rule.id, stage.id, fp) && (b.onBehalfOf?.id ?? b.by.id) === who) {
        seen = true;
        break;
      }
    }
    if (!seen) n++;
  }
  return n;
}

/** Fills `counts` and returns the lowest order among incomplete stages (Infinity when done). */
function openOrder(
  change: ChangeRequest,
  rule: CompiledRule,
  counts: number[],
  fp: string,
): number {
  let order = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rule.stages.length; i++) {
    const s = rule.stages[i]!;
    const c = countStage(change.approvals, rule, s, fp);
    counts[i] = c;
    if (c < s.needed && s.order < order) order = s.order;
  }
  return order;
}

/**
 * The approvals a change needs under the policy, stage by stage, with what it already has. Pure;
 * it explains itself: the rule matched, the open stages, and why it cannot complete. A standard
 * change needs none (its template is its approval); a change not yet evaluated has no risk and
 * so no rule yet.
 *
 * @example
 * const req = requiredApprovals(change, policy);
 * req.stages.map((s) => `${s.id}: ${s.approvals.length}/${s.needed}`); // ['ops: 1/1', 'it_head: 0/1']
 */
export function requiredApprovals(
  change: ChangeRequest,
  policy: ChangePolicyLike,
): RequiredApprovals {
  const cp = changePolicyOf(policy);
  const compiled = compiledOf(policy);
  const risk = change.evaluation?.risk.level;
  const inputs = {
    type: change.type,
    risk,
    domains: change.scope.domains,
    fingerprint: contentFingerprint(change),
  };
  if (change.type === 'standard') {
    const found = standardTemplateViolations(change, cp);
    return {
      risk,
      stages: [],
      openStages: [],
      complete: found.length === 0,
      violations: found,
      inputs,
    };
  }
  if (risk === undefined) {
    return {
      risk,
      stages: [],
      openStages: [],
      complete: false,
      violations: [violation(changeRule.evaluationRequired)],
      inputs,
    };
  }
  const rule = ruleFor(cellOf(compiled, change.type, risk), change.scope.domains);
  if (!rule) {
    return {
      risk,
      stages: [],
      openStages: [],
      complete: false,
      violations: [noRuleViolation(change.type, risk, change.scope.domains)],
      inputs,
    };
  }
  const counts: number[] = [];
  const order = openOrder(change, rule, counts, inputs.fingerprint);
  const stages: StageStatus[] = rule.stages.map((s, i) => {
    const seen = new Set<string>();
    const approvals: ApprovalRecord[] = [];
    for (const a of change.approvals) {
      if (a.stage !== s.id || a.ruleId !== rule.id || !isValidApproval(a, change)) continue;
      const who = a.onBehalfOf?.id ?? a.by.id;
      if (seen.has(who)) continue;
      seen.add(who);
      approvals.push(a);
    }
    return {
      id: s.id,
      title: s.source.title,
      roles: s.source.roles,
      minLevel: s.source.minLevel,
      quorum: s.source.quorum,
      members: s.source.members,
      order: s.order,
      needed: s.needed,
      approvals,
      complete: counts[i]! >= s.needed,
    };
  });
  const complete = order === Number.POSITIVE_INFINITY;
  const open = stages.filter((s) => !s.complete && s.order === order).map((s) => s.id);
  return {
    ruleId: rule.id,
    risk,
    stages,
    openStages: open,
    complete,
    violations: complete
      ? []
      : [
          violation(
            changeRule.approvalsIncomplete,
            text(`尚缺审批:${open.join('、')}`, `Approvals still missing: ${open.join(', ')}`),
            { ruleId: rule.id, risk, openStages: open },
          ),
        ],
    inputs,
  };
}

/**
 * Tells whether a standard change matches an approved, active template: the CIs it touches and
 * its window length are within the template.
 *
 * @example
 * standardTemplateViolations(change, policy.change); // [] when it matches
 */
export function standardTemplateViolations(
  change: Pick<ChangeRequest, 'templateId' | 'scope' | 'plan'>,
  policy: ChangePolicy,
): Violation[] {
  const template = policy.standardTemplates.find((t) => t.id === change.templateId);
  if (!template?.active) {
    return [
      violation(
        changeRule.standardTemplate,
        text(
          `没有已批准的标准变更模板 ${change.templateId ?? '(未指定)'}`,
          `No approved standard-change template ${change.templateId ?? '(none given)'}`,
        ),
        { templateId: change.templateId },
      ),
    ];
  }
  const out: Violation[] = [];
  if (template.cis) {
    const outside = change.scope.cis.filter((ci) => !template.cis!.includes(ci));
    if (outside.length > 0) {
      out.push(
        violation(
          changeRule.standardTemplate,
          text(
            `配置项 ${outside.join('、')} 不在模板 ${template.id} 的范围内`,
            `CIs ${outside.join(', ')} are outside template ${template.id}`,
          ),
          { templateId: template.id, outside },
        ),
      );
    }
  }
  const minutes =
    (Date.parse(change.plan.windowEnd) - Date.parse(change.plan.windowStart)) / 60_000;
  if (minutes > template.maxDurationMinutes) {
    out.push(
      violation(
        changeRule.standardTemplate,
        text(
          `实施窗口 ${minutes} 分钟,超过模板允许的 ${template.maxDurationMinutes} 分钟`,
          `The window of ${minutes} minutes exceeds the template's ${template.maxDurationMinutes}`,
        ),
        { templateId: template.id, minutes, max: template.maxDurationMinutes },
      ),
    );
  }
  return out;
}

function noRuleViolation(type: string, risk: RiskLevel, domains: readonly string[]): Violation {
  return violation(
    changeRule.approveNoRule,
    text(
      `审批权限表中没有覆盖 ${type}/${risk}/${domains.join(',')} 的规则`,
      `No authority rule covers ${type}/${risk}/${domains.join(',')}`,
    ),
    { type, risk, domains },
  );
}

// ---------------------------------------------------------------------------------------------
// canApprove: explicit deny, then allow, then default deny.

function no(reason: ApprovalDenyCode): ApprovalDecision {
  return Object.freeze({ allowed: false, reason });
}

/** The fast path's answers for a no: shared, frozen, nothing allocated per decision. */
const denied = {
  state: no('state'),
  no_evaluation: no('no_evaluation'),
  inactive: no('inactive'),
  self: no('self'),
  separation: no('separation'),
  once: no('once'),
  denied: no('denied'),
  no_rule: no('no_rule'),
  complete: no('complete'),
  scope: no('scope'),
  no_authority: no('no_authority'),
} as const satisfies Record<ApprovalDenyCode, ApprovalDecision>;

interface Collector {
  readonly matched: string[];
  readonly violations: Violation[];
  readonly failed: FailedConstraint[];
  openStages: string[];
  first: ApprovalDenyCode | undefined;
}

function isRelaxed(compiled: CompiledAuthority, a: ChangeDuty, b: ChangeDuty): boolean {
  return compiled.relaxed.size > 0 && compiled.relaxed.has(`${a}|${b}`);
}

/**
 * The duties a person holds on a change, other than approving: requester, pre-reviewer,
 * implementer, verifier.
 */
function otherDuties(change: ChangeRequest, personId: string): ChangeDuty[] {
  const out: ChangeDuty[] = [];
  if (change.preReview?.by.id === personId) out.push('pre_reviewer');
  if (change.plan.implementer.id === personId || change.implementation?.by.id === personId) {
    out.push('implementer');
  }
  if (change.verification?.by.id === personId) out.push('verifier');
  return out;
}

function hasApproved(change: ChangeRequest, personId: string, fp: string): boolean {
  for (const a of change.approvals) {
    if (a.stage === 'emergency' || a.decision !== 'approved') continue;
    if (a.invalidated !== undefined || a.fingerprint !== fp) continue;
    if (a.by.id === personId || a.onBehalfOf?.id === personId) return true;
  }
  return false;
}

/**
 * May this actor approve this change now? Pure, and evaluated as the most trusted access
 * systems do: any explicit deny wins (the requester, a leaver, a separation-of-duties conflict,
 * someone who already approved, a deny rule of the policy), then an allow must come from the
 * authority table (a role held in the change's domains, at the stage's level, for an open
 * stage, directly or through a delegation valid at `at`), and what nothing allows is denied.
 * The policy is compiled once and cached, so a decision is a few lookups; the explanation
 * (matched rules, failed constraints, inputs) is built only for a no, or when asked. Actors and
 * changes are values (readonly; every update makes a new object): what a decision needs from a
 * change, and an actor's place in the directory (who they are), are read once per object and
 * reused, so a change or an actor's id edited in place is not seen; pass a new object instead.
 * Status, level and roles are read on every call.
 *
 * @example
 * const d = canApprove(itHead, change, policy, new Date(), { directory });
 * if (!d.allowed) console.log(formatViolations(d.explanation!.violations, 'en'));
 */
export function canApprove(
  actor: Actor,
  change: ChangeRequest,
  policy: ChangePolicyLike,
  at: Date,
  options: CanApproveOptions = {},
): ApprovalDecision {
  const compiled = compiledOf(policy);
  const directory = directoryFor(compiled, options.directory);
  const mode = options.explain ?? 'on_deny';
  if (mode === 'always') return explained(actor, change, compiled, directory, at, options.stage);
  const fast = evaluate(actor, change, compiled, directory, at, options.stage, undefined);
  if (fast.allowed || mode === 'never') return fast;
  return new LazyDenial(fast.reason!, actor, change, contextOf(compiled, directory, at, options));
}

/**
 * What explaining a no needs besides the actor and the change: the compiled policy and
 * directory, the instant and the stage asked for. Calls in a row usually share all four (one
 * portal page, one clock reading), so they share one context and a no stays small. The instant
 * is kept as a number: a caller's `Date` edited later does not change the explanation.
 */
class DenialContext {
  constructor(
    readonly compiled: CompiledAuthority,
    readonly directory: CompiledDirectory,
    readonly atMs: number,
    readonly stage: string | undefined,
  ) {}
}

let lastContext: DenialContext | undefined;

function contextOf(
  compiled: CompiledAuthority,
  directory: CompiledDirectory,
  at: Date,
  options: CanApproveOptions,
): DenialContext {
  const stage = options.stage;
  const atMs = at.getTime();
  const c = lastContext;
  if (
    c?.atMs === atMs &&
    c.directory === directory &&
    c.compiled === compiled &&
    c.stage === stage
  ) {
    return c;
  }
  lastContext = new DenialContext(compiled, directory, atMs, stage);
  return lastContext;
}

/**
 * A no whose explanation is built the first time it is read: the fast path stays fast, and
 * the full story is there for whoever asks. It holds its inputs (the actor, the change, and the
 * context shared with the calls around it) and reads the actor and change when asked, so treat
 * them as values (as the workflow does). Small on purpose: most answers are a no, and every byte of it
 * is allocated on the hot path.
 */
class LazyDenial implements ApprovalDecision {
  // The public fields are assigned in the constructor, not declared as class fields (a
  // declared field is defined, then assigned: two stores); the inputs are private, so a spread
  // or a structured clone of a no carries its answer only.
  declare readonly allowed: false;
  declare readonly reason: ApprovalDenyCode;
  readonly #actor: Actor;
  readonly #change: ChangeRequest;
  readonly #context: DenialContext;

  constructor(
    reason: ApprovalDenyCode,
    actor: Actor,
    change: ChangeRequest,
    context: DenialContext,
  ) {
    this.allowed = false;
    this.reason = reason;
    this.#actor = actor;
    this.#change = change;
    this.#context = context;
  }

  get explanation(): ApprovalExplanation {
    let found = explanations.get(this);
    if (found === undefined) {
      const c = this.#context;
      const at = new Date(c.atMs);
      found = explained(this.#actor, this.#change, c.compiled, c.directory, at, c.stage)
        .explanation!;
      explanations.set(this, found);
    }
    return found;
  }

  toJSON(): ApprovalDecision {
    return { allowed: false, reason: this.reason, explanation: this.explanation };
  }
}

/** Each explanation once built, so that reading it twice gives the same object. */
const explanations = new WeakMap<LazyDenial, ApprovalExplanation>();

function explained(
  actor: Actor,
  change: ChangeRequest,
  compiled: CompiledAuthority,
  directory: CompiledDirectory,
  at: Date,
  stage: string | undefined,
): ApprovalDecision {
  const collect: Collector = {
    matched: [],
    violations: [],
    failed: [],
    openStages: [],
    first: undefined,
  };
  const decision = evaluate(actor, change, compiled, directory, at, stage, collect);
  const person = directory.index.get(actor.id);
  const explanation: ApprovalExplanation = {
    matchedRules: collect.matched,
    violations: collect.violations,
    failed: collect.failed,
    inputs: {
      actor: { id: actor.id, level: actor.level, status: actor.status ?? 'active' },
      assignments: person === undefined ? [] : directory.assignments[directory.rows[person + 2]!]!,
      delegations: (directory.delegationsTo.get(actor.id) ?? []).map((d) => d.source),
      change: {
        id: change.id,
        type: change.type,
        state: change.state,
        risk: change.evaluation?.risk.level,
        domains: change.scope.domains,
        requester: change.requester.id,
      },
      at: at.toISOString(),
      openStages: collect.openStages,
    },
  };
  return { ...decision, explanation };
}

function note(
  collect: Collector,
  code: ApprovalDenyCode,
  v: Violation,
  failed?: FailedConstraint | undefined,
): void {
  collect.first ??= code;
  collect.violations.push(v);
  if (failed) collect.failed.push(failed);
}

/**
 * The one evaluation, run fast (stop at the first deny, allocate nothing on a yes) or
 * collecting (every deny and failed constraint), so both modes always agree.
 */
function evaluate(
  actor: Actor,
  change: ChangeRequest,
  compiled: CompiledAuthority,
  directory: CompiledDirectory,
  at: Date,
  wantedStage: string | undefined,
  collect: Collector | undefined,
): ApprovalDecision {
  const f = factsOf(change);
  // 1. Explicit denies.
  if (!f.open) {
    if (!collect) return denied.state;
    const state = f.state;
    note(
      collect,
      'state',
      violation(
        changeRule.approveState,
        text(`变更状态为 ${state},不在待审批状态`, `The change is ${state}, not awaiting approval`),
        { state },
      ),
      { constraint: 'change.state', expected: 'awaiting_approval', actual: state },
    );
  }
  const status = actor.status;
  if (status !== undefined && status !== 'active') {
    if (!collect) return denied.inactive;
    note(
      collect,
      'inactive',
      violation(
        changeRule.approveInactive,
        text(`${actor.name} 已离职或停用`, `${actor.name} has left or is disabled`),
        { actor: actor.id, status },
      ),
      { constraint: 'actor.status', expected: 'active', actual: status },
    );
  }
  // Who the actor is: by directory row when they have one (rows are one per id), which spares
  // reading the id string, on a random actor one more cache miss than the row lookup.
  underDirectory(f, directory);
  const person = rowOf(directory, actor);
  const requester = f.requester;
  if (person >= 0 ? person === f.requesterRow : actor.id === requester) {
    if (!collect) return denied.self;
    note(
      collect,
      'self',
      violation(changeRule.approveSelf, undefined, { actor: actor.id, requester }),
      {
        constraint: 'separation.requester',
        expected: `≠ ${requester}`,
        actual: actor.id,
      },
    );
  }
  // Separation of duties: the approver is not the pre-reviewer, implementer or verifier.
  if (
    person >= 0
      ? person === f.preReviewerRow ||
        person === f.implementerRow ||
        person === f.implementedByRow ||
        person === f.verifierRow
      : f.implementer === actor.id ||
        f.preReviewer === actor.id ||
        f.implementedBy === actor.id ||
        f.verifier === actor.id
  ) {
    for (const duty of otherDuties(change, actor.id)) {
      if (isRelaxed(compiled, 'approver', duty)) continue;
      if (!collect) return denied.separation;
      note(
        collect,
        'separation',
        violation(
          changeRule.approveSeparation,
          text(
            `${actor.name} 在此变更中担任${dutyTitle[duty].zh},不能同时审批`,
            `${actor.name} is the ${dutyTitle[duty].en} of this change and may not approve it`,
          ),
          { actor: actor.id, duty },
        ),
        { constraint: `separation.${duty}`, expected: 'another person', actual: actor.id },
      );
    }
  }
  const hasApprovals = f.hasApprovals;
  const fp = f.fp;
  if (hasApprovals && hasApproved(change, actor.id, fp)) {
    if (!collect) return denied.once;
    note(collect, 'once', violation(changeRule.approveOnce, undefined, { actor: actor.id }), {
      constraint: 'approvals.distinct',
      expected: 'not yet approved',
      actual: actor.id,
    });
  }
  if (f.type === 'standard') {
    if (!collect) return denied.no_rule;
    note(
      collect,
      'no_rule',
      violation(
        changeRule.typeNotApplicable,
        text(
          '标准变更按模板预先批准,无需逐级审批',
          'A standard change is pre-approved by its template',
        ),
      ),
    );
    return finish(collect);
  }
  const risk = f.risk;
  if (risk === undefined) {
    if (!collect) return denied.no_evaluation;
    note(collect, 'no_evaluation', violation(changeRule.evaluationRequired));
    return finish(collect);
  }
  underPolicy(f, change, compiled);
  const cell = f.cell!;
  const domains = f.domains;
  if (cell.denies.length > 0) {
    const actorMask = maskOf(actor.roles);
    for (const d of cell.denies) {
      if (d.domains && !domains.some((x) => d.domains!.has(x))) continue;
      const hit =
        d.ids?.has(actor.id) ||
        (d.roleMask !== 0 && (actorMask & d.roleMask) !== 0) ||
        d.levels?.has(actor.level);
      if (!hit) continue;
      if (!collect) return denied.denied;
      collect.matched.push(d.id);
      note(
        collect,
        'denied',
        violation(
          changeRule.approvePolicyDeny,
          text(`${d.title.zh}(规则 ${d.id})`, `${d.title.en} (rule ${d.id})`),
          { denyRule: d.id, actor: actor.id },
        ),
      );
    }
  }

  // 2. Allow: the authority table.
  const rule = f.rule;
  if (!rule) {
    if (!collect) return denied.no_rule;
    note(collect, 'no_rule', noRuleViolation(change.type, risk, domains));
    return finish(collect);
  }
  if (collect) collect.matched.unshift(rule.id);
  const stages = rule.stages;
  const counts = f.counts;
  const order = f.order;
  if (counts !== undefined && order === Number.POSITIVE_INFINITY) {
    if (!collect) return denied.complete;
    note(
      collect,
      'complete',
      violation(
        changeRule.approveState,
        text('所需审批已全部完成', 'Every required approval is already given'),
      ),
    );
    return finish(collect);
  }
  const domainIdx = f.domainIdx;
  const held = rolesIn(directory, person, domainIdx);
  const rank = rankOf(actor.level);
  let scopeMiss = false;
  let allowFound = false;
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i]!;
    if (s.order !== order || (counts !== undefined && counts[i]! >= s.needed)) continue;
    if (collect) collect.openStages.push(s.id);
    if (wantedStage !== undefined && s.id !== wantedStage) continue;
    const roleOk = (held & s.roleMask) !== 0;
    const levelOk = rank >= s.minRank;
    const memberOk = s.members === undefined || s.members.has(actor.id);
    if (roleOk && levelOk && memberOk) {
      if (!collect || collect.violations.length === 0) return s.allow;
      allowFound = true;
      continue;
    }
    if (!roleOk && person >= 0 && (directory.rows[person + 1]! & s.roleMask) !== 0)
      scopeMiss = true;
    if (collect) {
      if (!roleOk) {
        collect.failed.push({
          constraint: `stage.${s.id}.role`,
          expected: { roles: s.source.roles, domains },
          actual: (person >= 0 ? directory.assignments[directory.rows[person + 2]!]! : []).map(
            (a) => `${a.role}@${a.domain}`,
          ),
        });
      }
      if (!levelOk) {
        collect.failed.push({
          constraint: `stage.${s.id}.level`,
          expected: s.source.minLevel,
          actual: actor.level,
        });
      }
      if (!memberOk) {
        collect.failed.push({
          constraint: `stage.${s.id}.members`,
          expected: s.source.members,
          actual: actor.id,
        });
      }
    }
  }
  // Delegations to this actor, valid now; never transitive (only the delegator's own grants).
  const delegations =
    directory.delegationsTo.size > 0 ? directory.delegationsTo.get(actor.id) : undefined;
  if (delegations) {
    const atMs = at.getTime();
    for (const d of delegations) {
      const found = tryDelegation(
        d,
        actor,
        change,
        compiled,
        directory,
        rule,
        counts,
        order,
        rank,
        atMs,
        wantedStage,
        fp,
        domainIdx,
        collect,
      );
      if (found) {
        if (!collect || collect.violations.length === 0) return found;
        allowFound = true;
      }
    }
  }
  // An allow under an explicit deny is still a no; only without any allow is it the default deny.
  if (allowFound) return finish(collect!);
  if (!collect) return scopeMiss ? denied.scope : denied.no_authority;
  const code: ApprovalDenyCode = scopeMiss ? 'scope' : 'no_authority';
  const open = stages.filter((s) => s.order === order);
  note(
    collect,
    code,
    scopeMiss
      ? violation(
          changeRule.approveScope,
          text(
            `${actor.name} 在业务领域 ${domains.join('、')} 没有当前阶段所需的角色`,
            `${actor.name} holds the role the open stage needs, but not in domain ${domains.join(', ')}`,
          ),
          { actor: actor.id, domains },
        )
      : violation(
          changeRule.approveNoAuthority,
          text(
            `${actor.name} 无权审批当前阶段(${open.map((s) => s.source.title.zh).join('、')})`,
            `${actor.name} may not approve the open stage (${open.map((s) => s.source.title.en).join(', ')})`,
          ),
          { actor: actor.id, ruleId: rule.id },
        ),
  );
  return finish(collect);
}

function finish(collect: Collector): ApprovalDecision {
  return { allowed: false, reason: collect.first ?? 'no_authority' };
}

function tryDelegation(
  d: CompiledDelegation,
  actor: Actor,
  change: ChangeRequest,
  compiled: CompiledAuthority,
  directory: CompiledDirectory,
  rule: CompiledRule,
  counts: number[] | undefined,
  order: number,
  rank: number,
  atMs: number,
  wantedStage: string | undefined,
  fp: string,
  domainIdx: Int32Array,
  collect: Collector | undefined,
): ApprovalDecision | undefined {
  const id = d.source.id;
  const from = d.source.from;
  const fail = (constraint: string, expected: unknown, actual: unknown, v?: Violation) => {
    if (!collect) return undefined;
    collect.failed.push({ constraint: `delegation.${id}.${constraint}`, expected, actual });
    if (v) collect.violations.push(v);
    return undefined;
  };
  if (atMs < d.startMs || atMs >= d.endMs) {
    return fail(
      'window',
      { start: d.source.start, end: d.source.end },
      new Date(atMs).toISOString(),
    );
  }
  const domains = change.scope.domains;
  if (d.domains && !domains.every((x) => d.domains!.has(x))) {
    return fail('domains', d.source.domains, domains);
  }
  if (from === change.requester.id) {
    return fail(
      'delegator_requested',
      `≠ ${change.requester.id}`,
      from,
      violation(
        changeRule.approveDelegation,
        text(
          `委托人 ${from} 是此变更的申请人,受托人不得代其审批`,
          `The delegator ${from} requested this change; the delegate may not approve it for them`,
        ),
        { delegation: id, delegator: from },
      ),
    );
  }
  if (change.approvals.length > 0 && hasApproved(change, from, fp)) {
    return fail('delegator_approved', 'not yet approved', from);
  }
  for (const duty of otherDuties(change, from)) {
    if (!isRelaxed(compiled, 'approver', duty)) {
      return fail(`separation.${duty}`, 'another person', from);
    }
  }
  const held = rolesIn(directory, directory.index.get(from) ?? -1, domainIdx);
  for (let i = 0; i < rule.stages.length; i++) {
    const s = rule.stages[i]!;
    if (s.order !== order || (counts !== undefined && counts[i]! >= s.needed)) continue;
    if (wantedStage !== undefined && s.id !== wantedStage) continue;
    if ((held & s.roleMask) === 0) {
      fail(`stage.${s.id}.delegator_role`, s.source.roles, from);
      continue;
    }
    if (rank < s.minRank) {
      fail(`stage.${s.id}.delegate_level`, s.source.minLevel, actor.level);
      continue;
    }
    if (s.members && !s.members.has(from)) {
      fail(`stage.${s.id}.members`, s.source.members, from);
      continue;
    }
    return { allowed: true, stage: s.id, ruleId: rule.id, onBehalfOf: from, delegationId: id };
  }
  return undefined;
}

const dutyTitle: Readonly<Record<ChangeDuty, { zh: string; en: string }>> = {
  requester: { zh: '申请人', en: 'requester' },
  pre_reviewer: { zh: '预审人', en: 'pre-reviewer' },
  approver: { zh: '审批人', en: 'approver' },
  implementer: { zh: '实施人', en: 'implementer' },
  verifier: { zh: '验证人', en: 'verifier' },
};

/**
 * The bilingual name of a duty.
 *
 * @example
 * dutyName('verifier').zh; // '验证人'
 */
export function dutyName(duty: ChangeDuty): { readonly zh: string; readonly en: string } {
  return dutyTitle[duty];
}

/**
 * Tells whether the policy lets one person hold both duties (never requester and approver).
 *
 * @example
 * dutiesMayCoincide(policy.change, 'implementer', 'verifier'); // false by default
 */
export function dutiesMayCoincide(policy: ChangePolicyLike, a: ChangeDuty, b: ChangeDuty): boolean {
  if ((a === 'requester' && b === 'approver') || (a === 'approver' && b === 'requester')) {
    return false;
  }
  return isRelaxed(compiledOf(policy), a, b);
}
