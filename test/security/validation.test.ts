import fc from 'fast-check';
import { audit, prepareAudit, validateSnapshot } from 'opscharter/security';
import { describe, expect, it } from 'vitest';
import { AT, compliantSnapshot, personal } from './fixtures.js';

const paths = (r: ReturnType<typeof audit>) => (r.ok ? [] : r.error.issues.map((i) => i.path));

describe('malformed snapshots', () => {
  it('name the bad record and field, on both paths', () => {
    const s = compliantSnapshot();
    s.accounts.push({ ...personal('bad', 'p1', 'core'), lastLoginAt: '31/03/2026' });
    for (const validated of [false, true]) {
      const r = audit(s, undefined, AT, { validated });
      expect(!r.ok && r.error.code).toBe('validation');
      expect(paths(r)).toContain('accounts.4.lastLoginAt');
    }
  });

  it('zod names enum and type errors; the fast path names what it reads', () => {
    const s = compliantSnapshot() as unknown as { accounts: Record<string, unknown>[] };
    s.accounts[1] = { ...s.accounts[1], type: 'robot', enabled: 'yes' };
    expect(paths(audit(s, undefined, AT))).toEqual(
      expect.arrayContaining(['accounts.1.type', 'accounts.1.enabled']),
    );
    expect(paths(audit(s, undefined, AT, { validated: true }))).toEqual(
      expect.arrayContaining(['accounts.1.type', 'accounts.1.enabled']),
    );
  });

  it('references to unknown records are validation errors naming the reference', () => {
    const s = compliantSnapshot();
    s.grants.push({ account: 'nobody', role: 'reader' });
    s.grants.push({ account: 'a1', role: 'no-such-role' });
    s.grants.push({ account: 'nobody', role: 'writer' });
    s.grants.push({ account: 'nobody', role: 'payer' });
    s.sodRules.push({ id: 'x', roles: ['reader', 'ghost'] });
    expect(paths(audit(s, undefined, AT))).toEqual([
      'sodRules.1.roles.1',
      'grants.6.account',
      'grants.8.account',
      'grants.9.account',
      'grants.7.role',
    ]);
    const t = compliantSnapshot();
    t.credentials.push({
      id: 'k9',
      principal: 'ghost',
      kind: 'secret',
      active: false,
      createdAt: AT,
    });
    t.restoreTests.push({ job: 'nope', at: AT, ok: true });
    t.training.push({ person: 'ghost', completedAt: AT });
    expect(paths(audit(t, undefined, AT))).toEqual([
      'credentials.1.principal',
      'restoreTests.1.job',
      'training.2.person',
    ]);
  });

  it('duplicate ids, grants naming both or neither of role and permission', () => {
    const s = compliantSnapshot();
    s.accounts.push(personal('a1', 'p1', 'core'));
    s.grants.push({ account: 'a1', role: 'reader', permission: 'x' });
    s.grants.push({ account: 'a1' });
    const r = audit(s, undefined, AT);
    expect(paths(r)).toEqual(['grants.6.role', 'grants.7.role']);
    const fast = audit(s, undefined, AT, { validated: true });
    expect(paths(fast)).toEqual(['accounts.4.id', 'grants.7.role']);
  });

  it('a snapshot that is not an object, or lacks people or accounts', () => {
    expect(paths(audit(42, undefined, AT))).toEqual(['']);
    expect(paths(audit(null, undefined, AT, { validated: true }))).toEqual(['']);
    expect(paths(audit({ people: [] }, undefined, AT))).toEqual(['accounts']);
    expect(paths(audit({ people: [], accounts: {} }, undefined, AT, { validated: true }))).toEqual([
      'accounts',
    ]);
  });

  it('stops after 100 issues', () => {
    const accounts = Array.from({ length: 500 }, (_, i) => ({ id: `x${i}` }));
    const r = validateSnapshot({ people: [], accounts });
    expect(!r.ok && r.error.issues.length).toBe(100);
  });

  it('dates are checked to the day: 30 February is not a date', () => {
    const s = compliantSnapshot();
    s.accounts[0] = { ...s.accounts[0]!, lastLoginAt: '2026-02-30T10:00:00Z' };
    expect(paths(audit(s, undefined, AT, { validated: true }))).toEqual(['accounts.0.lastLoginAt']);
    expect(paths(audit(s, undefined, AT))).toContain('accounts.0.lastLoginAt');
  });

  it('the fast path reads every ISO form the schema accepts, as the schema does', () => {
    const forms = [
      '2026-03-01T10:00:00Z',
      '2026-03-01T10:00:00.123456Z',
      '2026-03-01T10:00:00+08:00',
      '2026-03-01T10:00:00-05:30',
      '2026-03-01',
    ];
    for (const lastLoginAt of forms) {
      const s = compliantSnapshot();
      s.accounts[0] = { ...s.accounts[0]!, lastLoginAt };
      const slow = audit(s, undefined, AT);
      const fast = audit(s, undefined, AT, { validated: true });
      expect(slow.ok && fast.ok).toBe(true);
      if (slow.ok && fast.ok) expect(fast.value.findings).toEqual(slow.value.findings);
    }
  });

  it('both paths refuse an instant without seconds or with a compact offset', () => {
    for (const lastLoginAt of [
      '2026-03-01T10:00Z',
      '2026-03-01T10:00:00+0800',
      '2026-03-01t10:00:00z',
    ]) {
      const s = compliantSnapshot();
      s.accounts[0] = { ...s.accounts[0]!, lastLoginAt };
      expect(paths(audit(s, undefined, AT))).toContain('accounts.0.lastLoginAt');
      expect(paths(audit(s, undefined, AT, { validated: true }))).toEqual([
        'accounts.0.lastLoginAt',
      ]);
    }
  });

  it('prepareAudit returns the same validation error as audit', () => {
    const r = prepareAudit({ people: [{ id: 'p', status: 'gone' }], accounts: [] });
    expect(!r.ok && r.error.issues[0]?.path).toBe('people.0.status');
  });

  it('never throws, whatever it is given (property)', () => {
    const anyRecord = fc.dictionary(
      fc.constantFrom(
        'id',
        'owner',
        'type',
        'enabled',
        'lastLoginAt',
        'account',
        'role',
        'status',
        'leftAt',
        'system',
        'roles',
      ),
      fc.oneof(
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 2 }),
      ),
    );
    const snapshot = fc.record(
      {
        people: fc.oneof(fc.array(anyRecord, { maxLength: 4 }), fc.anything()),
        accounts: fc.oneof(fc.array(anyRecord, { maxLength: 4 }), fc.anything()),
        grants: fc.oneof(fc.array(anyRecord, { maxLength: 4 }), fc.anything()),
        roles: fc.array(anyRecord, { maxLength: 3 }),
        sodRules: fc.array(anyRecord, { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(snapshot, fc.boolean(), (s, validated) => {
        const r = audit(s, undefined, AT, { validated });
        if (!r.ok) {
          expect(r.error.code).toBe('validation');
          expect(r.error.issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a bad waiver is a validation error naming it', () => {
    const r = audit(compliantSnapshot(), undefined, AT, {
      waivers: [{ id: 'w', ruleId: 'x', subject: 's', expiresAt: 'soon' }],
    });
    expect(paths(r)).toEqual(['waivers.0.expiresAt']);
  });
});
