/**
 * Charter section 4: the metric catalog, alert rules, a streaming evaluator with Prometheus
 * semantics, and alert routing, grouping, acknowledgement and silencing.
 *
 * @module monitoring
 */
export * from './alert-rule.js';
export * from './catalog.js';
export * from './dispatcher.js';
export * from './duration.js';
export * from './evaluator.js';
export * from './policy.js';
export * from './rules.js';
export * from './service.js';
export * from './silence.js';
