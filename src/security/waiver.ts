import { z } from 'zod';
import type { AggregateSpec } from '../core/repository.js';
import { InstantSchema, NonEmptyTextSchema, workflowEntityShape } from '../core/schemas.js';
import { text } from '../core/text.js';
import { violation } from '../core/violation.js';
import { defineWorkflow } from '../core/workflow/definition.js';
import type { WorkflowEntity } from '../core/workflow/history.js';
import type { Role } from '../org/roles.js';
import { WaiverIdSchema } from './id.js';
import { resolveParameters, type SecurityPolicyInput } from './parameters.js';
import { securityCheckList, waiverRules } from './rules.js';

/** The states of a waiver: requested, then active until it expires or is revoked. */
export const waiverStates = ['requested', 'active', 'rejected', 'expired', 'revoked'] as const;

const ActorRefSchema = z.object({ id: z.string().min(1), name: z.string() });
const checkIds = new Set(securityCheckList.map((c) => c.id));

/** What a requester sends: the finding to accept, why, and until when (mandatory). */
export const WaiverRequestSchema = z.object({
  ruleId: z.string().refine((id) => checkIds.has(id), {
    message: 'Unknown audit rule',
    params: { zh: '未知的审计规则' },
  }),
  /** The finding's subject, as in `AuditFinding.subject.id` (an account id, `person/sodRule`, …). */
  subject: NonEmptyTextSchema,
  reason: NonEmptyTextSchema,
  expiresAt: InstantSchema,
  /** Compensating controls in place while the exception runs. */
  compensatingControls: z.string().optional(),
});

/** A waiver request. */
export type WaiverRequest = z.input<typeof WaiverRequestSchema>;

/** A stored waiver (exception): an accepted finding, with its approver and expiry. */
export const WaiverSchema = z.object({
  ...workflowEntityShape(waiverStates, WaiverIdSchema),
  ruleId: z.string().min(1),
  subject: z.string().min(1),
  reason: z.string().min(1),
  expiresAt: InstantSchema,
  compensatingControls: z.string().optional(),
  requestedBy: ActorRefSchema,
  approvedBy: ActorRefSchema.optional(),
  approvedAt: InstantSchema.optional(),
  closedReason: z.string().optional(),
});

/** A stored waiver. */
export type Waiver = z.infer<typeof WaiverSchema> & WorkflowEntity<(typeof waiverStates)[number]>;

/** What the waiver workflow needs from the policy. */
export interface SecurityPolicyHolder {
  readonly security?: SecurityPolicyInput | undefined;
}

const approvers = (policy: SecurityPolicyHolder): readonly Role[] =>
  resolveParameters(policy.security ?? {}).parameters.waiverApproverRoles;

const notRequester = {
  rule: waiverRules.approverNotRequester,
  kind: 'forbidden' as const,
  check: (w: Waiver, actor: { id: string }) =>
    w.requestedBy.id === actor.id
      ? violation(waiverRules.approverNotRequester, undefined, { requester: w.requestedBy.id })
      : undefined,
};

const ReasonSchema = z.object({ reason: NonEmptyTextSchema });

/**
 * The lifecycle of a waiver: requested → active (approved by an authorised approver who is not
 * the requester, expiry within the policy's maximum) → expired or revoked; or rejected.
 *
 * @example
 * decide(waiverWorkflow, waiver, { type: 'approve' }, securityOfficer, { now, policy });
 */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own input type
export const waiverWorkflow = defineWorkflow<Waiver, SecurityPolicyHolder, any>({
  id: 'security_waiver',
  title: text('安全例外', 'Security waiver'),
  initial: 'requested',
  states: {
    requested: { title: text('已申请', 'Requested') },
    active: { title: text('生效', 'Active'), required: ['approvedBy', 'approvedAt'] },
    rejected: { title: text('已驳回', 'Rejected'), terminal: true },
    expired: { title: text('已过期', 'Expired'), terminal: true },
    revoked: { title: text('已撤销', 'Revoked'), terminal: true, required: ['closedReason'] },
  },
  fields: {
    approvedBy: text('批准人', 'Approver'),
    approvedAt: text('批准时间', 'Time of approval'),
    closedReason: text('撤销原因', 'Reason for revoking'),
  },
  commands: {
    approve: {
      title: text('批准例外', 'Approve the waiver'),
      clause: '5.3.2',
      from: ['requested'],
      to: 'active',
      roles: approvers,
      guards: [
        notRequester,
        {
          rule: waiverRules.expiryInPast,
          check: (w: Waiver, _a: unknown, ctx: { now: Date }) =>
            Date.parse(w.expiresAt) <= ctx.now.getTime()
              ? violation(waiverRules.expiryInPast, undefined, { expiresAt: w.expiresAt })
              : undefined,
        },
        {
          rule: waiverRules.expiryTooFar,
          check: (w: Waiver, _a: unknown, ctx: { now: Date; policy: SecurityPolicyHolder }) => {
            const max = resolveParameters(ctx.policy.security ?? {}).parameters.maxWaiverDays;
            return Date.parse(w.expiresAt) - ctx.now.getTime() > max * 86_400_000
              ? violation(waiverRules.expiryTooFar, undefined, { maxDays: max })
              : undefined;
          },
        },
      ],
      apply: (
        _w: Waiver,
        _i: unknown,
        actor: { id: string; name: string },
        ctx: { now: Date },
      ) => ({
        approvedBy: { id: actor.id, name: actor.name },
        approvedAt: ctx.now.toISOString(),
      }),
    },
    reject: {
      title: text('驳回例外', 'Reject the waiver'),
      clause: '5.3.2',
      from: ['requested'],
      to: 'rejected',
      roles: approvers,
      guards: [notRequester],
      input: ReasonSchema,
      apply: (_w: Waiver, input: { reason: string }) => ({ closedReason: input.reason }),
    },
    revoke: {
      title: text('撤销例外', 'Revoke the waiver'),
      clause: '5.3.2',
      from: ['requested', 'active'],
      to: 'revoked',
      roles: approvers,
      input: ReasonSchema,
      apply: (_w: Waiver, input: { reason: string }) => ({ closedReason: input.reason }),
    },
    expire: {
      title: text('例外到期', 'Expire the waiver'),
      clause: '5.3.2',
      from: ['active'],
      to: 'expired',
      roles: 'anyone',
      guards: [
        {
          rule: waiverRules.notYetExpired,
          check: (w: Waiver, _a: unknown, ctx: { now: Date }) =>
            Date.parse(w.expiresAt) > ctx.now.getTime()
              ? violation(waiverRules.notYetExpired, undefined, { expiresAt: w.expiresAt })
              : undefined,
        },
      ],
    },
  },
});

/** How waivers are stored and listed. */
export const waiverSpec: AggregateSpec<Waiver, 'state' | 'ruleId' | 'subject'> = {
  name: 'security_waiver',
  title: waiverWorkflow.title,
  schema: WaiverSchema as unknown as z.ZodType<Waiver, unknown>,
  filters: {
    state: (w) => w.state,
    ruleId: (w) => w.ruleId,
    subject: (w) => w.subject,
  },
};

/** The waiver repository port. */
export type WaiverFilter = 'state' | 'ruleId' | 'subject';
