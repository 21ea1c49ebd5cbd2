import type { ClauseId } from '../core/clauses.js';
import { type LocalizedText, text } from '../core/text.js';

/** The three kinds of department of charter 2.2. */
export const departmentKinds = ['it', 'business', 'other'] as const;

/** A kind of department. */
export type DepartmentKind = (typeof departmentKinds)[number];

/** What each kind of department does in operations. */
export const departmentCatalog: Readonly<
  Record<DepartmentKind, { title: LocalizedText; clause: ClauseId }>
> = {
  it: { title: text('信息技术部门', 'IT department'), clause: '2.2.1' },
  business: { title: text('业务部门', 'Business department'), clause: '2.2.2' },
  other: { title: text('其他部门', 'Other department'), clause: '2.2.3' },
};
