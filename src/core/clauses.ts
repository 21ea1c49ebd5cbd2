import type { LocalizedText } from './text.js';

/**
 * Every clause of the operations charter (`charter.md`), numbered `section.subsection.item`
 * (三(三)4 is `3.3.4`). Rules name the clauses they enforce so that an auditor can ask which
 * code enforces a clause, and which clauses nothing enforces yet.
 */
export const clauses = {
  '1.1': { zh: '目的', en: 'Purpose' },
  '1.2': { zh: '适用范围', en: 'Scope' },
  '1.3': { zh: '基本原则', en: 'Principles' },
  '2.1.1': { zh: '运维经理职责', en: 'Ops manager duties' },
  '2.1.2': { zh: '系统运维工程师职责', en: 'System ops engineer duties' },
  '2.1.3': { zh: '网络运维工程师职责', en: 'Network ops engineer duties' },
  '2.1.4': { zh: '数据运维工程师职责', en: 'Data ops engineer duties' },
  '2.2.1': { zh: '信息技术部门职责', en: 'IT department duties' },
  '2.2.2': { zh: '业务部门职责', en: 'Business department duties' },
  '2.2.3': { zh: '其他部门职责', en: 'Other departments duties' },
  '3.1.1': { zh: '事件报告', en: 'Incident report' },
  '3.1.2': { zh: '事件评估', en: 'Incident assessment' },
  '3.1.3': { zh: '事件处理', en: 'Incident handling' },
  '3.1.4': { zh: '事件恢复与验证', en: 'Incident recovery and verification' },
  '3.1.5': { zh: '事件总结', en: 'Incident summary' },
  '3.2.1': { zh: '问题识别', en: 'Problem identification' },
  '3.2.2': { zh: '问题评估', en: 'Problem assessment' },
  '3.2.3': { zh: '问题调查与分析', en: 'Problem investigation and analysis' },
  '3.2.4': { zh: '问题解决', en: 'Problem resolution' },
  '3.2.5': { zh: '问题关闭与回顾', en: 'Problem closure and review' },
  '3.3.1': { zh: '变更申请', en: 'Change request' },
  '3.3.2': { zh: '变更评估', en: 'Change evaluation' },
  '3.3.3': { zh: '变更审批', en: 'Change approval' },
  '3.3.4': { zh: '变更实施', en: 'Change implementation' },
  '3.3.5': { zh: '变更验证与确认', en: 'Change verification and confirmation' },
  '3.3.6': { zh: '变更收尾', en: 'Change close-out' },
  '3.4.1': { zh: '发布计划制定', en: 'Release planning' },
  '3.4.2': { zh: '发布准备', en: 'Release preparation' },
  '3.4.3': { zh: '发布实施', en: 'Release execution' },
  '3.4.4': { zh: '发布验证与确认', en: 'Release verification and confirmation' },
  '3.4.5': { zh: '发布总结', en: 'Release review' },
  '4.1.1': { zh: '系统性能指标', en: 'System performance metrics' },
  '4.1.2': { zh: '应用系统指标', en: 'Application metrics' },
  '4.1.3': { zh: '网络设备指标', en: 'Network device metrics' },
  '4.1.4': { zh: '数据指标', en: 'Data metrics' },
  '4.2.1': { zh: '专业监控软件实时监控', en: 'Real-time monitoring software' },
  '4.2.2': { zh: '日志收集与分析平台', en: 'Log collection and analysis' },
  '4.2.3': { zh: '网络探针监控', en: 'Network probes' },
  '4.3.1': { zh: '预警阈值', en: 'Alert thresholds' },
  '4.3.2': { zh: '预警方式', en: 'Alert channels' },
  '4.3.3': { zh: '严重预警应急处理', en: 'Severe alert emergency handling' },
  '5.1.1': { zh: '信息安全策略', en: 'Information-security policies' },
  '5.1.2': { zh: '安全策略定期评估与更新', en: 'Periodic policy review' },
  '5.2.1': { zh: '网络边界防护', en: 'Network edge protection' },
  '5.2.2': { zh: '漏洞扫描与修复', en: 'Vulnerability scanning and fixing' },
  '5.2.3': { zh: '网络访问管理', en: 'Network access control' },
  '5.3.1': { zh: '系统加固与补丁', en: 'System hardening and patching' },
  '5.3.2': { zh: '账号与权限管理', en: 'Account and permission management' },
  '5.3.3': { zh: '系统日志管理与分析', en: 'System log management and analysis' },
  '5.4.1': { zh: '重要数据加密', en: 'Encryption of important data' },
  '5.4.2': { zh: '数据备份与恢复', en: 'Backup and restore' },
  '5.4.3': { zh: '数据访问权限控制', en: 'Data access control' },
  '5.5.1': { zh: '运维人员安全培训', en: 'Security training for ops staff' },
  '5.5.2': { zh: '全员安全意识', en: 'Security awareness for all staff' },
  '6.1.1': { zh: '招聘计划', en: 'Hiring plan' },
  '6.1.2': { zh: '招聘流程', en: 'Hiring process' },
  '6.1.3': { zh: '入职培训', en: 'Onboarding training' },
  '6.2.1': { zh: '培训计划', en: 'Training plan' },
  '6.2.2': { zh: '职业认证', en: 'Industry certifications' },
  '6.2.3': { zh: '技术档案', en: 'Technical record' },
  '6.3.1': { zh: '绩效考核', en: 'Performance appraisal' },
  '6.3.2': { zh: '考核结果应用', en: 'Use of appraisal results' },
  '6.4.1': { zh: '离职交接', en: 'Leaver handover' },
  '6.4.2': { zh: '离职账号权限清理', en: 'Leaver account and permission clean-up' },
  '6.4.3': { zh: '离职面谈', en: 'Exit interview' },
  '7.1.1': { zh: '运维手册', en: 'Ops manuals' },
  '7.1.2': { zh: '系统文档', en: 'System documents' },
  '7.1.3': { zh: '事件文档', en: 'Incident documents' },
  '7.1.4': { zh: '变更与发布文档', en: 'Change and release documents' },
  '7.1.5': { zh: '安全文档', en: 'Security documents' },
  '7.2': { zh: '文档编写与更新', en: 'Writing and updating documents' },
} as const satisfies Record<string, LocalizedText>;

/** The id of a charter clause, such as `3.3.4`. */
export type ClauseId = keyof typeof clauses;

/** Every clause id, in charter order. */
export const clauseIds = Object.keys(clauses) as readonly ClauseId[];

/**
 * Tells whether a string is a clause id of the charter.
 *
 * @example
 * isClauseId('3.3.4'); // true
 * isClauseId('9.9'); // false
 */
export function isClauseId(id: string): id is ClauseId {
  return Object.hasOwn(clauses, id);
}

/**
 * Returns the bilingual title of a clause.
 *
 * @example
 * clauseTitle('3.1.2').en; // 'Incident assessment'
 */
export function clauseTitle(id: ClauseId): LocalizedText {
  return clauses[id];
}
