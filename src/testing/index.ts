/**
 * Helpers for consumers' tests: the repository conformance suite, runner-agnostic.
 *
 * @module testing
 */
export * from '../monitoring/testing/rule-test.js';
export * from './assert.js';
export * from './repository-conformance.js';
