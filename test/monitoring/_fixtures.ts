import type { MetricDefinitionInput } from 'opscharter/monitoring';

/** Test metrics reported every minute, so that a 1m evaluation interval sees every point. */
export const testMetrics: MetricDefinitionInput[] = [
  {
    name: 'test.gauge',
    title: { zh: '测试', en: 'Test gauge' },
    category: 'system',
    unit: '%',
    kind: 'gauge',
    cadence: '1m',
  },
  {
    name: 'test.ok',
    title: { zh: '成功', en: 'OK' },
    category: 'application',
    unit: 'count',
    kind: 'gauge',
    cadence: '1m',
  },
  {
    name: 'test.all',
    title: { zh: '总数', en: 'All' },
    category: 'application',
    unit: 'count',
    kind: 'gauge',
    cadence: '1m',
  },
  {
    name: 'test.counter',
    title: { zh: '计数', en: 'Counter' },
    category: 'application',
    unit: 'count',
    kind: 'counter',
    cadence: '1m',
  },
];
