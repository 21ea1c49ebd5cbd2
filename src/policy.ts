import { z } from 'zod';
import { ChangePolicySchema } from './change/policy.js';
import { parsePolicy } from './core/config.js';
import { IncidentPolicySchema } from './incident/policy.js';
import { MonitoringPolicySchema } from './monitoring/policy.js';
import { SecurityPolicySchema } from './security/parameters.js';

/**
 * The whole policy: one section per module, each with defaults from the charter and common
 * practice. Every field has a default, so `definePolicy()` with no argument is the charter as is.
 */
export const PolicySchema = z.object({
  incident: IncidentPolicySchema.prefault({}),
  change: ChangePolicySchema.prefault({}),
  monitoring: MonitoringPolicySchema.prefault({}),
  security: SecurityPolicySchema.prefault({}),
});

/** A validated, frozen policy. */
export type Policy = z.infer<typeof PolicySchema>;

/** What a consumer may override: any part of the policy, the rest from the defaults. */
export type PolicyInput = z.input<typeof PolicySchema>;

/**
 * Validates policy overrides once, fills in the defaults, and freezes the result. A bad policy
 * is a programmer error at start-up, so it throws, naming every bad field.
 *
 * @example
 * const policy = definePolicy({ incident: { sla: { warningAt: 0.8 } } });
 */
export function definePolicy(overrides: PolicyInput = {}): Policy {
  return parsePolicy('definePolicy', PolicySchema, overrides);
}
