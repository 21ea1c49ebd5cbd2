/**
 * Charter section 5 and clause 6.4.2: the account and permission audit (leavers, dormant,
 * orphan, shared and default accounts, privileged access, least privilege, credentials,
 * separation of duties, passwords, access reviews) and the security-policy checks (patches,
 * vulnerabilities, backups, encryption, policy reviews, training), with waivers, named
 * parameter profiles, renderers and a report diff. Built for large inventories: the snapshot
 * is validated at the boundary, then laid out in dictionary-encoded, owner-grouped columns.
 *
 * @module security
 */
import type { Rule } from '../core/rule.js';
import { securityCheckList, waiverRules } from './rules.js';
import { reportWorkflow } from './stored-report.js';
import { waiverWorkflow } from './waiver.js';

export * from './audit.js';
export type { AuditColumns, IdIndex } from './columns.js';
export * from './diff.js';
export * from './id.js';
export * from './model.js';
export * from './parameters.js';
export * from './render.js';
export * from './report.js';
export * from './rules.js';
export * from './service.js';
export * from './stored-report.js';
export type { TimeReader } from './time.js';
export * from './waiver.js';

/** Every rule the security module enforces: the audit checks and the waiver and report workflows. */
export const securityRules: readonly Rule[] = [
  ...securityCheckList,
  ...Object.values(waiverRules).filter((r) => !waiverWorkflow.rules.some((w) => w.id === r.id)),
  ...waiverWorkflow.rules,
  ...reportWorkflow.rules,
];
