import type { ValidationIssue } from '../core/errors.js';
import { text } from '../core/text.js';
import type { AuditSnapshot } from './model.js';
import type { SecurityParameters } from './parameters.js';
import { scratchBuffer } from './scratch.js';
import { INVALID, type TimeReader, timeReader } from './time.js';

/** Account types as stored in `accType`. */
export const PERSONAL = 0;
export const SHARED = 1;
export const SERVICE = 2;
export const DEFAULT = 3;

/** A three-valued boolean column: false, true, or absent from the snapshot. */
export const NO = 0;
export const YES = 1;
export const ABSENT = 2;

/** `grantRole` of a permission granted straight to the account. */
export const DIRECT = -1;
/** `grantRole` of a wildcard or full-admin permission granted straight to the account. */
export const DIRECT_WILDCARD = -2;

/**
 * Every large column lives in one buffer of scratch memory (see `scratch.ts` for why it is
 * shared memory): one allocation instead of thirty, carved into typed arrays.
 */
class Arena {
  private offset = 0;
  private readonly buffer: ArrayBufferLike;
  constructor(int32s: number, bytes: number, arrays: number) {
    this.buffer = scratchBuffer(int32s * 4 + bytes + arrays * 8);
  }
  i32(n: number): Int32Array {
    this.offset = (this.offset + 3) & ~3;
    const a = new Int32Array(this.buffer, this.offset, n);
    this.offset += n * 4;
    return a;
  }
  u8(n: number): Uint8Array {
    const a = new Uint8Array(this.buffer, this.offset, n);
    this.offset += n;
    return a;
  }
}

/**
 * A string id → row index table: open addressing over an `Int32Array`, keyed by an FNV-1a hash
 * of the id and compared with the row's own id. Off the garbage-collected heap, so a million
 * entries cost one allocation instead of a growing `Map` that the collector must trace.
 *
 * Each slot holds the hash beside the row, and a probe compares hashes before ids: at a
 * million rows every id read is a cache miss (and ids of one length are compared character by
 * character), so a probe that passes another id's slot must not read that id.
 */
export class IdIndex {
  /** Pairs of (hash, row); row -1 marks an empty slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private count = 0;
  constructor(
    private readonly ids: readonly unknown[],
    capacity: number,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(scratchBuffer(size * 8)).fill(-1);
    this.mask = size - 1;
  }

  /** Adds row `row` under `id`; returns the row already there, or -1 when the id is new. */
  add(id: string, row: number): number {
    const { slots, mask } = this;
    const h = hash(id);
    let k = h & mask;
    for (;;) {
      const at = slots[2 * k + 1]!;
      if (at === -1) break;
      if (slots[2 * k] === h && this.ids[at] === id) return at;
      k = (k + 1) & mask;
    }
    slots[2 * k] = h;
    slots[2 * k + 1] = row;
    this.count++;
    return -1;
  }

  /** The row of `id`, or -1. */
  get(id: unknown): number {
    if (typeof id !== 'string') return -1;
    const { slots, mask } = this;
    const h = hash(id);
    let k = h & mask;
    for (;;) {
      const at = slots[2 * k + 1]!;
      if (at === -1 || (slots[2 * k] === h && this.ids[at] === id)) return at;
      k = (k + 1) & mask;
    }
  }

  /** The id of row `row`, as added. */
  idAt(row: number): unknown {
    return this.ids[row];
  }

  has(id: unknown): boolean {
    return this.get(id) !== -1;
  }

  get size(): number {
    return this.count;
  }
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // A signed 32-bit value, as the slots store it.
  return h | 0;
}

/** `accOwner` for an account with no owner. */
export const NO_OWNER = -1;
/** `accOwner` for an account whose owner is not in the people list. */
export const UNKNOWN_OWNER = -2;

const accountKinds: Readonly<Record<string, number>> = {
  personal: PERSONAL,
  shared: SHARED,
  service: SERVICE,
  default: DEFAULT,
};
const adminKindCodes: Readonly<Record<string, number>> = { system: 1, security: 2, audit: 4 };
const departmentKindCodes: Readonly<Record<string, number>> = { it: 1, business: 2, other: 3 };

/**
 * The snapshot as columns: dictionary-encoded ids, typed arrays, and every account grouped by
 * its owner (and every grant by its account), so one pass over a person's rows is sequential
 * in memory. Times are minutes since the epoch (see `time.ts`). Built once per audit, in time
 * linear in the snapshot.
 */
export interface AuditColumns {
  readonly snapshot: AuditSnapshot;
  readonly personCount: number;
  readonly personLeft: Uint8Array;
  readonly personLeftAt: Int32Array;
  /** 0 unknown, 1 it, 2 business, 3 other. */
  readonly personKind: Uint8Array;
  readonly accountCount: number;
  /** Position (owner-grouped) → index in `snapshot.accounts`. */
  readonly accOrder: Int32Array;
  /** Person index → first position of their accounts; `[personCount]` starts the unowned. */
  readonly ownerStart: Int32Array;
  readonly accOwner: Int32Array;
  readonly accType: Uint8Array;
  readonly accEnabled: Uint8Array;
  readonly accMfa: Uint8Array;
  readonly accInteractive: Uint8Array;
  readonly accDedicated: Uint8Array;
  readonly accCreated: Int32Array;
  readonly accLastLogin: Int32Array;
  readonly accPassword: Int32Array;
  readonly accExpires: Int32Array;
  /** Account position → first position of its grants. */
  readonly grantStart: Int32Array;
  /** Grant position → index in `snapshot.grants`. */
  readonly grantOrder: Int32Array;
  /** Role index; `DIRECT` or `DIRECT_WILDCARD` for a permission granted directly. */
  readonly grantRole: Int32Array;
  readonly grantLastUsed: Int32Array;
  readonly grantExpires: Int32Array;
  readonly roleCount: number;
  readonly rolePrivileged: Uint8Array;
  /** Bit mask: 1 system, 2 security, 4 audit administrator. */
  readonly roleAdmin: Uint8Array;
  readonly roleWildcard: Uint8Array;
  /** Role index → first entry in `sodByRole`. */
  readonly sodStart: Int32Array;
  readonly sodByRole: Int32Array;
  readonly sodSize: Int32Array;
  /**
   * The systems the accounts name, each once, in the order first named; collected only when
   * the snapshot lists systems (the access-review check is the reader), else empty.
   */
  readonly accountSystems: ReadonlySet<unknown>;
  /** Account id → index in `snapshot.accounts`. */
  readonly accountIndex: IdIndex;
  readonly personIndex: IdIndex;
  readonly reader: TimeReader;
}

/** How many validation issues are collected before the build gives up. */
export const maxIssues = 100;

/**
 * Builds the columnar layout, checking every field it reads and every reference between
 * records; the issues name the record (`grants.1234.account`). On the fast path (no zod) this
 * is the only validation, so it never trusts a type it reads.
 *
 * @example
 * const built = buildColumns(snapshot, parameters);
 * if (built.issues.length === 0) runChecks(built.columns, ...);
 */
export function buildColumns(
  snapshot: AuditSnapshot,
  parameters: Pick<SecurityParameters, 'zone' | 'fullAdminPermissions'>,
): { columns: AuditColumns; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const issue = (path: string, code: string, zh: string, en: string) => {
    if (issues.length < maxIssues) issues.push({ path, code, message: text(zh, en) });
  };
  const reader = timeReader(parameters.zone);
  const read = reader.read;
  // The path is built only for a bad value: building it per field would allocate per record.
  const badTime = (section: string, i: number, field: string): void =>
    issue(`${section}.${i}.${field}`, 'invalid_format', '时间格式无效', 'Invalid date or time');
  const people = asArray(snapshot.people, 'people', issue);
  const accounts = asArray(snapshot.accounts, 'accounts', issue);
  const roles = asArray(snapshot.roles, 'roles', issue);
  const grants = asArray(snapshot.grants, 'grants', issue);
  const sodRules = asArray(snapshot.sodRules, 'sodRules', issue);

  const personCount = people.length;
  const accountCount = accounts.length;
  const grantCount = grants.length;
  const arena = new Arena(
    personCount * 3 + 5 + accountCount * 11 + 1 + grantCount * 5,
    personCount * 2 + accountCount * 5,
    32,
  );

  // People.
  // The id columns let the indexes compare ids without touching the records again.
  const personIds: unknown[] = new Array(personCount);
  const personIndex = new IdIndex(personIds, personCount);
  const personLeft = arena.u8(personCount);
  const personLeftAt = arena.i32(personCount);
  const personKind = arena.u8(personCount);
  for (let i = 0; i < personCount; i++) {
    const p = record(people[i]);
    const pid = p.id;
    if (typeof pid !== 'string' || pid === '') {
      issue(`people.${i}.id`, 'invalid_type', '人员编号必填', 'Person id is required');
      continue;
    }
    personIds[i] = pid;
    if (personIndex.add(pid, i) !== -1) {
      issue(`people.${i}.id`, 'duplicate', '人员编号重复', 'Duplicate person id');
    }
    personLeftAt[i] = read(p.leftAt);
    if (personLeftAt[i] === INVALID) badTime('people', i, 'leftAt');
    personLeft[i] = p.status === 'left' ? 1 : 0;
    personKind[i] = departmentKindCodes[p.departmentKind as string] ?? 0;
  }

  // Roles and separation-of-duty rules.
  const roleCount = roles.length;
  const roleIndex = new Map<string, number>();
  const rolePrivileged = new Uint8Array(roleCount);
  const roleAdmin = new Uint8Array(roleCount);
  const roleWildcard = new Uint8Array(roleCount);
  const fullAdmin = new Set(parameters.fullAdminPermissions);
  for (let i = 0; i < roleCount; i++) {
    const r = record(roles[i]);
    if (typeof r.id !== 'string' || r.id === '') {
      issue(`roles.${i}.id`, 'invalid_type', '角色编号必填', 'Role id is required');
      continue;
    }
    if (roleIndex.has(r.id))
      issue(`roles.${i}.id`, 'duplicate', '角色编号重复', 'Duplicate role id');
    roleIndex.set(r.id, i);
    rolePrivileged[i] = r.privileged === true ? 1 : 0;
    roleAdmin[i] = adminKindCodes[r.adminKind as string] ?? 0;
    if (Array.isArray(r.permissions)) {
      for (const perm of r.permissions) {
        if (typeof perm === 'string' && isWildcard(perm, fullAdmin)) roleWildcard[i] = 1;
      }
    }
  }
  const sodSize = new Int32Array(sodRules.length);
  const sodCount = new Int32Array(roleCount + 1);
  const sodRoles: number[][] = [];
  for (let k = 0; k < sodRules.length; k++) {
    const rule = record(sodRules[k]);
    const list = Array.isArray(rule.roles) ? rule.roles : [];
    const seen = new Set<number>();
    list.forEach((roleId, j) => {
      const ri = roleIndex.get(roleId as string);
      if (ri === undefined) {
        issue(`sodRules.${k}.roles.${j}`, 'unknown_reference', '角色不存在', 'Unknown role');
        return;
      }
      seen.add(ri);
    });
    sodRoles.push([...seen]);
    sodSize[k] = seen.size;
    for (const ri of seen) sodCount[ri + 1]!++;
  }
  for (let i = 0; i < roleCount; i++) sodCount[i + 1]! += sodCount[i]!;
  const sodStart = sodCount.slice();
  const sodByRole = new Int32Array(sodStart[roleCount]!);
  const sodCursor = sodStart.slice(0, roleCount);
  sodRoles.forEach((list, k) => {
    for (const ri of list) sodByRole[sodCursor[ri]!++] = k;
  });

  // Accounts, grouped by owner: a counting sort on the owner's index.
  const accountIds: unknown[] = new Array(accountCount);
  const accountIndex = new IdIndex(accountIds, accountCount);
  const ownerOf = arena.i32(accountCount);
  const ownerStart = arena.i32(personCount + 2);
  const accountSystems = new Set<unknown>();
  const collectSystems = snapshot.systems !== undefined;
  for (let i = 0; i < accountCount; i++) {
    const a = record(accounts[i]);
    if (collectSystems) accountSystems.add(a.system);
    const aid = a.id;
    if (typeof aid !== 'string' || aid === '') {
      issue(`accounts.${i}.id`, 'invalid_type', '账号编号必填', 'Account id is required');
    } else {
      accountIds[i] = aid;
      if (accountIndex.add(aid, i) !== -1) {
        issue(`accounts.${i}.id`, 'duplicate', '账号编号重复', 'Duplicate account id');
      }
    }
    const owner = a.owner;
    let o: number;
    if (owner === undefined || owner === null || owner === '') o = NO_OWNER;
    else {
      o = personIndex.get(owner);
      if (o === -1) o = UNKNOWN_OWNER;
    }
    ownerOf[i] = o;
    ownerStart[(o < 0 ? personCount : o) + 1]!++;
  }
  for (let p = 0; p <= personCount; p++) ownerStart[p + 1]! += ownerStart[p]!;
  const rankOf = arena.i32(accountCount);
  const accOrder = arena.i32(accountCount);
  {
    const cursor = arena.i32(personCount + 1);
    cursor.set(ownerStart.subarray(0, personCount + 1));
    for (let i = 0; i < accountCount; i++) {
      const o = ownerOf[i]!;
      const r = cursor[o < 0 ? personCount : o]!++;
      rankOf[i] = r;
      accOrder[r] = i;
    }
  }
  const accOwner = arena.i32(accountCount);
  const accType = arena.u8(accountCount);
  const accEnabled = arena.u8(accountCount);
  const accMfa = arena.u8(accountCount);
  const accInteractive = arena.u8(accountCount);
  const accDedicated = arena.u8(accountCount);
  const accCreated = arena.i32(accountCount);
  const accLastLogin = arena.i32(accountCount);
  const accPassword = arena.i32(accountCount);
  const accExpires = arena.i32(accountCount);
  // In input order, writing each account's row at its rank: the records are read one after
  // another, and only the small columns are written out of order. Reading the records in rank
  // order instead chased them across the caller's heap (a cache miss each, at a million).
  for (let i = 0; i < accountCount; i++) {
    const r = rankOf[i]!;
    const a = record(accounts[i]);
    accOwner[r] = ownerOf[i]!;
    const kind = accountKinds[a.type as string];
    if (kind === undefined)
      issue(`accounts.${i}.type`, 'invalid_value', '账号类型无效', 'Invalid account type');
    accType[r] = kind ?? PERSONAL;
    if (typeof a.enabled !== 'boolean') {
      issue(`accounts.${i}.enabled`, 'invalid_type', '应为布尔值', 'Expected a boolean');
    }
    accEnabled[r] = a.enabled === false ? 0 : 1;
    accMfa[r] = tri(a.mfa);
    accInteractive[r] = tri(a.interactiveLogin);
    accDedicated[r] = tri(a.dedicatedAdmin);
    accCreated[r] = read(a.createdAt);
    if (accCreated[r] === INVALID) badTime('accounts', i, 'createdAt');
    accLastLogin[r] = read(a.lastLoginAt);
    if (accLastLogin[r] === INVALID) badTime('accounts', i, 'lastLoginAt');
    accPassword[r] = read(a.passwordChangedAt);
    if (accPassword[r] === INVALID) badTime('accounts', i, 'passwordChangedAt');
    accExpires[r] = read(a.expiresAt);
    if (accExpires[r] === INVALID) badTime('accounts', i, 'expiresAt');
  }

  // Grants, grouped by account position (so by owner too): another counting sort.
  const grantStart = arena.i32(accountCount + 1);
  const grantRank = arena.i32(grantCount);
  let lastKey: unknown;
  let lastAccount = -1;
  for (let g = 0; g < grantCount; g++) {
    // Exports usually list an account's grants together: reuse the last lookup when the id
    // repeats, which spares most probes of the index (and their cache misses).
    const key = record(grants[g]).account;
    let a: number;
    if (key === lastKey && typeof key === 'string') a = lastAccount;
    else {
      a = accountIndex.get(key);
      lastKey = key;
      lastAccount = a;
    }
    if (a === -1) {
      issue(`grants.${g}.account`, 'unknown_reference', '账号不存在', 'Unknown account');
      grantRank[g] = -1;
      continue;
    }
    const r = rankOf[a]!;
    grantRank[g] = r;
    grantStart[r + 1]!++;
  }
  for (let r = 0; r < accountCount; r++) grantStart[r + 1]! += grantStart[r]!;
  const placed = grantStart[accountCount]!;
  const grantOrder = arena.i32(placed);
  const grantRole = arena.i32(placed);
  const grantLastUsed = arena.i32(placed);
  const grantExpires = arena.i32(placed);
  {
    const cursor = arena.i32(accountCount);
    cursor.set(grantStart.subarray(0, accountCount));
    for (let g = 0; g < grantCount; g++) {
      const r = grantRank[g]!;
      if (r < 0) continue;
      const pos = cursor[r]!++;
      const grant = record(grants[g]);
      grantOrder[pos] = g;
      if (grant.role !== undefined) {
        const ri = roleIndex.get(grant.role as string);
        if (ri === undefined) {
          issue(`grants.${g}.role`, 'unknown_reference', '角色不存在', 'Unknown role');
        }
        grantRole[pos] = ri ?? DIRECT;
      } else if (typeof grant.permission === 'string') {
        grantRole[pos] = isWildcard(grant.permission, fullAdmin) ? DIRECT_WILDCARD : DIRECT;
      } else {
        issue(
          `grants.${g}.role`,
          'custom',
          '授权须指定角色或权限之一',
          'A grant names either a role or a permission',
        );
        grantRole[pos] = DIRECT;
      }
      grantLastUsed[pos] = read(grant.lastUsedAt);
      if (grantLastUsed[pos] === INVALID) badTime('grants', g, 'lastUsedAt');
      grantExpires[pos] = read(grant.expiresAt);
      if (grantExpires[pos] === INVALID) badTime('grants', g, 'expiresAt');
    }
  }

  return {
    issues,
    columns: {
      snapshot,
      personCount,
      personLeft,
      personLeftAt,
      personKind,
      accountCount,
      accOrder,
      ownerStart,
      accOwner,
      accType,
      accEnabled,
      accMfa,
      accInteractive,
      accDedicated,
      accCreated,
      accLastLogin,
      accPassword,
      accExpires,
      grantStart,
      grantOrder,
      grantRole,
      grantLastUsed,
      grantExpires,
      roleCount,
      rolePrivileged,
      roleAdmin,
      roleWildcard,
      sodStart,
      sodByRole,
      sodSize,
      accountSystems,
      accountIndex,
      personIndex,
      reader,
    },
  };
}

function tri(value: unknown): number {
  return value === true ? YES : value === false ? NO : ABSENT;
}

const empty: Record<string, unknown> = {};

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : empty;
}

function isWildcard(permission: string, fullAdmin: ReadonlySet<string>): boolean {
  return permission.endsWith('*') || fullAdmin.has(permission);
}

function asArray(
  value: unknown,
  path: string,
  issue: (path: string, code: string, zh: string, en: string) => void,
): readonly unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  issue(path, 'invalid_type', '应为数组', 'Expected an array');
  return [];
}
