/**
 * The kernel every module shares: results and errors, violations and rules, the clause catalog,
 * clocks and ids, the workflow engine, repositories and the event sink.
 *
 * @module core
 */
export * from './clauses.js';
export * from './clock.js';
export * from './code-point-order.js';
export * from './config.js';
export * from './coverage.js';
export * from './cursor.js';
export * from './errors.js';
export * from './id.js';
export * from './list-query.js';
export * from './repository.js';
export * from './result.js';
export * from './rule.js';
export * from './schemas.js';
export * from './service.js';
export * from './sink.js';
export * from './text.js';
export * from './time.js';
export * from './violation.js';
export * from './workflow/index.js';
