import { clauseTitle, isClauseId } from '../core/clauses.js';
import type { Severity } from '../core/rule.js';
import type { AuditFinding, AuditReport } from './report.js';

const severityTitles: Readonly<Record<Severity, string>> = {
  critical: '严重 Critical',
  high: '高 High',
  medium: '中 Medium',
  low: '低 Low',
  info: '提示 Info',
};

/**
 * Renders a report as JSON, the machine-readable form to store or send.
 *
 * @example
 * fs.writeFileSync('audit.json', renderAuditJson(report));
 */
export function renderAuditJson(report: AuditReport, indent = 2): string {
  return JSON.stringify(report, null, indent);
}

const csvColumns = [
  'status',
  'severity',
  'clause',
  'rule_id',
  'subject_kind',
  'subject',
  'message_zh',
  'message_en',
  'remediation_zh',
  'remediation_en',
  'waiver',
  'waiver_expires_at',
  'missing',
] as const;

/**
 * Renders every finding, waived finding and data gap as CSV (RFC 4180, one row each), for
 * spreadsheets and ticket imports. Cells that a spreadsheet would run as a formula are quoted
 * with a leading apostrophe.
 *
 * @example
 * fs.writeFileSync('audit.csv', renderAuditCsv(report));
 */
export function renderAuditCsv(report: AuditReport): string {
  const rows: string[] = [csvColumns.join(',')];
  for (const f of [...report.findings, ...report.waived, ...report.insufficientData]) {
    rows.push(
      [
        f.status,
        f.severity,
        f.clause,
        f.ruleId,
        f.subject.kind,
        f.subject.id,
        f.message.zh,
        f.message.en,
        f.remediation.zh,
        f.remediation.en,
        f.waiver?.id ?? '',
        f.waiver?.expiresAt ?? '',
        (f.missing ?? []).join(';'),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function md(value: string): string {
  return value.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** Options of `renderAuditMarkdown`. */
export interface AuditMarkdownOptions {
  /** Findings listed per group before "and N more"; default 50. */
  readonly maxPerGroup?: number | undefined;
}

/**
 * Renders a report as Markdown with bilingual headings: summary, findings grouped by severity
 * and clause, waived findings apart, data gaps, counts per check and the parameters used.
 *
 * @example
 * console.log(renderAuditMarkdown(report));
 */
export function renderAuditMarkdown(
  report: AuditReport,
  options: AuditMarkdownOptions = {},
): string {
  const max = options.maxPerGroup ?? 50;
  const out: string[] = [];
  const s = report.summary;
  out.push('# 安全审计报告 Security audit report', '');
  out.push(`- 审计时间 Audit instant: ${report.at} (${report.zone})`);
  out.push(
    `- 参数配置 Profile: \`${report.profile}\`${report.overridden.length ? `, overridden: ${report.overridden.join(', ')}` : ''}`,
  );
  out.push(
    `- 对象 Subjects: ${s.subjects.people} people, ${s.subjects.accounts} accounts, ${s.subjects.grants} grants`,
  );
  out.push(
    `- 问题 Findings: ${s.findings}; 已豁免 Waived: ${s.waived}; 数据不足 Insufficient data: ${s.insufficientData}`,
    '',
  );
  out.push('## 按严重程度 By severity', '', '| 严重程度 Severity | 数量 Count |', '|---|---:|');
  for (const sev of ['critical', 'high', 'medium', 'low', 'info'] as const) {
    out.push(`| ${severityTitles[sev]} | ${s.bySeverity[sev]} |`);
  }
  out.push('', '## 问题 Findings', '');
  if (report.findings.length === 0) out.push('无 None.', '');
  let i = 0;
  for (const group of report.groups) {
    const title = isClauseId(group.clause) ? clauseTitle(group.clause) : { zh: '', en: '' };
    out.push(
      `### ${severityTitles[group.severity]} · ${group.clause} ${title.zh} ${title.en} (${group.count})`,
      '',
    );
    const items = report.findings.slice(i, i + group.count);
    i += group.count;
    out.push('| 规则 Rule | 对象 Subject | 说明 Finding | 处置 Remediation |', '|---|---|---|---|');
    for (const f of items.slice(0, max)) out.push(findingRow(f));
    if (items.length > max)
      out.push(`| … | | 另有 ${items.length - max} 项 and ${items.length - max} more | |`);
    out.push('');
  }
  out.push('## 已豁免 Waived', '');
  if (report.waived.length === 0) out.push('无 None.', '');
  else {
    out.push('| 规则 Rule | 对象 Subject | 例外 Waiver | 到期 Expires |', '|---|---|---|---|');
    for (const f of report.waived.slice(0, max * 4)) {
      out.push(
        `| ${f.ruleId} | ${md(f.subject.id)} | ${f.waiver?.id ?? ''} | ${f.waiver?.expiresAt ?? ''} |`,
      );
    }
    out.push('');
  }
  const expired = report.waivers.filter((w) => w.state === 'expired');
  if (expired.length > 0) {
    out.push('### 已过期的例外 Expired waivers (no longer suppress)', '');
    for (const w of expired)
      out.push(`- ${w.id}: ${w.ruleId} ${md(w.subject)} (expired ${w.expiresAt})`);
    out.push('');
  }
  out.push('## 数据不足 Insufficient data', '');
  if (report.insufficientData.length === 0) out.push('无 None.', '');
  else {
    out.push('| 规则 Rule | 对象 Subject | 缺少 Missing |', '|---|---|---|');
    for (const f of report.insufficientData.slice(0, max * 4)) {
      out.push(`| ${f.ruleId} | ${md(f.subject.id)} | ${(f.missing ?? []).join(', ')} |`);
    }
    if (report.insufficientData.length > max * 4) {
      out.push(`| … | 另有 ${report.insufficientData.length - max * 4} 项 and more | |`);
    }
    out.push('');
  }
  out.push(
    '## 各项检查 Checks',
    '',
    '| 规则 Rule | 条款 Clause | 严重程度 Severity | 通过 Pass | 不通过 Fail | 豁免 Waived | 数据不足 Insufficient | 备注 Note |',
    '|---|---|---|---:|---:|---:|---:|---|',
  );
  for (const c of report.checks) {
    const note = !c.enabled
      ? '已关闭 disabled'
      : c.missingSections.length > 0
        ? `缺少数据 no data: ${c.missingSections.join(', ')}`
        : '';
    out.push(
      `| ${c.ruleId} | ${c.clause} | ${c.severity} | ${c.pass} | ${c.fail} | ${c.waived} | ${c.insufficientData} | ${note} |`,
    );
  }
  out.push('', '## 参数 Parameters', '', '| 参数 Parameter | 值 Value |', '|---|---|');
  for (const [k, v] of Object.entries(report.parameters)) {
    out.push(`| ${k}${report.overridden.includes(k) ? ' *' : ''} | ${md(JSON.stringify(v))} |`);
  }
  out.push('');
  return out.join('\n');
}

function findingRow(f: AuditFinding): string {
  return `| ${f.ruleId} | ${md(f.subject.id)} | ${md(f.message.zh)}<br>${md(f.message.en)} | ${md(f.remediation.zh)}<br>${md(f.remediation.en)} |`;
}
