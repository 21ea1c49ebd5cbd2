/**
 * Change management, charter 3.3: the change request and its lifecycle, computed risk, the
 * approval-authority policy engine (`canApprove`, `requiredApprovals`), separation of duties,
 * delegation, freeze calendar and scheduling checks, emergency and standard changes, and the
 * regulator's figures.
 *
 * @module change
 */
export * from './authority.js';
export * from './calendar.js';
export * from './fingerprint.js';
export * from './model.js';
export * from './oversight.js';
export * from './policy.js';
export * from './repository.js';
export * from './risk.js';
export * from './rules.js';
export * from './separation.js';
export * from './service.js';
export * from './workflow.js';
