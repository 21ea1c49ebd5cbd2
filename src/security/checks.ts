import type { ClauseId } from '../core/clauses.js';
import { type LocalizedText, text } from '../core/text.js';
import {
  ABSENT,
  type AuditColumns,
  DEFAULT,
  DIRECT_WILDCARD,
  NO_OWNER,
  PERSONAL,
  SERVICE,
  SHARED,
  UNKNOWN_OWNER,
  YES,
} from './columns.js';
import type { SecurityParameters } from './parameters.js';
import type { AuditFinding } from './report.js';
import { type SecurityCheck, type SubjectKind, securityCheckList } from './rules.js';
import { type DayCutoffs, INVALID, isTime, MISSING, minutesToIso, NEVER } from './time.js';

/** Index of each check in `securityCheckList`, for the counters. */
const at = (id: string) => securityCheckList.findIndex((c) => c.id === id);
const C = {
  leaverAccess: at('security.leaver.active_access'),
  leaverUsed: at('security.leaver.used_after_leave'),
  dormant: at('security.dormant.no_login'),
  neverUsed: at('security.dormant.never_used'),
  temporaryExpired: at('security.dormant.temporary_expired'),
  orphanNoOwner: at('security.orphan.no_owner'),
  orphanUnknownOwner: at('security.orphan.unknown_owner'),
  shared: at('security.account.shared_enabled'),
  defaultAccount: at('security.account.default_enabled'),
  serviceInteractive: at('security.account.service_interactive'),
  privilegedNoMfa: at('security.privileged.no_mfa'),
  privilegedDailyUse: at('security.privileged.daily_use'),
  privilegedStanding: at('security.privileged.standing'),
  privilegedUnused: at('security.privileged.unused'),
  grantUnused: at('security.least_privilege.unused_grant'),
  wildcard: at('security.least_privilege.wildcard'),
  directPermission: at('security.least_privilege.direct_permission'),
  credentialRotation: at('security.credential.rotation'),
  credentialMultiple: at('security.credential.multiple_active'),
  credentialUnused: at('security.credential.unused'),
  sod: at('security.sod.conflict'),
  threeAdmin: at('security.sod.three_admin'),
  passwordAge: at('security.password.max_age'),
  passwordInitial: at('security.password.initial'),
  reviewOverdue: at('security.review.overdue'),
  patchOverdue: at('security.patch.overdue'),
  scanOverdue: at('security.vulnerability.scan_overdue'),
  vulnerabilityOverdue: at('security.vulnerability.remediation_overdue'),
  backupRpo: at('security.backup.rpo'),
  backupFailures: at('security.backup.consecutive_failures'),
  restoreTest: at('security.backup.restore_test'),
  encryptionAtRest: at('security.encryption.at_rest'),
  encryptionInTransit: at('security.encryption.in_transit'),
  policyReview: at('security.policy.review_overdue'),
  training: at('security.training.overdue'),
} as const;

/** An active waiver as the collector looks it up. */
export interface ActiveWaiver {
  readonly id: string;
  readonly expiresAt: string;
}

/**
 * Counts every subject's status per check and keeps the findings, per check in iteration order
 * (so the report needs no sort). A failing subject with an active waiver becomes `waived`.
 */
export class Collector {
  /** Per check: pass, fail, waived, insufficient data. */
  readonly counts = new Int32Array(securityCheckList.length * 4);
  readonly failed: AuditFinding[][] = securityCheckList.map(() => []);
  readonly waived: AuditFinding[][] = securityCheckList.map(() => []);
  readonly missing: AuditFinding[][] = securityCheckList.map(() => []);
  readonly appliedWaivers = new Set<string>();

  constructor(private readonly waivers: ReadonlyMap<string, ActiveWaiver>) {}

  pass(check: number): void {
    this.counts[check * 4]!++;
  }

  fail(
    check: number,
    kind: SubjectKind,
    subject: string,
    message: LocalizedText,
    details: Readonly<Record<string, unknown>>,
  ): void {
    const rule = securityCheckList[check]!;
    const key = `${rule.id}|${subject}`;
    const waiver = this.waivers.size === 0 ? undefined : this.waivers.get(key);
    if (waiver) {
      this.counts[check * 4 + 2]!++;
      this.appliedWaivers.add(waiver.id);
      this.waived[check]!.push(
        finding(rule, key, 'waived', kind, subject, message, details, waiver, undefined),
      );
      return;
    }
    this.counts[check * 4 + 1]!++;
    this.failed[check]!.push(
      finding(rule, key, 'fail', kind, subject, message, details, undefined, undefined),
    );
  }

  lacks(check: number, kind: SubjectKind, subject: string, missing: readonly string[]): void {
    const rule = securityCheckList[check]!;
    this.counts[check * 4 + 3]!++;
    const what = missing.join(', ');
    this.missing[check]!.push(
      finding(
        rule,
        `${rule.id}|${subject}`,
        'insufficient_data',
        kind,
        subject,
        text(`${subject}:缺少 ${what},无法判断`, `${subject}: ${what} missing, cannot tell`),
        {},
        undefined,
        missing,
      ),
    );
  }
}

function finding(
  rule: SecurityCheck,
  key: string,
  status: AuditFinding['status'],
  kind: SubjectKind,
  id: string,
  message: LocalizedText,
  details: Readonly<Record<string, unknown>>,
  waiver: ActiveWaiver | undefined,
  missing: readonly string[] | undefined,
): AuditFinding {
  const f: { -readonly [K in keyof AuditFinding]: AuditFinding[K] } = {
    key,
    ruleId: rule.id,
    clause: rule.clauses[0] as ClauseId,
    severity: rule.severity,
    status,
    subject: { kind, id },
    message,
    remediation: rule.remediation,
    details,
  };
  if (waiver) f.waiver = { id: waiver.id, expiresAt: waiver.expiresAt };
  if (missing) f.missing = missing;
  return f;
}

/** Snapshot records as the checks read them for messages (already validated or read). */
type Rec = Record<string, unknown>;

const iso = (m: number) => minutesToIso(m) ?? 'never';
const grantSubject = (g: Rec) =>
  (g.id as string | undefined) ?? `${g.account as string}/${(g.role ?? g.permission) as string}`;

/**
 * Runs the account, grant and separation-of-duty checks in one pass over the people, each
 * person's accounts and each account's grants: linear in the snapshot, sequential in memory.
 *
 * @example
 * runAccountChecks(columns, parameters, cutoffs, collector);
 */
export function runAccountChecks(
  col: AuditColumns,
  p: SecurityParameters,
  cut: DayCutoffs,
  out: Collector,
  runSod: boolean,
  runThreeAdmin: boolean,
  issue: (path: string) => void,
): void {
  const accounts = col.snapshot.accounts as unknown as readonly Rec[];
  const grants = (col.snapshot.grants ?? []) as unknown as readonly Rec[];
  const people = col.snapshot.people as unknown as readonly Rec[];
  const sodRules = (col.snapshot.sodRules ?? []) as unknown as readonly Rec[];
  const now = cut.atMinutes;
  const dormantCut = cut.olderThan(p.dormantDays);
  const privUnusedCut = cut.olderThan(p.privilegedUnusedDays);
  const grantUnusedCut = cut.olderThan(p.grantUnusedDays);
  const passwordCut = p.passwordMaxAgeDays === null ? 0 : cut.olderThan(p.passwordMaxAgeDays);
  const checkPassword = p.passwordMaxAgeDays !== null;
  // A leaver is past the grace period when the leave day is at least `grace` days before today.
  const graceCut = cut.olderThan(p.leaverGraceDays - 1);
  const {
    ownerStart,
    accOrder,
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
    rolePrivileged,
    roleAdmin,
    roleWildcard,
    sodStart,
    sodByRole,
    sodSize,
    personLeft,
    personLeftAt,
    personCount,
  } = col;
  const accountIndex = col.accountIndex;
  const accountAt = (r: number): Rec => accounts[accOrder[r]!]!;
  // Scratch state for the per-person separation-of-duty pass, reset by stamping.
  const roleStamp = new Int32Array(col.roleCount).fill(-1);
  const ruleStamp = new Int32Array(sodSize.length).fill(-1);
  const ruleHits = new Int32Array(sodSize.length);
  const held: number[] = [];
  let stamp = 0;

  const evaluateSod = (kind: SubjectKind, subject: string, adminMask: number) => {
    if (runThreeAdmin) {
      if ((adminMask & (adminMask - 1)) !== 0) {
        const kinds = ['system', 'security', 'audit'].filter((_, b) => adminMask & (1 << b));
        const zh = ['系统', '安全', '审计'].filter((_, b) => adminMask & (1 << b));
        out.fail(
          C.threeAdmin,
          kind,
          subject,
          text(
            `${subject} 同时担任${zh.join('、')}管理员`,
            `${subject} is ${kinds.join(' and ')} administrator at once`,
          ),
          { adminKinds: kinds },
        );
      } else out.pass(C.threeAdmin);
    }
    if (!runSod) return;
    let conflicts = 0;
    for (let h = 0; h < held.length; h++) {
      const role = held[h]!;
      for (let s = sodStart[role]!; s < sodStart[role + 1]!; s++) {
        const k = sodByRole[s]!;
        if (ruleStamp[k] !== stamp) {
          ruleStamp[k] = stamp;
          ruleHits[k] = 0;
        }
        ruleHits[k] = ruleHits[k]! + 1;
        if (ruleHits[k] === sodSize[k]) {
          conflicts++;
          const rule = sodRules[k]!;
          const ruleRoles = rule.roles as readonly string[];
          out.fail(
            C.sod,
            kind,
            `${subject}/${rule.id as string}`,
            text(
              `${subject} 同时持有不相容角色 ${ruleRoles.join(' + ')}(规则 ${rule.id as string})`,
              `${subject} holds the incompatible roles ${ruleRoles.join(' + ')} (rule ${rule.id as string})`,
            ),
            { person: subject, sodRule: rule.id, roles: ruleRoles },
          );
        }
      }
    }
    if (conflicts === 0) out.pass(C.sod);
  };

  const groups = personCount + 1;
  for (let person = 0; person < groups; person++) {
    const owned = person < personCount;
    const from = ownerStart[person]!;
    const to = ownerStart[person + 1]!;
    if (from === to) {
      if (owned) {
        if (runThreeAdmin) out.pass(C.threeAdmin);
        if (runSod) out.pass(C.sod);
      }
      continue;
    }
    let left = false;
    let leftAt = MISSING;
    if (owned) {
      leftAt = personLeftAt[person]!;
      left = personLeft[person] === 1 || (isTime(leftAt) && leftAt <= now);
    }
    stamp++;
    held.length = 0;
    let adminMask = 0;
    for (let r = from; r < to; r++) {
      // Ids come from the index and the record is read only for a finding: most accounts (and
      // people) pass every check, and a million scattered records cost more to reach than the
      // checks do.
      const aid = accountIndex.idAt(accOrder[r]!) as string;
      const type = accType[r]!;
      const enabled = accEnabled[r] === 1;
      const lastLogin = accLastLogin[r]!;
      // Grants: the account's rows are contiguous.
      let activeGrants = 0;
      let privileged = false;
      let usedAfterLeave = false;
      for (let g = grantStart[r]!; g < grantStart[r + 1]!; g++) {
        const expires = grantExpires[g]!;
        if (isTime(expires) && expires <= now) continue;
        activeGrants++;
        const role = grantRole[g]!;
        const priv = role >= 0 && rolePrivileged[role] === 1;
        const lastUsed = grantLastUsed[g]!;
        if (left && isTime(lastUsed) && isTime(leftAt) && lastUsed > leftAt) usedAfterLeave = true;
        if (!enabled) continue;
        if (priv) privileged = true;
        if (role >= 0 && (runSod || runThreeAdmin)) {
          if (roleStamp[role] !== stamp) {
            roleStamp[role] = stamp;
            held.push(role);
            adminMask |= roleAdmin[role]!;
          }
        }
        // Grant-level checks.
        if (role < 0) {
          failGrant(out, C.directPermission, grants[grantOrder[g]!]!, 'direct');
        } else out.pass(C.directPermission);
        if (role >= 0 ? roleWildcard[role] === 1 : role === DIRECT_WILDCARD) {
          failGrant(out, C.wildcard, grants[grantOrder[g]!]!, 'wildcard');
        } else out.pass(C.wildcard);
        const cutoff = priv ? privUnusedCut : grantUnusedCut;
        const check = priv ? C.privilegedUnused : C.grantUnused;
        if (isTime(lastUsed)) {
          if (lastUsed < cutoff) failGrant(out, check, grants[grantOrder[g]!]!, 'unused');
          else out.pass(check);
        } else if (lastUsed === NEVER) {
          // The grant date matters only for a never-used grant: read it then, not per grant.
          const granted = col.reader.read(grants[grantOrder[g]!]!.grantedAt);
          if (granted === INVALID) issue(`grants.${grantOrder[g]!}.grantedAt`);
          else if (granted === MISSING) {
            out.lacks(check, 'grant', grantSubject(grants[grantOrder[g]!]!), ['grantedAt']);
          } else if (granted < cutoff) failGrant(out, check, grants[grantOrder[g]!]!, 'never');
          else out.pass(check);
        } else out.lacks(check, 'grant', grantSubject(grants[grantOrder[g]!]!), ['lastUsedAt']);
        if (priv && p.forbidStandingPrivilege) {
          if (isTime(expires)) out.pass(C.privilegedStanding);
          else failGrant(out, C.privilegedStanding, grants[grantOrder[g]!]!, 'standing');
        }
      }

      // Leavers.
      if (left) {
        const pastGrace = isTime(leftAt)
          ? leftAt < now && leftAt < graceCut
          : p.leaverGraceDays === 0;
        if (!isTime(leftAt) && p.leaverGraceDays > 0) {
          out.lacks(C.leaverAccess, 'account', aid, [`people.${person}.leftAt`]);
        } else if (pastGrace && (enabled || activeGrants > 0)) {
          const pid = people[person]!.id as string;
          out.fail(
            C.leaverAccess,
            'account',
            aid,
            text(
              `离职人员 ${pid} 的账号 ${aid} ${enabled ? '仍启用' : '已停用'},仍有 ${activeGrants} 项授权`,
              `Account ${aid} of leaver ${pid} is ${enabled ? 'still enabled' : 'disabled'} with ${activeGrants} grants`,
            ),
            { person: pid, leftAt: people[person]!.leftAt ?? null, enabled, grants: activeGrants },
          );
        } else out.pass(C.leaverAccess);
        if (!isTime(leftAt)) {
          out.lacks(C.leaverUsed, 'account', aid, [`people.${person}.leftAt`]);
        } else if (usedAfterLeave || (isTime(lastLogin) && lastLogin > leftAt)) {
          const pid = people[person]!.id as string;
          out.fail(
            C.leaverUsed,
            'account',
            aid,
            text(
              `账号 ${aid} 在 ${pid} 离职(${String(people[person]!.leftAt)})后仍被使用`,
              `Account ${aid} was used after ${pid} left (${String(people[person]!.leftAt)})`,
            ),
            {
              person: pid,
              leftAt: people[person]!.leftAt,
              lastLoginAt: accountAt(r).lastLoginAt ?? null,
            },
          );
        } else if (lastLogin === MISSING && !usedAfterLeave) {
          out.lacks(C.leaverUsed, 'account', aid, ['lastLoginAt']);
        } else out.pass(C.leaverUsed);
      }

      if (!enabled) continue;

      // Orphans.
      const owner = accOwner[r]!;
      if (owner === NO_OWNER) {
        out.fail(
          C.orphanNoOwner,
          'account',
          aid,
          text(`账号 ${aid} 没有责任人`, `Account ${aid} has no owner`),
          { system: accountAt(r).system },
        );
      } else out.pass(C.orphanNoOwner);
      if (owner === UNKNOWN_OWNER) {
        out.fail(
          C.orphanUnknownOwner,
          'account',
          aid,
          text(
            `账号 ${aid} 的责任人 ${String(accountAt(r).owner)} 不在人员名单中`,
            `The owner ${String(accountAt(r).owner)} of account ${aid} is not in the people list`,
          ),
          { owner: accountAt(r).owner, system: accountAt(r).system },
        );
      } else if (owner !== NO_OWNER) out.pass(C.orphanUnknownOwner);

      // Shared, default and service accounts.
      if (type === SHARED) {
        out.fail(
          C.shared,
          'account',
          aid,
          text(`共享账号 ${aid} 已启用`, `Shared account ${aid} is enabled`),
          { system: accountAt(r).system },
        );
      } else if (type === DEFAULT) {
        out.fail(
          C.defaultAccount,
          'account',
          aid,
          text(`默认账号 ${aid} 已启用`, `Default account ${aid} is enabled`),
          { system: accountAt(r).system },
        );
      } else if (type === SERVICE) {
        const interactive = accInteractive[r]!;
        if (interactive === ABSENT)
          out.lacks(C.serviceInteractive, 'account', aid, ['interactiveLogin']);
        else if (interactive === YES) {
          out.fail(
            C.serviceInteractive,
            'account',
            aid,
            text(
              `服务账号 ${aid} 允许交互式登录`,
              `Service account ${aid} allows interactive login`,
            ),
            { system: accountAt(r).system },
          );
        } else out.pass(C.serviceInteractive);
      }

      // Dormancy.
      if (type !== SERVICE || p.dormantIncludesService) {
        if (isTime(lastLogin)) {
          if (lastLogin < dormantCut) {
            out.fail(
              C.dormant,
              'account',
              aid,
              text(
                `账号 ${aid} 超过 ${p.dormantDays} 天未登录(最近 ${String(accountAt(r).lastLoginAt)})`,
                `Account ${aid} has not logged in for more than ${p.dormantDays} days (last ${String(accountAt(r).lastLoginAt)})`,
              ),
              { lastLoginAt: accountAt(r).lastLoginAt, dormantDays: p.dormantDays },
            );
          } else out.pass(C.dormant);
        } else if (lastLogin === NEVER) {
          const created = accCreated[r]!;
          if (created === MISSING) out.lacks(C.neverUsed, 'account', aid, ['createdAt']);
          else if (created < dormantCut) {
            out.fail(
              C.neverUsed,
              'account',
              aid,
              text(
                `账号 ${aid} 创建于 ${String(accountAt(r).createdAt)},超过 ${p.dormantDays} 天从未登录`,
                `Account ${aid}, created ${String(accountAt(r).createdAt)}, never logged in for more than ${p.dormantDays} days`,
              ),
              { createdAt: accountAt(r).createdAt, dormantDays: p.dormantDays },
            );
          } else out.pass(C.neverUsed);
        } else out.lacks(C.dormant, 'account', aid, ['lastLoginAt']);
      }
      const expires = accExpires[r]!;
      if (isTime(expires)) {
        if (expires <= now) {
          out.fail(
            C.temporaryExpired,
            'account',
            aid,
            text(
              `临时账号 ${aid} 已于 ${String(accountAt(r).expiresAt)} 到期仍启用`,
              `Temporary account ${aid} expired ${String(accountAt(r).expiresAt)} and is still enabled`,
            ),
            { expiresAt: accountAt(r).expiresAt },
          );
        } else out.pass(C.temporaryExpired);
      }

      // Privileged access.
      if (privileged) {
        const mfa = accMfa[r]!;
        if (mfa === ABSENT) out.lacks(C.privilegedNoMfa, 'account', aid, ['mfa']);
        else if (mfa === YES) out.pass(C.privilegedNoMfa);
        else {
          out.fail(
            C.privilegedNoMfa,
            'account',
            aid,
            text(`特权账号 ${aid} 未启用多因素认证`, `Privileged account ${aid} has no MFA`),
            { system: accountAt(r).system },
          );
        }
        if (type === PERSONAL) {
          const dedicated = accDedicated[r]!;
          if (dedicated === ABSENT)
            out.lacks(C.privilegedDailyUse, 'account', aid, ['dedicatedAdmin']);
          else if (dedicated === YES) out.pass(C.privilegedDailyUse);
          else {
            out.fail(
              C.privilegedDailyUse,
              'account',
              aid,
              text(`日常账号 ${aid} 持有管理员权限`, `Daily-use account ${aid} holds admin rights`),
              { system: accountAt(r).system, owner: accountAt(r).owner },
            );
          }
        }
      }

      // Passwords (service accounts authenticate with credentials, checked apart).
      if (type !== SERVICE) {
        const changed = accPassword[r]!;
        if (changed === MISSING) {
          out.lacks(C.passwordInitial, 'account', aid, ['passwordChangedAt']);
        } else if (changed === NEVER || (isTime(accCreated[r]!) && changed <= accCreated[r]!)) {
          out.fail(
            C.passwordInitial,
            'account',
            aid,
            text(
              `账号 ${aid} 从未修改初始口令`,
              `Account ${aid} never changed its initial password`,
            ),
            {
              passwordChangedAt: accountAt(r).passwordChangedAt ?? null,
              createdAt: accountAt(r).createdAt ?? null,
            },
          );
        } else {
          out.pass(C.passwordInitial);
          if (checkPassword) {
            if (changed < passwordCut) {
              out.fail(
                C.passwordAge,
                'account',
                aid,
                text(
                  `账号 ${aid} 的口令超过 ${String(p.passwordMaxAgeDays)} 天未更换`,
                  `The password of ${aid} is older than ${String(p.passwordMaxAgeDays)} days`,
                ),
                {
                  passwordChangedAt: accountAt(r).passwordChangedAt,
                  maxAgeDays: p.passwordMaxAgeDays,
                },
              );
            } else out.pass(C.passwordAge);
          }
        }
      }

      // An account without an owner is its own principal for separation of duties.
      if (!owned) {
        evaluateSod('account', aid, adminMask);
        stamp++;
        held.length = 0;
        adminMask = 0;
      }
    }
    if (owned) evaluateSod('person', col.personIndex.idAt(person) as string, adminMask);
  }
}

function failGrant(out: Collector, check: number, g: Rec, why: string): void {
  const id = grantSubject(g);
  const what = (g.role ?? g.permission) as string;
  const account = g.account as string;
  let message: LocalizedText;
  switch (why) {
    case 'direct':
      message = text(
        `权限 ${what} 直接授予账号 ${account}`,
        `Permission ${what} is granted straight to ${account}`,
      );
      break;
    case 'wildcard':
      message = text(
        `账号 ${account} 持有通配或完全管理权限 ${what}`,
        `Account ${account} holds the wildcard or full-admin ${what}`,
      );
      break;
    case 'standing':
      message = text(
        `账号 ${account} 的特权授权 ${what} 无到期日`,
        `The privileged grant ${what} of ${account} never expires`,
      );
      break;
    case 'never':
      message = text(
        `账号 ${account} 的授权 ${what} 自授予后从未使用`,
        `Grant ${what} of ${account} was never used since granted`,
      );
      break;
    default:
      message = text(
        `账号 ${account} 的授权 ${what} 长期未使用(最近 ${String(g.lastUsedAt)})`,
        `Grant ${what} of ${account} unused since ${String(g.lastUsedAt)}`,
      );
  }
  out.fail(check, 'grant', id, message, {
    account,
    grant: what,
    lastUsedAt: g.lastUsedAt ?? null,
    expiresAt: g.expiresAt ?? null,
  });
}

/**
 * Runs the checks on credentials, systems, patches, vulnerabilities, backups, data, policies
 * and training: small tables, each indexed once.
 *
 * @example
 * runOperationalChecks(columns, parameters, cutoffs, collector);
 */
export function runOperationalChecks(
  col: AuditColumns,
  p: SecurityParameters,
  cut: DayCutoffs,
  out: Collector,
  issue: (path: string, code: string, zh: string, en: string) => void,
): void {
  const s = col.snapshot;
  const read = (v: unknown, path: string) => {
    const t = col.reader.read(v);
    if (t === INVALID) issue(path, 'invalid_format', '时间格式无效', 'Invalid date or time');
    return t;
  };
  const now = cut.atMinutes;

  // Credentials.
  if (s.credentials) {
    const activePer = new Map<string, string[]>();
    s.credentials.forEach((c, i) => {
      if (!col.accountIndex.has(c.principal)) {
        issue(`credentials.${i}.principal`, 'unknown_reference', '账号不存在', 'Unknown account');
      }
      if (!c.active) return;
      const list = activePer.get(c.principal);
      if (list) list.push(c.id);
      else activePer.set(c.principal, [c.id]);
      const created = read(c.createdAt, `credentials.${i}.createdAt`);
      const rotated = read(c.rotatedAt, `credentials.${i}.rotatedAt`);
      const rotationCut = cut.olderThan(p.credentialRotationDays);
      const since = isTime(rotated) ? rotated : created;
      if (rotated === MISSING && created < rotationCut) {
        out.lacks(C.credentialRotation, 'credential', c.id, ['rotatedAt']);
      } else if (since < rotationCut) {
        out.fail(
          C.credentialRotation,
          'credential',
          c.id,
          text(
            `密钥 ${c.id}(${c.principal})超过 ${p.credentialRotationDays} 天未轮换`,
            `Key ${c.id} of ${c.principal} not rotated for more than ${p.credentialRotationDays} days`,
          ),
          { principal: c.principal, createdAt: c.createdAt, rotatedAt: c.rotatedAt ?? null },
        );
      } else out.pass(C.credentialRotation);
      const used = read(c.lastUsedAt, `credentials.${i}.lastUsedAt`);
      const unusedCut = cut.olderThan(p.credentialUnusedDays);
      if (used === MISSING) out.lacks(C.credentialUnused, 'credential', c.id, ['lastUsedAt']);
      else if ((isTime(used) && used < unusedCut) || (used === NEVER && created < unusedCut)) {
        out.fail(
          C.credentialUnused,
          'credential',
          c.id,
          text(
            `密钥 ${c.id} 超过 ${p.credentialUnusedDays} 天未使用`,
            `Key ${c.id} unused for more than ${p.credentialUnusedDays} days`,
          ),
          { principal: c.principal, lastUsedAt: c.lastUsedAt ?? null },
        );
      } else out.pass(C.credentialUnused);
    });
    for (const [principal, ids] of activePer) {
      if (ids.length > p.maxActiveCredentials) {
        out.fail(
          C.credentialMultiple,
          'principal',
          principal,
          text(
            `${principal} 有 ${ids.length} 个有效密钥`,
            `${principal} has ${ids.length} active keys`,
          ),
          { credentials: ids, max: p.maxActiveCredentials },
        );
      } else out.pass(C.credentialMultiple);
    }
  }

  // Systems: access reviews and scans. Systems the accounts name without a record lack data.
  if (s.systems) {
    const known = new Set<string>();
    s.systems.forEach((sys, i) => {
      known.add(sys.id);
      const period = sys.accessReviewPeriodDays ?? p.accessReviewDays;
      dated(
        out,
        C.reviewOverdue,
        'system',
        sys.id,
        read(sys.lastAccessReviewAt, `systems.${i}.lastAccessReviewAt`),
        cut.olderThan(period),
        'lastAccessReviewAt',
        (last) =>
          text(
            `系统 ${sys.id} 的权限审查超过 ${period} 天未做(最近 ${last})`,
            `Access review of ${sys.id} older than ${period} days (last ${last})`,
          ),
        { period },
      );
      dated(
        out,
        C.scanOverdue,
        'system',
        sys.id,
        read(sys.lastVulnerabilityScanAt, `systems.${i}.lastVulnerabilityScanAt`),
        cut.olderThan(p.scanPeriodDays),
        'lastVulnerabilityScanAt',
        (last) =>
          text(
            `系统 ${sys.id} 的漏洞扫描超过 ${p.scanPeriodDays} 天未做(最近 ${last})`,
            `Vulnerability scan of ${sys.id} older than ${p.scanPeriodDays} days (last ${last})`,
          ),
        { period: p.scanPeriodDays },
      );
    });
    const unrecorded = new Set<string>();
    for (const system of col.accountSystems) {
      if (!known.has(system as string)) unrecorded.add(system as string);
    }
    for (const id of unrecorded) {
      out.lacks(C.reviewOverdue, 'system', id, ['systems[].lastAccessReviewAt']);
      out.lacks(C.scanOverdue, 'system', id, ['systems[].lastVulnerabilityScanAt']);
    }
  }

  // Patches.
  if (s.patches) {
    const deadline = cut.olderThan(p.patchDeadlineDays);
    s.patches.forEach((patch, i) => {
      if (!p.patchSeverities.includes(patch.severity)) return;
      const subject = `${patch.system}/${patch.id}`;
      const installed = read(patch.installedAt, `patches.${i}.installedAt`);
      const released = read(patch.releasedAt, `patches.${i}.releasedAt`);
      if (isTime(installed)) out.pass(C.patchOverdue);
      else if (installed === MISSING) out.lacks(C.patchOverdue, 'patch', subject, ['installedAt']);
      else if (released < deadline) {
        out.fail(
          C.patchOverdue,
          'patch',
          subject,
          text(
            `系统 ${patch.system} 缺少 ${patch.severity} 补丁 ${patch.id},发布已超过 ${p.patchDeadlineDays} 天`,
            `${patch.system} misses ${patch.severity} patch ${patch.id}, released more than ${p.patchDeadlineDays} days ago`,
          ),
          { system: patch.system, releasedAt: patch.releasedAt, deadlineDays: p.patchDeadlineDays },
        );
      } else out.pass(C.patchOverdue);
    });
  }

  // Vulnerabilities.
  if (s.vulnerabilities) {
    s.vulnerabilities.forEach((v, i) => {
      const days = (p.remediationDays as Record<string, number | undefined>)[v.severity];
      if (days === undefined) return;
      const fixed = read(v.fixedAt, `vulnerabilities.${i}.fixedAt`);
      const found = read(v.foundAt, `vulnerabilities.${i}.foundAt`);
      if (isTime(fixed)) out.pass(C.vulnerabilityOverdue);
      else if (fixed === MISSING)
        out.lacks(C.vulnerabilityOverdue, 'vulnerability', v.id, ['fixedAt']);
      else if (found < cut.olderThan(days)) {
        out.fail(
          C.vulnerabilityOverdue,
          'vulnerability',
          v.id,
          text(
            `系统 ${v.system} 的 ${v.severity} 漏洞 ${v.id} 超过 ${days} 天未修复`,
            `${v.severity} vulnerability ${v.id} on ${v.system} open for more than ${days} days`,
          ),
          { system: v.system, severity: v.severity, foundAt: v.foundAt, deadlineDays: days },
        );
      } else out.pass(C.vulnerabilityOverdue);
    });
  }

  // Backups and restore tests.
  if (s.backupJobs) {
    const latestTest = new Map<string, { at: number; ok: boolean }>();
    const jobs = new Set(s.backupJobs.map((j) => j.id));
    (s.restoreTests ?? []).forEach((t, i) => {
      if (!jobs.has(t.job)) {
        issue(`restoreTests.${i}.job`, 'unknown_reference', '备份作业不存在', 'Unknown backup job');
        return;
      }
      const when = read(t.at, `restoreTests.${i}.at`);
      const prev = latestTest.get(t.job);
      if (!prev || when > prev.at) latestTest.set(t.job, { at: when, ok: t.ok });
    });
    s.backupJobs.forEach((job, i) => {
      const runs = job.runs.map((r, k) => ({
        at: read(r.at, `backupJobs.${i}.runs.${k}.at`),
        ok: r.ok,
      }));
      runs.sort((x, y) => y.at - x.at);
      const rpo = job.rpoHours ?? p.backupRpoHours;
      const lastGood = runs.find((r) => r.ok)?.at ?? NEVER;
      if (lastGood === NEVER || lastGood < cut.minus(rpo * 3_600_000)) {
        out.fail(
          C.backupRpo,
          'backup_job',
          job.id,
          text(
            `备份作业 ${job.id} 最近成功备份 ${iso(lastGood)},超过 ${rpo} 小时`,
            `Backup job ${job.id}: last good backup ${iso(lastGood)}, older than ${rpo} hours`,
          ),
          { system: job.system ?? null, lastSuccessAt: minutesToIso(lastGood), rpoHours: rpo },
        );
      } else out.pass(C.backupRpo);
      if (runs.length === 0) out.lacks(C.backupFailures, 'backup_job', job.id, ['runs']);
      else {
        let failures = 0;
        while (failures < runs.length && !runs[failures]!.ok) failures++;
        if (failures >= p.backupMaxConsecutiveFailures) {
          out.fail(
            C.backupFailures,
            'backup_job',
            job.id,
            text(
              `备份作业 ${job.id} 连续失败 ${failures} 次`,
              `Backup job ${job.id} failed ${failures} times in a row`,
            ),
            { failures, max: p.backupMaxConsecutiveFailures },
          );
        } else out.pass(C.backupFailures);
      }
      if (!s.restoreTests) return;
      const test = latestTest.get(job.id);
      const testCut = cut.olderThan(p.restoreTestDays);
      if (!test?.ok || test.at < testCut) {
        const why = !test ? 'never' : !test.ok ? 'failed' : 'overdue';
        out.fail(
          C.restoreTest,
          'backup_job',
          job.id,
          text(
            `备份作业 ${job.id} 的恢复测试${why === 'never' ? '从未做过' : why === 'failed' ? '最近一次失败' : `超过 ${p.restoreTestDays} 天未做`}`,
            `Restore test of ${job.id} ${why === 'never' ? 'never run' : why === 'failed' ? 'failed last time' : `older than ${p.restoreTestDays} days`}`,
          ),
          { reason: why, lastTestAt: test ? minutesToIso(test.at) : null },
        );
      } else out.pass(C.restoreTest);
    });
  }

  // Encryption of important data.
  if (s.dataAssets) {
    const important = new Set(p.importantClassifications);
    for (const d of s.dataAssets) {
      if (!important.has(d.classification)) continue;
      const pairs = [
        [C.encryptionAtRest, d.encryptedAtRest, 'encryptedAtRest', '存储', 'at rest'],
        [C.encryptionInTransit, d.encryptedInTransit, 'encryptedInTransit', '传输', 'in transit'],
      ] as const;
      for (const [check, value, field, zh, en] of pairs) {
        if (value === undefined) out.lacks(check, 'data_asset', d.id, [field]);
        else if (!value) {
          out.fail(
            check,
            'data_asset',
            d.id,
            text(
              `${d.classification} 数据 ${d.id} 未加密${zh}`,
              `${d.classification} data ${d.id} is not encrypted ${en}`,
            ),
            { classification: d.classification },
          );
        } else out.pass(check);
      }
    }
  }

  // Policy reviews.
  if (s.policies) {
    s.policies.forEach((doc, i) => {
      const period = doc.reviewPeriodDays ?? p.policyReviewDays;
      dated(
        out,
        C.policyReview,
        'policy',
        doc.id,
        read(doc.lastReviewedAt, `policies.${i}.lastReviewedAt`),
        cut.olderThan(period),
        'lastReviewedAt',
        (last) =>
          text(
            `安全策略 ${doc.id} 超过 ${period} 天未评审(最近 ${last})`,
            `Security policy ${doc.id} not reviewed for more than ${period} days (last ${last})`,
          ),
        { period },
      );
    });
  }

  // Training of the staff it applies to.
  if (s.training) {
    const latest = new Int32Array(col.personCount).fill(NEVER);
    s.training.forEach((t, i) => {
      const person = col.personIndex.get(t.person);
      if (person === -1) {
        issue(`training.${i}.person`, 'unknown_reference', '人员不存在', 'Unknown person');
        return;
      }
      const when = read(t.completedAt, `training.${i}.completedAt`);
      if (when > latest[person]!) latest[person] = when;
    });
    const kinds = new Set(
      p.trainingDepartmentKinds.map((k) => ({ it: 1, business: 2, other: 3 })[k]),
    );
    const trainingCut = cut.olderThan(p.trainingDays);
    for (let i = 0; i < col.personCount; i++) {
      const leftAt = col.personLeftAt[i]!;
      if (col.personLeft[i] === 1 || (isTime(leftAt) && leftAt <= now)) continue;
      const person = s.people[i]!;
      const kind = col.personKind[i]!;
      if (kind === 0) {
        out.lacks(C.training, 'person', person.id, ['departmentKind']);
        continue;
      }
      if (!kinds.has(kind)) continue;
      dated(
        out,
        C.training,
        'person',
        person.id,
        latest[i]!,
        trainingCut,
        'training',
        (last) =>
          text(
            `${person.id} 的安全培训超过 ${p.trainingDays} 天(最近 ${last})`,
            `Security training of ${person.id} older than ${p.trainingDays} days (last ${last})`,
          ),
        { trainingDays: p.trainingDays },
      );
    }
  }
}

/** A "last done at" check: never or older than the cutoff fails; absent lacks data. */
function dated(
  out: Collector,
  check: number,
  kind: SubjectKind,
  subject: string,
  last: number,
  cutoff: number,
  field: string,
  message: (last: string) => LocalizedText,
  details: Readonly<Record<string, unknown>>,
): void {
  if (last === MISSING) out.lacks(check, kind, subject, [field]);
  else if (last === NEVER || last === INVALID || last < cutoff) {
    out.fail(check, kind, subject, message(iso(last)), { ...details, last: minutesToIso(last) });
  } else out.pass(check);
}

export { C as checkIndex };
