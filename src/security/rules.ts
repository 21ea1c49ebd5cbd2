import { defineRule, type Rule } from '../core/rule.js';
import { type LocalizedText, text } from '../core/text.js';

/** What a check's subjects are. */
export type SubjectKind =
  | 'person'
  | 'account'
  | 'grant'
  | 'credential'
  | 'principal'
  | 'system'
  | 'patch'
  | 'vulnerability'
  | 'backup_job'
  | 'data_asset'
  | 'policy';

/** Snapshot sections a check reads; when one is absent the check has no data. */
export type SnapshotSection =
  | 'people'
  | 'accounts'
  | 'grants'
  | 'roles'
  | 'sodRules'
  | 'credentials'
  | 'systems'
  | 'patches'
  | 'vulnerabilities'
  | 'backupJobs'
  | 'restoreTests'
  | 'dataAssets'
  | 'policies'
  | 'training';

/** An audit check: a rule with what to do about a finding and what it is about. */
export interface SecurityCheck extends Rule {
  readonly remediation: LocalizedText;
  readonly subject: SubjectKind;
  readonly needs: readonly SnapshotSection[];
  /** Names of the parameters it reads, for the report. */
  readonly parameters: readonly string[];
}

function check<const C extends SecurityCheck>(c: C): C {
  defineRule(c);
  return Object.freeze(c);
}

/** Every audit check, by short name. */
export const securityChecks = {
  leaverAccess: check({
    id: 'security.leaver.active_access',
    clauses: ['6.4.2', '5.3.2'],
    severity: 'critical',
    title: text(
      '离职人员账号仍启用或仍有权限',
      "A leaver's account is still enabled or holds grants",
    ),
    remediation: text(
      '立即停用该账号并回收全部授权',
      'Disable the account and revoke every grant now',
    ),
    subject: 'account',
    needs: ['people', 'accounts'],
    parameters: ['leaverGraceDays'],
  }),
  leaverUsed: check({
    id: 'security.leaver.used_after_leave',
    clauses: ['6.4.2', '5.3.3'],
    severity: 'critical',
    title: text('离职后账号仍被使用', 'The account was used after its owner left'),
    remediation: text(
      '停用账号,调查离职后的登录与操作,按安全事件处理',
      'Disable the account, investigate the use after the leave date, handle it as a security incident',
    ),
    subject: 'account',
    needs: ['people', 'accounts'],
    parameters: [],
  }),
  dormant: check({
    id: 'security.dormant.no_login',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('账号长期未登录', 'The account has not logged in for too long'),
    remediation: text(
      '确认是否仍需要,不需要则停用或删除',
      'Confirm the need; disable or delete it',
    ),
    subject: 'account',
    needs: ['accounts'],
    parameters: ['dormantDays', 'dormantIncludesService'],
  }),
  neverUsed: check({
    id: 'security.dormant.never_used',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('账号创建后从未使用', 'The account was never used since it was created'),
    remediation: text('确认是否仍需要,不需要则删除', 'Confirm the need; delete it if unneeded'),
    subject: 'account',
    needs: ['accounts'],
    parameters: ['dormantDays'],
  }),
  temporaryExpired: check({
    id: 'security.dormant.temporary_expired',
    clauses: ['5.3.2'],
    severity: 'high',
    title: text(
      '临时账号已过期仍启用',
      'A temporary account is past its end date and still enabled',
    ),
    remediation: text('停用该临时账号', 'Disable the temporary account'),
    subject: 'account',
    needs: ['accounts'],
    parameters: [],
  }),
  orphanNoOwner: check({
    id: 'security.orphan.no_owner',
    clauses: ['5.3.2'],
    severity: 'high',
    title: text('账号没有责任人', 'The account has no owner'),
    remediation: text('指定责任人,或停用账号', 'Assign an owner or disable the account'),
    subject: 'account',
    needs: ['accounts'],
    parameters: [],
  }),
  orphanUnknownOwner: check({
    id: 'security.orphan.unknown_owner',
    clauses: ['5.3.2'],
    severity: 'high',
    title: text('账号责任人不在人员名单中', 'The account owner is not in the people list'),
    remediation: text(
      '核对人员名单,更正责任人或停用账号',
      'Reconcile with HR; fix the owner or disable',
    ),
    subject: 'account',
    needs: ['people', 'accounts'],
    parameters: [],
  }),
  shared: check({
    id: 'security.account.shared_enabled',
    clauses: ['5.3.2'],
    severity: 'high',
    title: text('共享账号启用且无例外审批', 'A shared account is enabled without an exception'),
    remediation: text(
      '改为个人账号,或申请有期限的例外',
      'Replace with personal accounts or get a time-limited waiver',
    ),
    subject: 'account',
    needs: ['accounts'],
    parameters: [],
  }),
  defaultAccount: check({
    id: 'security.account.default_enabled',
    clauses: ['5.3.2', '5.3.1'],
    severity: 'high',
    title: text(
      '默认或内置账号启用且无例外审批',
      'A default or built-in account is enabled without an exception',
    ),
    remediation: text(
      '停用或重命名默认账号并修改默认口令',
      'Disable or rename it and change the default password',
    ),
    subject: 'account',
    needs: ['accounts'],
    parameters: [],
  }),
  serviceInteractive: check({
    id: 'security.account.service_interactive',
    clauses: ['5.3.2'],
    severity: 'high',
    title: text('服务账号允许交互式登录', 'A service account allows interactive login'),
    remediation: text('禁止该服务账号交互式登录', 'Deny interactive login to the service account'),
    subject: 'account',
    needs: ['accounts'],
    parameters: [],
  }),
  privilegedNoMfa: check({
    id: 'security.privileged.no_mfa',
    clauses: ['5.3.2', '5.1.1'],
    severity: 'critical',
    title: text(
      '特权账号未启用多因素认证',
      'A privileged account has no multi-factor authentication',
    ),
    remediation: text(
      '为该账号启用多因素认证',
      'Turn on multi-factor authentication for the account',
    ),
    subject: 'account',
    needs: ['accounts', 'grants', 'roles'],
    parameters: [],
  }),
  privilegedDailyUse: check({
    id: 'security.privileged.daily_use',
    clauses: ['5.3.2'],
    severity: 'high',
    title: text('日常账号持有管理员权限', "Admin rights on a person's daily-use account"),
    remediation: text('改用专用管理员账号', 'Move the admin rights to a dedicated admin account'),
    subject: 'account',
    needs: ['accounts', 'grants', 'roles'],
    parameters: [],
  }),
  privilegedStanding: check({
    id: 'security.privileged.standing',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('特权授权长期有效(无到期日)', 'A standing privileged grant with no expiry'),
    remediation: text('改为限时授权或按需提权', 'Make it time-limited or just-in-time'),
    subject: 'grant',
    needs: ['grants', 'roles'],
    parameters: ['forbidStandingPrivilege'],
  }),
  privilegedUnused: check({
    id: 'security.privileged.unused',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('特权授权长期未使用', 'A privileged grant has not been used for too long'),
    remediation: text('回收该特权授权', 'Revoke the privileged grant'),
    subject: 'grant',
    needs: ['grants', 'roles'],
    parameters: ['privilegedUnusedDays'],
  }),
  grantUnused: check({
    id: 'security.least_privilege.unused_grant',
    clauses: ['5.3.2', '5.4.3'],
    severity: 'low',
    title: text('授权长期未使用', 'A grant has not been used for too long'),
    remediation: text('回收未使用的授权', 'Revoke the unused grant'),
    subject: 'grant',
    needs: ['grants'],
    parameters: ['grantUnusedDays'],
  }),
  wildcard: check({
    id: 'security.least_privilege.wildcard',
    clauses: ['5.3.2', '5.4.3'],
    severity: 'high',
    title: text('通配或完全管理权限', 'A wildcard or full-admin permission'),
    remediation: text('拆分为所需的最小权限', 'Replace it with the narrow permissions needed'),
    subject: 'grant',
    needs: ['grants', 'roles'],
    parameters: ['fullAdminPermissions'],
  }),
  directPermission: check({
    id: 'security.least_privilege.direct_permission',
    clauses: ['5.3.2', '5.4.3'],
    severity: 'low',
    title: text(
      '权限直接授予账号而非通过角色',
      'A permission granted straight to an account, not through a role',
    ),
    remediation: text('改为通过角色授权', 'Grant it through a role'),
    subject: 'grant',
    needs: ['grants'],
    parameters: [],
  }),
  credentialRotation: check({
    id: 'security.credential.rotation',
    clauses: ['5.3.2', '5.1.1'],
    severity: 'high',
    title: text('密钥超过轮换期限', 'A key or secret is older than the rotation period'),
    remediation: text('轮换该密钥', 'Rotate the key'),
    subject: 'credential',
    needs: ['credentials'],
    parameters: ['credentialRotationDays'],
  }),
  credentialMultiple: check({
    id: 'security.credential.multiple_active',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('同一主体有多个有效密钥', 'A principal has more than one active key'),
    remediation: text('停用多余的密钥', 'Deactivate the extra keys'),
    subject: 'principal',
    needs: ['credentials'],
    parameters: ['maxActiveCredentials'],
  }),
  credentialUnused: check({
    id: 'security.credential.unused',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('密钥长期未使用', 'An active key has not been used for too long'),
    remediation: text('停用未使用的密钥', 'Deactivate the unused key'),
    subject: 'credential',
    needs: ['credentials'],
    parameters: ['credentialUnusedDays'],
  }),
  sod: check({
    id: 'security.sod.conflict',
    clauses: ['5.3.2', '5.4.3'],
    severity: 'high',
    title: text('同一人持有不相容的角色组合', 'One person holds a forbidden combination of roles'),
    remediation: text(
      '回收其中一个角色,或由他人承担',
      'Revoke one of the roles or give it to someone else',
    ),
    subject: 'person',
    needs: ['accounts', 'grants', 'roles', 'sodRules'],
    parameters: [],
  }),
  threeAdmin: check({
    id: 'security.sod.three_admin',
    clauses: ['5.3.2'],
    severity: 'high',
    title: text(
      '系统、安全、审计管理员未由不同人员担任',
      'System, security and audit administrators are not different people',
    ),
    remediation: text(
      '三类管理员分别由不同人员担任',
      'Give the three admin roles to three different people',
    ),
    subject: 'person',
    needs: ['accounts', 'grants', 'roles'],
    parameters: ['threeAdminSeparation'],
  }),
  passwordAge: check({
    id: 'security.password.max_age',
    clauses: ['5.1.1', '5.3.2'],
    severity: 'medium',
    title: text('口令超过最长使用期限', 'The password is older than the maximum age'),
    remediation: text('更换口令', 'Change the password'),
    subject: 'account',
    needs: ['accounts'],
    parameters: ['passwordMaxAgeDays'],
  }),
  passwordInitial: check({
    id: 'security.password.initial',
    clauses: ['5.1.1', '5.3.2'],
    severity: 'high',
    title: text('初始口令从未修改', 'The initial password was never changed'),
    remediation: text('强制在下次登录时修改口令', 'Force a password change at next login'),
    subject: 'account',
    needs: ['accounts'],
    parameters: [],
  }),
  reviewOverdue: check({
    id: 'security.review.overdue',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('系统权限审查逾期', "The system's access review is overdue"),
    remediation: text('开展权限审查并记录结果', 'Run the access review and record it'),
    subject: 'system',
    needs: ['systems'],
    parameters: ['accessReviewDays'],
  }),
  patchOverdue: check({
    id: 'security.patch.overdue',
    clauses: ['5.3.1'],
    severity: 'high',
    title: text('关键补丁超期未安装', 'A critical patch is missing past the deadline'),
    remediation: text('测试后尽快安装补丁', 'Test and install the patch'),
    subject: 'patch',
    needs: ['patches'],
    parameters: ['patchSeverities', 'patchDeadlineDays'],
  }),
  scanOverdue: check({
    id: 'security.vulnerability.scan_overdue',
    clauses: ['5.2.2'],
    severity: 'medium',
    title: text('漏洞扫描逾期', 'The vulnerability scan is overdue'),
    remediation: text('执行漏洞扫描', 'Run a vulnerability scan'),
    subject: 'system',
    needs: ['systems'],
    parameters: ['scanPeriodDays'],
  }),
  vulnerabilityOverdue: check({
    id: 'security.vulnerability.remediation_overdue',
    clauses: ['5.2.2'],
    severity: 'high',
    title: text('高危漏洞超期未修复', 'A high vulnerability is open past the remediation deadline'),
    remediation: text(
      '修复漏洞或采取补偿措施并申请例外',
      'Fix it, or mitigate and request a waiver',
    ),
    subject: 'vulnerability',
    needs: ['vulnerabilities'],
    parameters: ['remediationDays'],
  }),
  backupRpo: check({
    id: 'security.backup.rpo',
    clauses: ['5.4.2'],
    severity: 'high',
    title: text('最近一次成功备份超出恢复点目标', 'The last good backup is older than the RPO'),
    remediation: text('排查备份作业并立即补做备份', 'Fix the job and take a backup now'),
    subject: 'backup_job',
    needs: ['backupJobs'],
    parameters: ['backupRpoHours'],
  }),
  backupFailures: check({
    id: 'security.backup.consecutive_failures',
    clauses: ['5.4.2'],
    severity: 'high',
    title: text('备份连续失败', 'Backup runs failed in a row'),
    remediation: text('排查备份失败原因', 'Find out why the backups fail'),
    subject: 'backup_job',
    needs: ['backupJobs'],
    parameters: ['backupMaxConsecutiveFailures'],
  }),
  restoreTest: check({
    id: 'security.backup.restore_test',
    clauses: ['5.4.2'],
    severity: 'high',
    title: text('恢复测试逾期或失败', 'The restore test is overdue or failed'),
    remediation: text('执行恢复测试并记录结果', 'Run a restore test and record it'),
    subject: 'backup_job',
    needs: ['backupJobs', 'restoreTests'],
    parameters: ['restoreTestDays'],
  }),
  encryptionAtRest: check({
    id: 'security.encryption.at_rest',
    clauses: ['5.4.1'],
    severity: 'high',
    title: text('重要数据未加密存储', 'Important data is not encrypted at rest'),
    remediation: text('启用存储加密', 'Turn on encryption at rest'),
    subject: 'data_asset',
    needs: ['dataAssets'],
    parameters: ['importantClassifications'],
  }),
  encryptionInTransit: check({
    id: 'security.encryption.in_transit',
    clauses: ['5.4.1'],
    severity: 'high',
    title: text('重要数据未加密传输', 'Important data is not encrypted in transit'),
    remediation: text('启用传输加密(TLS)', 'Turn on encryption in transit (TLS)'),
    subject: 'data_asset',
    needs: ['dataAssets'],
    parameters: ['importantClassifications'],
  }),
  policyReview: check({
    id: 'security.policy.review_overdue',
    clauses: ['5.1.2'],
    severity: 'medium',
    title: text('安全策略评审逾期', 'The security policy review is overdue'),
    remediation: text('评估并更新该策略', 'Review and update the policy'),
    subject: 'policy',
    needs: ['policies'],
    parameters: ['policyReviewDays'],
  }),
  training: check({
    id: 'security.training.overdue',
    clauses: ['5.5.1'],
    severity: 'medium',
    title: text('安全培训逾期', 'Security training is overdue'),
    remediation: text('安排安全培训', 'Schedule the security training'),
    subject: 'person',
    needs: ['people', 'training'],
    parameters: ['trainingDays', 'trainingDepartmentKinds'],
  }),
} as const;

/** A check's short name. */
export type CheckName = keyof typeof securityChecks;

/** Every check, in report order. */
export const securityCheckList: readonly SecurityCheck[] = Object.values(securityChecks);

/** Rules of the waiver lifecycle. */
export const waiverRules = {
  approverNotRequester: defineRule({
    id: 'security.waiver.approver_not_requester',
    clauses: ['5.3.2'],
    severity: 'high',
    title: text('例外的审批人不能是申请人', 'The approver of a waiver may not be its requester'),
  }),
  expiryTooFar: defineRule({
    id: 'security.waiver.max_duration',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('例外有效期超过上限', 'The waiver runs longer than the policy allows'),
  }),
  expiryInPast: defineRule({
    id: 'security.waiver.expiry_future',
    clauses: ['5.3.2'],
    severity: 'medium',
    title: text('例外到期日须在将来', 'The waiver must expire in the future'),
  }),
  notYetExpired: defineRule({
    id: 'security.waiver.not_yet_expired',
    clauses: ['5.3.2'],
    severity: 'low',
    title: text('例外尚未到期', 'The waiver has not reached its expiry'),
  }),
} as const;
