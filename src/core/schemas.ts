import { z } from 'zod';

/** An ISO-8601 instant with an offset (`2026-03-31T09:00:00+08:00` or `...Z`). */
export const InstantSchema = z.iso.datetime({ offset: true });

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
 * The fields every workflow entity has, for entity schemas to extend.
 *
 * @example
 * const IncidentSchema = z.object({ ...workflowEntityShape(incidentStates), title: z.string() });
 */
export function workflowEntityShape<const S extends readonly [string, ...string[]]>(states: S) {
  return {
    id: z.string().min(1),
    state: z.enum(states),
    version: z.number().int().nonnegative(),
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
    history: z.array(HistoryEntrySchema).readonly(),
  };
}
