import type { z } from 'zod';
import { fromZodError } from './errors.js';

/**
 * Validates a policy (or a section of one) once, fills in its defaults and freezes the result.
 * A bad policy is a programmer error at start-up, so it throws, naming every bad field.
 *
 * @example
 * export const defineChangePolicy = (overrides: ChangePolicyInput = {}) =>
 *   parsePolicy('defineChangePolicy', ChangePolicySchema, overrides);
 */
export function parsePolicy<S extends z.ZodType>(
  caller: string,
  schema: S,
  input: unknown,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = fromZodError(parsed.error).issues.map((i) => `  ${i.path}: ${i.message.en}`);
    throw new Error(`${caller}: invalid policy\n${lines.join('\n')}`);
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
