import {
  conflict,
  defineRule,
  err,
  forbidden,
  formatViolations,
  fromZodError,
  invalidTransition,
  notFound,
  ok,
  policyViolation,
  text,
  unwrap,
  violation,
} from 'opscharter/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const schema = z
  .object({
    title: z.string().min(3).max(5),
    count: z.number().int().min(1).max(9).multipleOf(2),
    kind: z.enum(['a', 'b']),
    when: z.iso.datetime(),
    tags: z.array(z.string()).min(1),
    either: z.union([z.string(), z.number()]),
    map: z.record(z.string().regex(/^k/), z.number()),
    checked: z
      .string()
      .refine((s) => s === 'yes', { message: 'must be yes', params: { zh: '必须为 yes' } }),
  })
  .strict();

describe('errors', () => {
  it('maps every zod issue to a path and a message in both languages', () => {
    const parsed = schema.safeParse({
      title: 'x',
      count: 11,
      kind: 'c',
      when: 'soon',
      tags: [],
      either: true,
      map: { x: 1 },
      checked: 'no',
      extra: 1,
    });
    if (parsed.success) throw new Error('expected failure');
    const e = fromZodError(parsed.error);
    expect(e.code).toBe('validation');
    const byPath = Object.fromEntries(e.issues.map((i) => [i.path, i]));
    expect(byPath.title?.message.zh).toMatch(/长度过短/);
    expect(byPath.count?.message.zh).toMatch(/数值过大|倍数/);
    expect(byPath.kind?.message.zh).toMatch(/取值无效/);
    expect(byPath.when?.message.zh).toMatch(/格式无效/);
    expect(byPath.tags?.message.zh).toMatch(/长度过短/);
    expect(byPath.either?.message.zh).toMatch(/不符合/);
    expect(e.issues.find((i) => i.path.startsWith('map'))?.message.zh).toMatch(/键无效|格式无效/);
    expect(byPath.checked?.message).toEqual(text('必须为 yes', 'must be yes'));
    expect(byPath['']?.message.zh).toMatch(/无法识别的字段:extra/);
    for (const issue of e.issues) expect(issue.message.en.length).toBeGreaterThan(0);
    const typeError = z.object({ n: z.number() }).safeParse({ n: 'x' });
    if (typeError.success) throw new Error('expected failure');
    expect(fromZodError(typeError.error).issues[0]?.message.zh).toBe('类型无效:应为数字');
    expect(e.message.en).toMatch(/^Invalid input: /);
  });

  it('builds every error code with a bilingual message', () => {
    const rule = defineRule({
      id: 'test.rule.x',
      clauses: ['3.3.4'],
      severity: 'high',
      title: text('甲', 'A'),
    });
    const v = violation(rule, undefined, { k: 1 });
    expect(v).toEqual({
      ruleId: 'test.rule.x',
      clause: '3.3.4',
      severity: 'high',
      message: text('甲', 'A'),
      details: { k: 1 },
    });
    expect(notFound('incident', 'I1').message.en).toBe('incident I1 not found');
    expect(conflict('incident', 'I1', 1, 2).message.zh).toMatch(/期望版本 1/);
    expect(conflict('incident', 'I1', 0, undefined).message.en).toMatch(/found none/);
    expect(forbidden([v]).message).toEqual(text('甲', 'A'));
    expect(policyViolation([v]).message.zh).toBe('违反制度:甲');
    expect(invalidTransition('closed', 'assess').message.en).toMatch(/closed/);
    expect(formatViolations([v], 'zh')).toBe('[3.3.4 test.rule.x] 甲');
  });

  it('refuses malformed rule definitions at start-up', () => {
    expect(() =>
      defineRule({ id: 'Bad Id', clauses: ['3.3.4'], severity: 'low', title: text('', '') }),
    ).toThrow(/malformed/);
    expect(() =>
      defineRule({ id: 'x.y', clauses: ['9.9' as '3.3.4'], severity: 'low', title: text('', '') }),
    ).toThrow(/unknown clause/);
  });

  it('unwraps results for scripts', () => {
    expect(unwrap(ok(1))).toBe(1);
    expect(() => unwrap(err(notFound('incident', 'I1')))).toThrow(
      /not_found: incident I1 not found/,
    );
  });
});
