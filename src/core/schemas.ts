import { z } from 'zod';
import { IdSchema } from './id.js';

/** An ISO-8601 instant with an offset (`2026-03-31T09:00:00+08:00` or `...Z`). */
export const InstantSchema = z.iso.datetime({ offset: true });

/**
 * An IANA time zone the runtime knows (`Asia/Shanghai`): every calendar rule names its zone,
 * and an unknown one would turn day maths into NaN rather than fail.
 */
export const TimeZoneSchema = z.string().refine(isTimeZone, {
  message: 'Unknown IANA time zone',
  params: { zh: '未知的 IANA 时区' },
});

/**
 * Tells whether the runtime knows an IANA time zone.
 *
 * @example
 * isTimeZone('Asia/Shanghai'); // true
 * isTimeZone('Mars/Olympus'); // false
 */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A non-empty, trimmed piece of text. */
export const NonEmptyTextSchema = z.string().trim().min(1);

/** How history entries are stored. */
export const HistoryEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: InstantSchema,
  actor: z.object({ id: z.string(), name: z.string() }),
  command: z.string().min(1),
  from: z.string().nullable(),
  to: z.string().min(1),
  note: z.string().optional(),
});

/**
 * The fields every workflow entity has, for entity schemas to extend. Pass the aggregate's id
 * schema (made by `idSchema`) so the inferred entity type carries its branded id; without one,
 * the id is a plain string that fits `IdSchema`.
 *
 * @example
 * const TicketIdSchema = idSchema<'ticket'>();
 * const TicketSchema = z.object({ ...workflowEntityShape(['open', 'done'], TicketIdSchema), title: z.string() });
 */
export function workflowEntityShape<
  const S extends readonly [string, ...string[]],
  I extends z.ZodType<string, string> = typeof IdSchema,
>(states: S, id?: I) {
  return {
    id: (id ?? IdSchema) as I,
    state: z.enum(states),
    version: z.number().int().nonnegative(),
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
    history: z.array(HistoryEntrySchema).readonly(),
  };
}
