import { z } from 'zod';
import type { ClauseId } from '../core/clauses.js';
import { fromZodError, type ValidationError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { type LocalizedText, text } from '../core/text.js';
import { DurationSchema } from './duration.js';

/** The comparators a rule may use. */
export const comparators = ['>', '>=', '<', '<=', '==', '!='] as const;
/** A comparator: the condition is `value <comparator> threshold`. */
export type Comparator = (typeof comparators)[number];

/** Where a metric comes from, and the charter clause that names it. */
export const metricCategories = [
  'system',
  'application',
  'network',
  'data',
  'log',
  'probe',
] as const;
/** A metric category. */
export type MetricCategory = (typeof metricCategories)[number];

/** The clause each category enforces. */
export const categoryClause: Readonly<Record<MetricCategory, ClauseId>> = {
  system: '4.1.1',
  application: '4.1.2',
  network: '4.1.3',
  data: '4.1.4',
  log: '4.2.2',
  probe: '4.2.3',
};

/** A metric definition as a consumer writes it. */
export const MetricDefinitionSchema = z.object({
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_.:]*$/),
  title: z.object({ zh: z.string().min(1), en: z.string().min(1) }),
  category: z.enum(metricCategories),
  unit: z.string().min(1),
  kind: z.enum(['gauge', 'counter']),
  /** How often a sample is expected; silence beyond `noDataAfter` is `no_data`. */
  cadence: DurationSchema,
  /** Silence that counts as `no_data`; default three cadences. */
  noDataAfter: DurationSchema.optional(),
  /** Default thresholds: fire when `value <comparator> warning|critical`. */
  thresholds: z
    .object({
      comparator: z.enum(comparators),
      warning: z.number().optional(),
      critical: z.number().optional(),
    })
    .optional(),
});

/** A metric of the catalog, validated. */
export interface MetricDefinition {
  readonly name: string;
  readonly title: LocalizedText;
  readonly category: MetricCategory;
  readonly unit: string;
  readonly kind: 'gauge' | 'counter';
  /** Expected reporting interval, milliseconds. */
  readonly cadence: number;
  /** Silence that counts as `no_data`, milliseconds. */
  readonly noDataAfter: number;
  readonly thresholds?:
    | {
        readonly comparator: Comparator;
        readonly warning?: number | undefined;
        readonly critical?: number | undefined;
      }
    | undefined;
}

/** A metric as a consumer writes it (durations as `15s` or milliseconds). */
export type MetricDefinitionInput = z.input<typeof MetricDefinitionSchema>;

/** Metrics by name. */
export interface MetricCatalog {
  readonly metrics: ReadonlyMap<string, MetricDefinition>;
  get(name: string): MetricDefinition | undefined;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;

function m(
  name: string,
  zh: string,
  en: string,
  category: MetricCategory,
  unit: string,
  kind: 'gauge' | 'counter',
  cadence: number,
  thresholds?: MetricDefinition['thresholds'],
): MetricDefinition {
  return {
    name,
    title: text(zh, en),
    category,
    unit,
    kind,
    cadence,
    noDataAfter: 3 * cadence,
    ...(thresholds ? { thresholds } : {}),
  };
}

/**
 * Every metric the charter names (4.1.1 to 4.1.4, plus log and probe metrics of 4.2.2 and
 * 4.2.3), with unit, kind, expected cadence and a default warning/critical pair.
 */
export const builtinMetrics: readonly MetricDefinition[] = [
  m('system.cpu.usage', 'CPU 使用率', 'CPU usage', 'system', '%', 'gauge', 15 * S, {
    comparator: '>',
    warning: 80,
    critical: 90,
  }),
  m('system.memory.usage', '内存使用率', 'Memory usage', 'system', '%', 'gauge', 15 * S, {
    comparator: '>',
    warning: 85,
    critical: 95,
  }),
  m(
    'system.disk.io.utilisation',
    '磁盘 I/O 繁忙率',
    'Disk I/O utilisation',
    'system',
    '%',
    'gauge',
    15 * S,
    {
      comparator: '>',
      warning: 80,
      critical: 95,
    },
  ),
  m(
    'system.network.bandwidth.usage',
    '网络带宽使用率',
    'Network bandwidth usage',
    'system',
    '%',
    'gauge',
    15 * S,
    {
      comparator: '>',
      warning: 70,
      critical: 90,
    },
  ),
  m(
    'app.transactions.total',
    '交易总量',
    'Transactions (total)',
    'application',
    'count',
    'counter',
    30 * S,
  ),
  m(
    'app.transactions.succeeded',
    '成功交易量',
    'Transactions (succeeded)',
    'application',
    'count',
    'counter',
    30 * S,
  ),
  m(
    'app.transaction.volume',
    '交易量',
    'Transaction volume',
    'application',
    'tx/s',
    'gauge',
    30 * S,
    {
      comparator: '<',
      warning: 5,
      critical: 1,
    },
  ),
  m('app.response.time', '响应时间', 'Response time', 'application', 'ms', 'gauge', 30 * S, {
    comparator: '>',
    warning: 1000,
    critical: 3000,
  }),
  m('app.success.rate', '交易成功率', 'Success rate', 'application', '%', 'gauge', 30 * S, {
    comparator: '<',
    warning: 99,
    critical: 95,
  }),
  m('network.port.traffic', '端口流量', 'Port traffic', 'network', 'bit/s', 'gauge', 30 * S, {
    comparator: '>',
    warning: 800e6,
    critical: 950e6,
  }),
  m('network.packet.loss', '丢包率', 'Packet loss', 'network', '%', 'gauge', 30 * S, {
    comparator: '>',
    warning: 1,
    critical: 5,
  }),
  m(
    'network.link.used',
    '链路已用带宽',
    'Link bandwidth used',
    'network',
    'bit/s',
    'gauge',
    30 * S,
  ),
  m('network.link.capacity', '链路容量', 'Link capacity', 'network', 'bit/s', 'gauge', 30 * S),
  m('network.link.utilisation', '链路利用率', 'Link utilisation', 'network', '%', 'gauge', 30 * S, {
    comparator: '>',
    warning: 70,
    critical: 90,
  }),
  m('data.accuracy', '数据准确率', 'Data accuracy', 'data', '%', 'gauge', H, {
    comparator: '<',
    warning: 99.9,
    critical: 99,
  }),
  m('data.completeness', '数据完整率', 'Data completeness', 'data', '%', 'gauge', H, {
    comparator: '<',
    warning: 99.5,
    critical: 98,
  }),
  m(
    'data.backup.last_success_age',
    '距上次成功备份时长',
    'Age of last successful backup',
    'data',
    's',
    'gauge',
    24 * H,
    {
      comparator: '>',
      warning: 26 * 3600,
      critical: 50 * 3600,
    },
  ),
  m(
    'data.backup.last_result',
    '最近一次备份结果(1 成功 0 失败)',
    'Last backup result (1 ok, 0 failed)',
    'data',
    'bool',
    'gauge',
    24 * H,
    {
      comparator: '<',
      critical: 1,
    },
  ),
  m('log.errors.total', '日志错误数', 'Log errors', 'log', 'count', 'counter', M),
  m('probe.success', '探针探测成功(1/0)', 'Probe success (1/0)', 'probe', 'bool', 'gauge', 30 * S, {
    comparator: '<',
    critical: 1,
  }),
];

/**
 * Builds the metric catalog: the built-in metrics plus the consumer's own (a consumer's metric
 * with a built-in name replaces it). Malformed metrics are a `validation` error naming the field.
 *
 * @example
 * const catalog = unwrap(defineMetricCatalog([
 *   { name: 'queue.depth', title: { zh: '队列深度', en: 'Queue depth' }, category: 'application',
 *     unit: 'messages', kind: 'gauge', cadence: '30s', thresholds: { comparator: '>', warning: 1000 } },
 * ]));
 */
export function defineMetricCatalog(
  extra: readonly MetricDefinitionInput[] = [],
): Result<MetricCatalog, ValidationError> {
  const parsed = z.array(MetricDefinitionSchema).safeParse(extra);
  if (!parsed.success) return err(fromZodError(parsed.error));
  const metrics = new Map<string, MetricDefinition>();
  for (const def of builtinMetrics) metrics.set(def.name, def);
  for (const def of parsed.data) {
    const { noDataAfter, thresholds, title, ...rest } = def;
    metrics.set(def.name, {
      ...rest,
      title: text(title.zh, title.en),
      noDataAfter: noDataAfter ?? 3 * def.cadence,
      ...(thresholds ? { thresholds } : {}),
    });
  }
  return ok({ metrics, get: (name) => metrics.get(name) });
}

let defaultCatalog: MetricCatalog | undefined;

/**
 * The catalog of built-in metrics only.
 *
 * @example
 * builtinCatalog().get('system.cpu.usage')?.thresholds; // { comparator: '>', warning: 80, critical: 90 }
 */
export function builtinCatalog(): MetricCatalog {
  if (!defaultCatalog) {
    const metrics = new Map(builtinMetrics.map((d) => [d.name, d] as const));
    defaultCatalog = { metrics, get: (name) => metrics.get(name) };
  }
  return defaultCatalog;
}
