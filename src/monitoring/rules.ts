import { defineRule } from '../core/rule.js';
import { text } from '../core/text.js';

/** A system metric (CPU, memory, disk I/O, bandwidth) is watched against its thresholds. */
export const systemMetricsWatched = defineRule({
  id: 'monitoring.metric.system',
  clauses: ['4.1.1'],
  severity: 'medium',
  title: text('系统性能指标须受监控', 'System performance metrics are monitored'),
});

/** An application metric (volume, response time, success rate) is watched. */
export const applicationMetricsWatched = defineRule({
  id: 'monitoring.metric.application',
  clauses: ['4.1.2'],
  severity: 'medium',
  title: text('应用系统指标须受监控', 'Application metrics are monitored'),
});

/** A network device metric (port traffic, packet loss, link utilisation) is watched. */
export const networkMetricsWatched = defineRule({
  id: 'monitoring.metric.network',
  clauses: ['4.1.3'],
  severity: 'medium',
  title: text('网络设备指标须受监控', 'Network device metrics are monitored'),
});

/** A data metric (accuracy, completeness, backup status) is watched. */
export const dataMetricsWatched = defineRule({
  id: 'monitoring.metric.data',
  clauses: ['4.1.4'],
  severity: 'medium',
  title: text('数据指标须受监控', 'Data metrics are monitored'),
});

/** Every series reports at its expected cadence; silence is reported as `no_data`. */
export const realtimeNoData = defineRule({
  id: 'monitoring.realtime.no_data',
  clauses: ['4.2.1'],
  severity: 'high',
  title: text('监控数据未按期上报', 'Monitoring data did not arrive at its expected cadence'),
});

/** Log-derived metrics (error counts from the log platform) can be alerted on. */
export const logAnomalyWatched = defineRule({
  id: 'monitoring.log.anomaly',
  clauses: ['4.2.2'],
  severity: 'medium',
  title: text('日志分析发现异常', 'The log platform found an anomaly'),
});

/** Network probe results can be alerted on. */
export const probeWatched = defineRule({
  id: 'monitoring.probe.failure',
  clauses: ['4.2.3'],
  severity: 'medium',
  title: text('网络探针探测失败', 'A network probe failed'),
});

/** A metric crossed its threshold: an alert. */
export const thresholdCrossed = defineRule({
  id: 'monitoring.threshold.crossed',
  clauses: ['4.3.1'],
  severity: 'high',
  title: text('指标超过预警阈值', 'A metric crossed its alert threshold'),
});

/** A recovery threshold must lie on the recovering side of its firing threshold. */
export const recoverySide = defineRule({
  id: 'monitoring.rule.recovery_side',
  clauses: ['4.3.1'],
  severity: 'high',
  title: text(
    '恢复阈值必须位于触发阈值的恢复一侧',
    'A recovery threshold must lie on the recovering side of its firing threshold',
  ),
});

/** The critical rung must be at least as far out as the warning rung. */
export const ladderOrder = defineRule({
  id: 'monitoring.rule.ladder_order',
  clauses: ['4.3.1'],
  severity: 'high',
  title: text(
    '严重阈值不得比警告阈值更宽松',
    'The critical threshold must not be laxer than the warning one',
  ),
});

/** A rate or increase window must span at least two expected samples. */
export const windowTooShort = defineRule({
  id: 'monitoring.rule.window_too_short',
  clauses: ['4.3.1'],
  severity: 'medium',
  title: text(
    '速率窗口须至少覆盖两个上报周期',
    'A rate or increase window must span at least two reporting intervals',
  ),
});

/** Alerts reach the people concerned through email, SMS or an in-system pop-up. */
export const alertChannels = defineRule({
  id: 'monitoring.notify.channels',
  clauses: ['4.3.2'],
  severity: 'high',
  title: text('预警须通过邮件、短信或弹窗送达', 'Alerts go out by email, SMS or pop-up'),
});

/** A repeat interval shorter than the group interval cannot take effect. */
export const repeatInterval = defineRule({
  id: 'monitoring.route.repeat_interval',
  clauses: ['4.3.2'],
  severity: 'medium',
  title: text(
    '重复通知间隔不得短于分组间隔',
    'The repeat interval must not be shorter than the group interval',
  ),
});

/** A severe alert starts the emergency process: an incident is opened, once per alert. */
export const severeOpensIncident = defineRule({
  id: 'monitoring.severe.incident',
  clauses: ['4.3.3', '3.1.1'],
  severity: 'critical',
  title: text('严重预警须立即启动应急处理', 'A severe alert starts the emergency process at once'),
});

/** Only ops staff acknowledge or silence alerts. */
export const alertHandlerRole = defineRule({
  id: 'monitoring.alert.handler_role',
  clauses: ['2.1.2', '2.1.1'],
  severity: 'medium',
  title: text('只有运维人员可以确认或静默预警', 'Only ops staff may acknowledge or silence alerts'),
});

/** Every rule of the monitoring module, for `charterCoverage`. */
export const monitoringRules = [
  alertHandlerRole,
  systemMetricsWatched,
  applicationMetricsWatched,
  networkMetricsWatched,
  dataMetricsWatched,
  realtimeNoData,
  logAnomalyWatched,
  probeWatched,
  thresholdCrossed,
  recoverySide,
  ladderOrder,
  windowTooShort,
  alertChannels,
  repeatInterval,
  severeOpensIncident,
] as const;
