/**
 * Charter module `change`: under construction in its own issue.
 *
 * @module change
 */
export {};
