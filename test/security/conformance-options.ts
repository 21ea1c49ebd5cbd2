import type { Actor } from 'opscharter';
import { createEntity } from 'opscharter/core';
import type { StoredReport, StoredReportFilter, Waiver, WaiverFilter } from 'opscharter/security';
import type { RepositoryConformanceOptions } from 'opscharter/testing';

const auditor: Actor = {
  id: 'u-aud',
  name: '周审计',
  department: 'audit',
  departmentKind: 'other',
  roles: ['auditor'],
  level: 'staff',
};
const officer: Actor = {
  id: 'u-sec',
  name: '陈安全',
  department: 'it',
  departmentKind: 'it',
  roles: ['security_officer'],
  level: 'manager',
};

// The repositories of both aggregates pass the conformance suite.
const t0 = Date.parse('2026-01-01T00:00:00Z');
const at = (n: number) => new Date(t0 + n * 60_000);

/** The conformance options of the waiver aggregate, shared by every store's test. */
export const waiverConformance: Omit<
  RepositoryConformanceOptions<Waiver, WaiverFilter>,
  'name' | 'makeRepository'
> = {
  makeEntity: (n) =>
    createEntity<Waiver>(
      'security_waiver',
      'requested',
      'request',
      {
        id: `WVR-${n}`,
        ruleId: n % 2 ? 'security.account.shared_enabled' : 'security.account.default_enabled',
        subject: `acc-${n % 3}`,
        reason: 'r',
        expiresAt: '2026-12-31T00:00:00.000Z',
        requestedBy: { id: 'u1', name: 'U' },
      } as Omit<Waiver, 'state' | 'version' | 'createdAt' | 'updatedAt' | 'history'>,
      officer,
      at(n),
    ).entity,
  advance: (w, n) => ({
    ...w,
    history: [
      ...w.history,
      {
        seq: w.history.length + 1,
        at: at(1000 + n).toISOString(),
        actor: { id: 'u2', name: 'V' },
        command: 'note',
        from: w.state,
        to: w.state,
      },
    ],
  }),
  filterCases: [
    {
      where: { ruleId: 'security.account.shared_enabled' },
      matches: (w) => w.ruleId === 'security.account.shared_enabled',
    },
    { where: { subject: ['acc-0', 'acc-2'] }, matches: (w) => w.subject !== 'acc-1' },
    { where: { state: 'requested' }, matches: () => true },
  ],
  makeInvalid: (n) => ({ id: `WVR-${n}`, state: 'requested', expiresAt: 'never' }),
};

/** The conformance options of the stored audit report aggregate. */
export const storedReportConformance: Omit<
  RepositoryConformanceOptions<StoredReport, StoredReportFilter>,
  'name' | 'makeRepository'
> = {
  makeEntity: (n) =>
    createEntity<StoredReport>(
      'security_report',
      'recorded',
      'run',
      {
        id: `AUD-${n}`,
        at: at(n).toISOString(),
        profile: n % 2 ? 'cis-v8' : 'mlps-l3',
        findings: n,
        critical: 0,
        report: { at: at(n).toISOString(), findings: [] } as never,
      },
      auditor,
      at(n),
    ).entity,
  advance: (r, n) => ({
    ...r,
    history: [
      ...r.history,
      {
        seq: r.history.length + 1,
        at: at(1000 + n).toISOString(),
        actor: { id: 'u2', name: 'V' },
        command: 'note',
        from: r.state,
        to: r.state,
      },
    ],
  }),
  filterCases: [
    { where: { profile: 'cis-v8' }, matches: (r) => r.profile === 'cis-v8' },
    { where: { state: ['recorded', 'acknowledged'] }, matches: () => true },
  ],
  makeInvalid: (n) => ({ id: `AUD-${n}`, report: 'not a report' }),
};
