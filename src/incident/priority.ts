import { z } from 'zod';
import { type Priority, PrioritySchema } from './model.js';

/**
 * A priority matrix as data: impact levels and urgency levels, each listed from the highest to
 * the lowest, and the priority of every (impact, urgency) pair: `table[impact][urgency]`.
 */
export interface PriorityMatrix {
  readonly impact: readonly string[];
  readonly urgency: readonly string[];
  readonly table: readonly (readonly Priority[])[];
}

/** The common 3×3 matrix: high, medium, low impact by urgency, giving P1 to P5. */
export const matrix3x3: PriorityMatrix = Object.freeze<PriorityMatrix>({
  impact: ['high', 'medium', 'low'],
  urgency: ['high', 'medium', 'low'],
  table: [
    ['P1', 'P2', 'P3'],
    ['P2', 'P3', 'P4'],
    ['P3', 'P4', 'P5'],
  ],
});

/** A 5×5 matrix for finer assessments: the sum of the two ranks picks the priority. */
export const matrix5x5: PriorityMatrix = Object.freeze<PriorityMatrix>({
  impact: ['extensive', 'significant', 'moderate', 'minor', 'negligible'],
  urgency: ['critical', 'high', 'medium', 'low', 'planning'],
  table: [
    ['P1', 'P1', 'P2', 'P2', 'P3'],
    ['P1', 'P2', 'P2', 'P3', 'P3'],
    ['P2', 'P2', 'P3', 'P3', 'P4'],
    ['P2', 'P3', 'P3', 'P4', 'P4'],
    ['P3', 'P3', 'P4', 'P4', 'P5'],
  ],
});

/** The matrices shipped with the library, by name. */
export const priorityMatrixPresets = { '3x3': matrix3x3, '5x5': matrix5x5 } as const;

const levels = z
  .array(z.string().trim().min(1))
  .min(1)
  .refine((xs) => new Set(xs).size === xs.length, {
    message: 'Levels must be unique',
    params: { zh: '级别不能重复' },
  });

/** A consumer's own matrix, checked on load: one row per impact, one column per urgency. */
export const PriorityMatrixSchema = z
  .object({
    impact: levels,
    urgency: levels,
    table: z.array(z.array(PrioritySchema)),
  })
  .superRefine((m, ctx) => {
    if (m.table.length !== m.impact.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['table'],
        message: `The table needs one row per impact level (${m.impact.length}), has ${m.table.length}`,
        params: { zh: `表格行数应等于影响级别数(${m.impact.length}),实为 ${m.table.length}` },
      });
    }
    m.table.forEach((row, i) => {
      if (row.length !== m.urgency.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['table', i],
          message: `Row ${i} needs one priority per urgency level (${m.urgency.length}), has ${row.length}`,
          params: { zh: `第 ${i} 行应有 ${m.urgency.length} 个优先级,实为 ${row.length}` },
        });
      }
    });
  });

/** A preset name or a matrix of one's own; the policy keeps the matrix. */
export const PriorityMatrixConfigSchema = z
  .union([z.enum(['3x3', '5x5']), PriorityMatrixSchema])
  .transform((m): PriorityMatrix => (typeof m === 'string' ? priorityMatrixPresets[m] : m));

/** Options of `priorityOf`. */
export interface PriorityOptions {
  /** A major incident takes this priority whatever the matrix says. */
  readonly major?: boolean | undefined;
  /** The priority of a major incident; default `P1`. */
  readonly majorPriority?: Priority | undefined;
}

/**
 * Looks up the priority of an impact and an urgency in a matrix, or `undefined` when either is
 * not a level of the matrix. A major incident gets the major-incident priority.
 *
 * @example
 * priorityOf(matrix3x3, 'high', 'medium'); // 'P2'
 * priorityOf(matrix3x3, 'low', 'low', { major: true }); // 'P1'
 */
export function priorityOf(
  matrix: PriorityMatrix,
  impact: string,
  urgency: string,
  options: PriorityOptions = {},
): Priority | undefined {
  const i = matrix.impact.indexOf(impact);
  const u = matrix.urgency.indexOf(urgency);
  if (i < 0 || u < 0) return undefined;
  if (options.major) return options.majorPriority ?? 'P1';
  return matrix.table[i]?.[u];
}
