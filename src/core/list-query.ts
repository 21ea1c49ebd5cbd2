import { z } from 'zod';
import { fromZodError, type ValidationError } from './errors.js';
import { pageLimits } from './repository.js';
import { err, ok, type Result } from './result.js';
import { InstantSchema } from './schemas.js';

const filterValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Builds the validator of list queries for the filters an aggregate offers. Shared by every
 * adapter, so they all reject the same bad queries with the same field names.
 *
 * @example
 * const validate = listQueryValidator(['state', 'priority']);
 * validate({ where: { colour: 'red' } }); // validation error on `where`
 */
export function listQueryValidator(
  filterNames: readonly string[],
): (query: unknown) => Result<void, ValidationError> {
  const schema = z
    .object({
      where: z
        .record(z.string(), z.union([filterValue, z.array(filterValue).readonly()]))
        .refine((where) => Object.keys(where).every((k) => filterNames.includes(k)), {
          message: `Unknown filter; the filters are: ${filterNames.join(', ')}`,
          params: { zh: `未知的筛选字段;可用:${filterNames.join(', ')}` },
        })
        .optional(),
      createdFrom: InstantSchema.optional(),
      createdTo: InstantSchema.optional(),
      limit: z.number().int().min(1).max(pageLimits.max).optional(),
      cursor: z.string().optional(),
    })
    .strict();
  return (query) => {
    const parsed = schema.safeParse(query);
    return parsed.success ? ok(undefined) : err(fromZodError(parsed.error));
  };
}
