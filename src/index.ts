/**
 * opscharter: an insurance company's IT operations charter as executable policy.
 *
 * @module opscharter
 */
export * from './alert-incidents.js';
export * from './change/index.js';
export * from './change-windows.js';
export * from './core/index.js';
export * from './incident/index.js';
export * from './monitoring/index.js';
export * from './ops.js';
export * from './org/index.js';
export * from './policy.js';
export * from './rules.js';
export * from './security/index.js';
