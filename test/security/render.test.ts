import { charterCoverage } from 'opscharter';
import {
  audit,
  cisV8Profile,
  diffReports,
  mlpsProfile,
  renderAuditCsv,
  renderAuditJson,
  renderAuditMarkdown,
  resolveParameters,
  securityCheckList,
  securityRules,
} from 'opscharter/security';
import { describe, expect, it } from 'vitest';
import { AT, compliantSnapshot, daysAgo, personal } from './fixtures.js';

function messy() {
  const s = compliantSnapshot();
  s.people[1] = { ...s.people[1]!, status: 'left', leftAt: daysAgo(10) };
  s.accounts.push({
    ...personal('o1', 'p1', 'core'),
    owner: null,
    lastLoginAt: '=cmd|calc' as never,
  });
  s.accounts.push({ ...personal('sh,1', 'p1', 'core'), type: 'shared' });
  return s;
}

describe('renderers', () => {
  const bad = audit(messy(), undefined, AT);
  it('refuses formula-looking times before rendering anything', () => {
    expect(!bad.ok && bad.error.issues[0]?.path).toBe('accounts.4.lastLoginAt');
  });
  const s = messy();
  s.accounts[4] = { ...s.accounts[4]!, lastLoginAt: daysAgo(1) };
  const r = audit(s, undefined, AT, {
    waivers: [
      {
        id: 'W1',
        ruleId: 'security.account.shared_enabled',
        subject: 'sh,1',
        expiresAt: '2026-05-01T00:00:00Z',
      },
      {
        id: 'W0',
        ruleId: 'security.orphan.no_owner',
        subject: 'o1',
        expiresAt: '2026-03-01T00:00:00Z',
      },
    ],
  });
  if (!r.ok) throw new Error('audit');
  const report = r.value;

  it('JSON round-trips', () => {
    expect(JSON.parse(renderAuditJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('CSV has one row per listed subject, quoted where needed', () => {
    const csv = renderAuditCsv(report);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'status,severity,clause,rule_id,subject_kind,subject,message_zh,message_en,remediation_zh,remediation_en,waiver,waiver_expires_at,missing',
    );
    expect(lines.length).toBe(
      1 + report.findings.length + report.waived.length + report.insufficientData.length,
    );
    expect(csv).toContain('"sh,1"');
    expect(csv).toContain('waived,high,5.3.2,security.account.shared_enabled');
  });

  it('CSV defuses cells a spreadsheet would run', () => {
    const t = compliantSnapshot();
    t.accounts.push({ ...personal('=HYPERLINK("x")', 'p1', 'core'), owner: null });
    const rr = audit(t, undefined, AT);
    if (!rr.ok) throw new Error('audit');
    expect(renderAuditCsv(rr.value)).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('Markdown has bilingual headings, groups, waived apart, expired waivers and parameters', () => {
    const md = renderAuditMarkdown(report);
    expect(md).toContain('# 安全审计报告 Security audit report');
    expect(md).toContain(
      '### 严重 Critical · 6.4.2 离职账号权限清理 Leaver account and permission clean-up',
    );
    expect(md).toContain('## 已豁免 Waived');
    expect(md).toContain('| security.account.shared_enabled | sh,1 | W1 |');
    expect(md).toContain('W0: security.orphan.no_owner o1');
    expect(md).toContain('| dormantDays | 90 |');
    expect(md).toContain('`mlps-l3`');
  });

  it('Markdown caps long groups and says how many more', () => {
    const t = compliantSnapshot();
    for (let i = 0; i < 7; i++)
      t.accounts.push({ ...personal(`o${i}`, 'p1', 'core'), owner: null });
    const rr = audit(t, undefined, AT);
    if (!rr.ok) throw new Error('audit');
    expect(renderAuditMarkdown(rr.value, { maxPerGroup: 3 })).toContain('and 4 more');
    const clean = audit(compliantSnapshot(), { overrides: { passwordMaxAgeDays: null } }, AT);
    if (!clean.ok) throw new Error('audit');
    const md = renderAuditMarkdown(clean.value);
    expect(md).toContain('无 None.');
    expect(md).toContain('已关闭 disabled');
    expect(md).toContain('passwordMaxAgeDays *');
  });
});

describe('diffReports', () => {
  it('new, resolved and persisting findings', () => {
    const s1 = compliantSnapshot();
    s1.accounts.push({ ...personal('o1', 'p1', 'core'), owner: null });
    s1.accounts.push({ ...personal('o2', 'p1', 'core'), owner: null });
    const s2 = compliantSnapshot();
    s2.accounts.push({ ...personal('o2', 'p1', 'core'), owner: null });
    s2.accounts.push({ ...personal('o3', 'p1', 'core'), owner: null });
    const a = audit(s1, undefined, AT);
    const b = audit(s2, undefined, AT, {
      waivers: [
        {
          id: 'W',
          ruleId: 'security.orphan.no_owner',
          subject: 'o1',
          expiresAt: '2026-09-01T00:00:00Z',
        },
      ],
    });
    if (!a.ok || !b.ok) throw new Error('audit');
    const d = diffReports(a.value, b.value);
    expect(d.new.map((f) => f.subject.id)).toEqual(['o3']);
    expect(d.resolved.map((f) => f.subject.id)).toEqual(['o1']);
    expect(d.persisting.map((f) => f.subject.id)).toEqual(['o2']);
    expect(d.nowWaived).toEqual([]);
  });
});

describe('profiles and rules', () => {
  it('every parameter the checks read is in both profiles, with a source for the numbers', () => {
    for (const profile of [mlpsProfile, cisV8Profile]) {
      for (const c of securityCheckList) {
        for (const p of c.parameters) expect(profile.parameters).toHaveProperty(p);
      }
      expect(Object.keys(profile.sources).length).toBeGreaterThan(8);
    }
    expect(mlpsProfile.parameters.dormantDays).toBe(90);
    expect(cisV8Profile.parameters.dormantDays).toBe(45);
    expect(resolveParameters({ profile: 'cis-v8', overrides: { dormantDays: 30 } })).toMatchObject({
      profile: 'cis-v8',
      overridden: ['dormantDays'],
      parameters: { dormantDays: 30, restoreTestDays: 90 },
    });
  });

  it('rules have unique ids and are in the charter coverage', () => {
    const ids = securityRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const coverage = charterCoverage();
    for (const clause of [
      '5.1.1',
      '5.1.2',
      '5.2.2',
      '5.3.1',
      '5.3.2',
      '5.4.1',
      '5.4.2',
      '5.5.1',
      '6.4.2',
    ]) {
      expect(coverage.unenforced).not.toContain(clause);
    }
  });
});
