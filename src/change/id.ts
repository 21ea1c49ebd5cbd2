import type { z } from 'zod';
import { idParser, idSchema } from '../core/id.js';

/** The id of a change request (`CHG-…`): the source of `ChangeId`. */
export const ChangeIdSchema = idSchema<'change'>();

/** The id of a change request: an `Id<'change'>`, so an incident id or a plain string is not one. */
export type ChangeId = z.infer<typeof ChangeIdSchema>;

/**
 * Turns a string from outside into a `ChangeId`; a malformed one is a `validation` error naming
 * `field` (default `id`). Ids that come from the library (`request`'s result, `list`) are
 * already branded.
 *
 * @example
 * const id = parseChangeId(req.params.id);
 * if (id.ok) await ops.changes.get(id.value);
 */
export const parseChangeId = idParser(ChangeIdSchema);
