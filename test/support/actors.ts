import type { Actor } from 'opscharter/org';

/** People of a small insurer's IT department, for tests. */
export const people = {
  reporter: {
    id: 'u-biz-1',
    name: '李娜',
    department: 'claims',
    departmentKind: 'business',
    roles: ['business_user'],
    level: 'staff',
  },
  opsManager: {
    id: 'u-ops-1',
    name: '王强',
    department: 'it',
    departmentKind: 'it',
    roles: ['ops_manager'],
    level: 'manager',
  },
  engineer: {
    id: 'u-ops-2',
    name: '张伟',
    department: 'it',
    departmentKind: 'it',
    roles: ['system_engineer'],
    level: 'staff',
  },
  leaver: {
    id: 'u-ops-9',
    name: '赵敏',
    department: 'it',
    departmentKind: 'it',
    roles: ['ops_manager'],
    level: 'manager',
    status: 'left',
  },
} satisfies Record<string, Actor>;
