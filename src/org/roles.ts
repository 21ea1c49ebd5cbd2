import type { ClauseId } from '../core/clauses.js';
import { type LocalizedText, text } from '../core/text.js';

/**
 * The roles of charter section 2, and the leadership roles that approve changes (3.3.3).
 * A person may hold several.
 */
export const roles = [
  'ops_manager',
  'system_engineer',
  'network_engineer',
  'data_engineer',
  'it_staff',
  'it_head',
  'business_user',
  'business_manager',
  'employee',
  'cio',
  'executive',
  'cab_member',
  'security_officer',
  'auditor',
] as const;

/** A role a person holds. */
export type Role = (typeof roles)[number];

/** What each role is, and the clause that defines it. */
export const roleCatalog: Readonly<Record<Role, { title: LocalizedText; clause: ClauseId }>> = {
  ops_manager: { title: text('运维经理', 'Ops manager'), clause: '2.1.1' },
  system_engineer: { title: text('系统运维工程师', 'System ops engineer'), clause: '2.1.2' },
  network_engineer: { title: text('网络运维工程师', 'Network ops engineer'), clause: '2.1.3' },
  data_engineer: { title: text('数据运维工程师', 'Data ops engineer'), clause: '2.1.4' },
  it_staff: { title: text('信息技术部门人员', 'IT department staff'), clause: '2.2.1' },
  it_head: { title: text('信息技术部门负责人', 'Head of IT department'), clause: '2.2.1' },
  business_user: { title: text('业务部门人员', 'Business department staff'), clause: '2.2.2' },
  business_manager: {
    title: text('业务部门负责人', 'Business department manager'),
    clause: '2.2.2',
  },
  employee: { title: text('其他部门人员', 'Staff of other departments'), clause: '2.2.3' },
  cio: { title: text('首席信息官', 'Chief information officer'), clause: '3.3.3' },
  executive: { title: text('公司领导', 'Executive'), clause: '3.3.3' },
  cab_member: {
    title: text('变更咨询委员会成员', 'Change advisory board member'),
    clause: '3.3.3',
  },
  security_officer: { title: text('信息安全负责人', 'Security officer'), clause: '5.1.1' },
  auditor: { title: text('审计人员', 'Auditor'), clause: '5.3.2' },
};

/** The ops engineers of 2.1.2 to 2.1.4: who handles incidents, implements changes. */
export const engineerRoles: readonly Role[] = [
  'system_engineer',
  'network_engineer',
  'data_engineer',
];
