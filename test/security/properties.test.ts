import fc from 'fast-check';
import { type AuditReport, audit } from 'opscharter/security';
import { describe, expect, it } from 'vitest';
import { AT, compliantSnapshot, daysAgo, grant, personal } from './fixtures.js';

function run(s: unknown, waivers: Parameters<typeof audit>[3] = {}, at = AT): AuditReport {
  const r = audit(s, undefined, at, waivers);
  if (!r.ok) throw new Error(JSON.stringify(r.error.issues));
  return r.value;
}

/** A company with a random mix of problems: leavers, dormancy, orphans, SoD, MFA gaps. */
const messyCompany = fc
  .record({
    people: fc.array(
      fc.record({ left: fc.boolean(), leftDays: fc.integer({ min: 0, max: 200 }) }),
      { minLength: 1, maxLength: 8 },
    ),
    accounts: fc.array(
      fc.record({
        owner: fc.integer({ min: -2, max: 7 }),
        loginDays: fc.option(fc.integer({ min: 0, max: 400 })),
        enabled: fc.boolean(),
        mfa: fc.boolean(),
        type: fc.constantFrom('personal', 'shared', 'service', 'default'),
        roles: fc.array(fc.constantFrom('reader', 'writer', 'payer', 'approver', 'dba'), {
          maxLength: 3,
        }),
        useDays: fc.integer({ min: 0, max: 200 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ people, accounts }) => {
    const s = compliantSnapshot();
    s.people = people.map((p, i) => ({
      id: `q${i}`,
      status: p.left ? ('left' as const) : ('active' as const),
      departmentKind: 'it' as const,
      leftAt: p.left ? daysAgo(p.leftDays) : null,
    }));
    s.training = s.people.map((p) => ({ person: p.id, completedAt: daysAgo(10) }));
    s.accounts = accounts.map((a, i) => ({
      ...personal(`acc${i}`, '', 'core'),
      owner:
        a.owner === -2 ? 'ghost' : a.owner < 0 || a.owner >= people.length ? null : `q${a.owner}`,
      lastLoginAt: a.loginDays === null ? null : daysAgo(a.loginDays),
      enabled: a.enabled,
      mfa: a.mfa,
      type: a.type,
      interactiveLogin: a.type === 'service' ? false : undefined,
    }));
    s.grants = accounts.flatMap((a, i) =>
      [...new Set(a.roles)].map((role) => ({
        ...grant(`acc${i}`, role),
        lastUsedAt: daysAgo(a.useDays),
      })),
    );
    s.credentials = [];
    return s;
  });

describe('invariants', () => {
  it('adding an unrelated compliant account never adds a finding', () => {
    fc.assert(
      fc.property(messyCompany, (s) => {
        const before = run(s);
        s.people.push({ id: 'newcomer', status: 'active', departmentKind: 'it' });
        s.training.push({ person: 'newcomer', completedAt: daysAgo(1) });
        s.accounts.push(personal('new-acc', 'newcomer', 'core'));
        s.grants.push(grant('new-acc', 'reader'));
        const after = run(s);
        expect(after.findings.map((f) => f.key)).toEqual(before.findings.map((f) => f.key));
        expect(after.insufficientData.length).toBe(before.insufficientData.length);
      }),
      { numRuns: 150 },
    );
  });

  it("the report's counts equal its findings", () => {
    fc.assert(
      fc.property(messyCompany, (s) => {
        const r = run(s);
        for (const c of r.checks) {
          expect(c.fail).toBe(r.findings.filter((f) => f.ruleId === c.ruleId).length);
          expect(c.waived).toBe(r.waived.filter((f) => f.ruleId === c.ruleId).length);
          expect(c.insufficientData).toBe(
            r.insufficientData.filter((f) => f.ruleId === c.ruleId).length,
          );
        }
        expect(r.summary.findings).toBe(r.findings.length);
        const bySeverity = Object.values(r.summary.bySeverity).reduce((a, b) => a + b, 0);
        expect(bySeverity).toBe(r.findings.length);
        expect(r.groups.reduce((n, g) => n + g.count, 0)).toBe(r.findings.length);
      }),
      { numRuns: 150 },
    );
  });

  it('a waiver never hides a finding after its expiry', () => {
    fc.assert(
      fc.property(
        messyCompany,
        fc.integer({ min: -30, max: 30 }),
        fc.nat(),
        (s, expiryOffsetDays, pick) => {
          const plain = run(s);
          if (plain.findings.length === 0) return;
          const target = plain.findings[pick % plain.findings.length]!;
          const expiresAt = new Date(Date.parse(AT) + expiryOffsetDays * 86_400_000).toISOString();
          const waivers = [
            { id: 'w1', ruleId: target.ruleId, subject: target.subject.id, expiresAt },
          ];
          const r = run(s, { waivers });
          const hidden = !r.findings.some((f) => f.key === target.key);
          if (Date.parse(expiresAt) <= Date.parse(AT)) {
            expect(hidden).toBe(false);
            expect(r.waivers[0]?.state).toBe('expired');
          } else {
            expect(hidden).toBe(true);
            expect(r.waived.map((f) => f.key)).toContain(target.key);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
