import { z } from 'zod';
import { parsePolicy } from '../core/config.js';
import { InstantSchema, TimeZoneSchema } from '../core/schemas.js';
import { authorityLevels } from '../org/authority.js';
import { roles } from '../org/roles.js';
import { changeDuties, changeTypes, riskLevels } from './model.js';

const LocalizedTextSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const RoleSchema = z.enum(roles);

/** One answer option of a risk question, with its score and, optionally, a floor on the level. */
export const RiskOptionSchema = z.object({
  value: z.string().min(1),
  title: LocalizedTextSchema,
  score: z.number().nonnegative(),
  /** The answer alone makes the risk at least this level. */
  minLevel: z.enum(riskLevels).optional(),
});

/** One question of the risk questionnaire (3.3.2). */
export const RiskQuestionSchema = z.object({
  id: z.string().min(1),
  title: LocalizedTextSchema,
  options: z.array(RiskOptionSchema).min(1),
});
/** One question of the risk questionnaire. */
export type RiskQuestion = z.infer<typeof RiskQuestionSchema>;

const t = (zh: string, en: string) => ({ zh, en });
const opt = (value: string, zh: string, en: string, score: number, minLevel?: 'high') =>
  minLevel ? { value, title: t(zh, en), score, minLevel } : { value, title: t(zh, en), score };

/** The default questionnaire: common practice for change risk in ITSM tools. */
export const defaultRiskQuestions: readonly RiskQuestion[] = [
  {
    id: 'impact_breadth',
    title: t('影响范围', 'Breadth of impact'),
    options: [
      opt('single_ci', '单个配置项', 'A single CI', 0),
      opt('several_cis', '多个配置项', 'Several CIs', 2),
      opt('service_wide', '整个业务服务', 'A whole business service', 4),
      opt('enterprise', '全公司', 'The whole company', 6),
    ],
  },
  {
    id: 'business_criticality',
    title: t('业务重要性', 'Business criticality'),
    options: [
      opt('internal', '内部支持系统', 'Internal support system', 0),
      opt('supporting', '辅助业务系统', 'Supporting business system', 2),
      opt('core', '核心业务系统(承保、理赔)', 'Core system (underwriting, claims)', 4),
      opt('regulatory', '监管报送系统', 'Regulatory reporting system', 5),
    ],
  },
  {
    id: 'complexity',
    title: t('技术复杂度', 'Technical complexity'),
    options: [
      opt('simple', '简单', 'Simple', 0),
      opt('moderate', '中等', 'Moderate', 2),
      opt('complex', '复杂', 'Complex', 4),
    ],
  },
  {
    id: 'rollback',
    title: t('回退难度', 'Rollback difficulty'),
    options: [
      opt('easy', '容易回退', 'Easy to roll back', 0),
      opt('moderate', '可回退但耗时', 'Possible but slow', 2),
      opt('hard', '难以回退', 'Hard to roll back', 4),
      opt('impossible', '无法回退', 'Cannot be rolled back', 6, 'high'),
    ],
  },
  {
    id: 'tested',
    title: t('测试情况', 'Testing'),
    options: [
      opt('fully', '已在类生产环境完整测试', 'Fully tested in a production-like environment', 0),
      opt('partially', '部分测试', 'Partially tested', 2),
      opt('untested', '未经测试', 'Not tested', 5, 'high'),
    ],
  },
  {
    id: 'timing',
    title: t('实施时段', 'Timing'),
    options: [
      opt('off_peak', '业务低峰期', 'Off-peak', 0),
      opt('business_hours', '工作时间', 'Business hours', 2),
      opt('peak', '业务高峰期', 'Peak period', 4),
    ],
  },
];

/** How answers map to a risk level (3.3.2). */
export const RiskPolicySchema = z
  .object({
    questions: z.array(RiskQuestionSchema).min(1).default(defaultRiskQuestions.slice()),
    /** The lowest total score of each level above `low`. */
    thresholds: z
      .object({ medium: z.number(), high: z.number(), critical: z.number() })
      .default({ medium: 5, high: 11, critical: 17 }),
  })
  .refine(
    (r) => r.thresholds.medium <= r.thresholds.high && r.thresholds.high <= r.thresholds.critical,
    {
      message: 'Thresholds must rise: medium <= high <= critical',
      path: ['thresholds'],
      params: { zh: '阈值必须递增' },
    },
  );

/** How many distinct people a stage needs. */
export const QuorumSchema = z.union([
  z.literal('any'),
  z.literal('all'),
  z.object({ count: z.number().int().min(1) }),
]);
/** How many distinct people a stage needs. */
export type Quorum = z.infer<typeof QuorumSchema>;

/** One approval stage: who may approve (roles, minimum level), how many, in which order. */
export const ApprovalStageSchema = z
  .object({
    id: z.string().min(1),
    title: LocalizedTextSchema,
    /** The roles (held in the change's domains) that may approve this stage. */
    roles: z.array(RoleSchema).min(1),
    /** The lowest authority level that may approve. */
    minLevel: z.enum(authorityLevels).default('staff'),
    quorum: QuorumSchema.default('any'),
    /** Named members (a board): `all` needs every one of them. */
    members: z.array(z.string().min(1)).optional(),
    /** Stages with the same order run in parallel; lower orders go first. */
    order: z.number().int().nonnegative(),
    /** Who an overdue approval of this stage is escalated to; default the next stage's roles. */
    escalateTo: z.array(RoleSchema).optional(),
  })
  .refine((s) => s.quorum !== 'all' || (s.members !== undefined && s.members.length > 0), {
    message: "Quorum 'all' needs the list of members",
    path: ['members'],
    params: { zh: '“全部”法定人数需要列出成员' },
  });
/** One approval stage. */
export type ApprovalStage = z.infer<typeof ApprovalStageSchema>;

/** Which changes a rule applies to; an absent field matches everything. */
export const RuleMatchSchema = z.object({
  risk: z.array(z.enum(riskLevels)).optional(),
  type: z.array(z.enum(changeTypes)).optional(),
  domains: z.array(z.string().min(1)).optional(),
});

/** An allow rule of the authority table (3.3.3): which changes, which stages. */
export const AuthorityRuleSchema = z.object({
  id: z.string().min(1),
  title: LocalizedTextSchema.optional(),
  match: RuleMatchSchema,
  stages: z.array(ApprovalStageSchema).min(1),
});
/** An allow rule of the authority table. */
export type AuthorityRule = z.infer<typeof AuthorityRuleSchema>;

/** An explicit deny: it beats every allow (3.3.3). */
export const DenyRuleSchema = z.object({
  id: z.string().min(1),
  title: LocalizedTextSchema,
  match: RuleMatchSchema,
  /** The actors denied: by id, role or level; any one criterion matching denies. */
  actors: z.object({
    ids: z.array(z.string().min(1)).optional(),
    roles: z.array(RoleSchema).optional(),
    levels: z.array(z.enum(authorityLevels)).optional(),
  }),
});
/** An explicit deny. */
export type DenyRule = z.infer<typeof DenyRuleSchema>;

/** A person holding a role in a business domain (`*` for every domain). */
export const AssignmentSchema = z.object({
  actorId: z.string().min(1),
  role: RoleSchema,
  domain: z.string().min(1),
});
/** A person holding a role in a business domain. */
export type Assignment = z.infer<typeof AssignmentSchema>;

/** A delegation of approval authority for a time window (3.3.3). */
export const DelegationSchema = z
  .object({
    id: z.string().min(1),
    /** The approver who delegates. */
    from: z.string().min(1),
    /** The delegator's name, for the approval record. */
    fromName: z.string().min(1).optional(),
    /** The delegate. */
    to: z.string().min(1),
    start: InstantSchema,
    end: InstantSchema,
    /** Limit to these domains; default every domain of the delegator. */
    domains: z.array(z.string().min(1)).optional(),
  })
  .refine((d) => Date.parse(d.start) < Date.parse(d.end), {
    message: 'A delegation must end after it starts',
    path: ['end'],
    params: { zh: '授权结束时间必须晚于开始时间' },
  })
  .refine((d) => d.from !== d.to, {
    message: 'Nobody delegates to themselves',
    path: ['to'],
    params: { zh: '不能授权给自己' },
  });
/** A delegation of approval authority. */
export type Delegation = z.infer<typeof DelegationSchema>;

/** Who holds which approval authority where, and who stands in for whom. */
export const ApproverDirectorySchema = z.object({
  assignments: z.array(AssignmentSchema).default([]),
  delegations: z.array(DelegationSchema).default([]),
});
/** Who holds which approval authority where, and who stands in for whom. */
export type ApproverDirectory = z.input<typeof ApproverDirectorySchema>;

const stage = (
  id: string,
  zh: string,
  en: string,
  roleList: z.infer<typeof RoleSchema>[],
  minLevel: (typeof authorityLevels)[number],
  order: number,
  quorum: Quorum = 'any',
): z.input<typeof ApprovalStageSchema> => ({
  id,
  title: t(zh, en),
  roles: roleList,
  minLevel,
  quorum,
  order,
});

const opsStage = stage(
  'ops',
  '运维经理审批',
  'Ops manager approval',
  ['ops_manager'],
  'manager',
  1,
);
const itStage = stage(
  'it_head',
  '信息技术部门负责人审批',
  'Head of IT approval',
  ['it_head'],
  'department_head',
  2,
);
const leadStage = stage(
  'leadership',
  '分管领导审批',
  'Leadership (CIO) approval',
  ['cio'],
  'leadership',
  3,
);
const cabStage = stage(
  'cab',
  '变更咨询委员会审批',
  'Change advisory board',
  ['cab_member'],
  'staff',
  4,
  {
    count: 2,
  },
);
const execStage = stage(
  'executive',
  '公司高管审批',
  'Executive approval',
  ['executive'],
  'executive',
  4,
);

/** The default authority table (3.3.3): each risk level adds a level of approval. */
export const defaultAuthorityRules: readonly z.input<typeof AuthorityRuleSchema>[] = [
  {
    id: 'authority.low',
    match: { risk: ['low'], type: ['normal', 'emergency'] },
    stages: [opsStage],
  },
  {
    id: 'authority.medium',
    match: { risk: ['medium'], type: ['normal', 'emergency'] },
    stages: [opsStage, itStage],
  },
  {
    id: 'authority.high',
    match: { risk: ['high'], type: ['normal', 'emergency'] },
    stages: [opsStage, itStage, leadStage],
  },
  {
    id: 'authority.critical',
    match: { risk: ['critical'], type: ['normal', 'emergency'] },
    stages: [opsStage, itStage, leadStage, cabStage, execStage],
  },
];

/** The authority section of the change policy. */
export const AuthorityPolicySchema = z.object({
  rules: z
    .array(AuthorityRuleSchema)
    .min(1)
    .default(defaultAuthorityRules.slice() as never),
  denies: z.array(DenyRuleSchema).default([]),
  /** The standing directory; a service may also be given one that changes at run time. */
  assignments: z.array(AssignmentSchema).default([]),
  delegations: z.array(DelegationSchema).default([]),
  /** Hours an approval stage may wait before it is flagged for escalation. */
  approvalTimeoutHours: z.number().positive().default(24),
});

const dutyPair = z.tuple([z.enum(changeDuties), z.enum(changeDuties)]);

/** Separation of duties (3.3.3): which pairs of duties the policy lets one person hold. */
export const SeparationPolicySchema = z.object({
  relax: z
    .array(dutyPair)
    .default([])
    .refine(
      (pairs) =>
        !pairs.some(
          ([a, b]) =>
            (a === 'requester' && b === 'approver') || (a === 'approver' && b === 'requester'),
        ),
      {
        message: 'The requester may never approve their own change',
        params: { zh: '申请人不得审批自己的变更,此项不可放宽' },
      },
    ),
});

const ClosingPeriodSchema = z.object({
  enabled: z.boolean().default(true),
  /** Local days before the period end that are frozen (the last N days). */
  daysBefore: z.number().int().nonnegative(),
  /** Local days after the period end that are frozen (the first N days of the next). */
  daysAfter: z.number().int().nonnegative(),
});

/** A fixed blackout period. */
export const BlackoutSchema = z
  .object({
    id: z.string().min(1),
    title: LocalizedTextSchema,
    start: InstantSchema,
    end: InstantSchema,
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), {
    message: 'A blackout must end after it starts',
    path: ['end'],
    params: { zh: '封网期结束时间必须晚于开始时间' },
  });

/** A weekly maintenance window of a CI, in local time. */
export const MaintenanceWindowSchema = z.object({
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)).min(1),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  /** `24:00` for midnight at the end of the day. */
  end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/),
});
/** A weekly maintenance window. */
export type MaintenanceWindow = z.infer<typeof MaintenanceWindowSchema>;

/** The change calendar: time zone, freeze periods, maintenance windows (3.3.4). */
export const CalendarPolicySchema = z.object({
  /** The IANA zone every calendar rule is read in. */
  timeZone: TimeZoneSchema.default('Asia/Shanghai'),
  monthEnd: ClosingPeriodSchema.default({ enabled: true, daysBefore: 1, daysAfter: 2 }),
  quarterEnd: ClosingPeriodSchema.default({ enabled: true, daysBefore: 3, daysAfter: 3 }),
  yearEnd: ClosingPeriodSchema.default({ enabled: true, daysBefore: 7, daysAfter: 7 }),
  blackouts: z.array(BlackoutSchema).default([]),
  /** Weekly maintenance windows per CI; a CI with none has no window constraint. */
  maintenanceWindows: z.record(z.string(), z.array(MaintenanceWindowSchema)).default({}),
  /** Change types a freeze does not stop (emergencies fix what is broken). */
  freezeExemptTypes: z.array(z.enum(changeTypes)).default(['emergency']),
});

/** An approved template of a standard change. */
export const StandardTemplateSchema = z.object({
  id: z.string().min(1),
  title: LocalizedTextSchema,
  /** The CIs the template may touch; absent for any. */
  cis: z.array(z.string().min(1)).optional(),
  /** The longest window the template allows. */
  maxDurationMinutes: z.number().int().positive(),
  active: z.boolean().default(true),
});
/** An approved template of a standard change. */
export type StandardTemplate = z.infer<typeof StandardTemplateSchema>;

/** The change section of the policy, with defaults from the charter and common practice. */
export const ChangePolicySchema = z.object({
  risk: RiskPolicySchema.prefault({}),
  authority: AuthorityPolicySchema.prefault({}),
  separation: SeparationPolicySchema.prefault({}),
  calendar: CalendarPolicySchema.prefault({}),
  emergency: z.object({ retrospectiveHours: z.number().positive().default(24) }).prefault({}),
  standardTemplates: z.array(StandardTemplateSchema).default([]),
  roles: z
    .object({
      preReview: z.array(RoleSchema).min(1).default(['ops_manager']),
      evaluate: z
        .array(RoleSchema)
        .min(1)
        .default([
          'ops_manager',
          'system_engineer',
          'network_engineer',
          'data_engineer',
          'it_head',
        ]),
      emergencyApprove: z.array(RoleSchema).min(1).default(['ops_manager']),
      implement: z
        .array(RoleSchema)
        .min(1)
        .default(['system_engineer', 'network_engineer', 'data_engineer', 'ops_manager']),
      verify: z
        .array(RoleSchema)
        .min(1)
        .default([
          'system_engineer',
          'network_engineer',
          'data_engineer',
          'ops_manager',
          'it_staff',
        ]),
      close: z.array(RoleSchema).min(1).default(['ops_manager']),
    })
    .prefault({}),
});
/** The change section of the policy, validated. */
export type ChangePolicy = z.infer<typeof ChangePolicySchema>;
/** The change section as a consumer overrides it. */
export type ChangePolicyInput = z.input<typeof ChangePolicySchema>;

/**
 * Validates change-policy overrides and fills in the defaults; throws on a bad policy (a
 * start-up error). Most callers use `definePolicy({ change: ... })` from `opscharter` instead.
 *
 * @example
 * const policy = defineChangePolicy({ emergency: { retrospectiveHours: 12 } });
 */
export function defineChangePolicy(overrides: ChangePolicyInput = {}): ChangePolicy {
  return parsePolicy('defineChangePolicy', ChangePolicySchema, overrides);
}
