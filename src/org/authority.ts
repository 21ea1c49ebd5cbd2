import { type LocalizedText, text } from '../core/text.js';

/**
 * Levels of approval authority (3.3.3), lowest first. A level can approve what any lower level
 * can; the change policy says which level each risk needs.
 */
export const authorityLevels = [
  'staff',
  'manager',
  'department_head',
  'leadership',
  'executive',
] as const;

/** A level of approval authority. */
export type AuthorityLevel = (typeof authorityLevels)[number];

/** Bilingual titles of the authority levels. */
export const authorityLevelTitles: Readonly<Record<AuthorityLevel, LocalizedText>> = {
  staff: text('员工', 'Staff'),
  manager: text('经理', 'Manager'),
  department_head: text('部门负责人', 'Department head'),
  leadership: text('公司分管领导', 'Leadership'),
  executive: text('公司高管', 'Executive'),
};

/**
 * The rank of a level: 0 for staff up to 4 for executive.
 *
 * @example
 * authorityRank('department_head'); // 2
 */
export function authorityRank(level: AuthorityLevel): number {
  return authorityLevels.indexOf(level);
}

/**
 * Tells whether a level is at least another.
 *
 * @example
 * hasAuthority('leadership', 'department_head'); // true
 */
export function hasAuthority(level: AuthorityLevel, required: AuthorityLevel): boolean {
  return authorityRank(level) >= authorityRank(required);
}
