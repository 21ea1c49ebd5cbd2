/**
 * Charter module `monitoring`: under construction in its own issue.
 *
 * @module monitoring
 */
export {};
