/**
 * Charter module `security`: under construction in its own issue.
 *
 * @module security
 */
export {};
