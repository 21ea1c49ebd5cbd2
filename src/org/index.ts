/**
 * The organisation of charter section 2: roles, departments, authority levels and actors.
 *
 * @module org
 */
export * from './actor.js';
export * from './authority.js';
export * from './departments.js';
export * from './roles.js';
