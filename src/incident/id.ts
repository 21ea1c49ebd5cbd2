import type { z } from 'zod';
import { idParser, idSchema } from '../core/id.js';

/** The id of an incident (`INC-…`, from the service's id generator): the source of `IncidentId`. */
export const IncidentIdSchema = idSchema<'incident'>();

/** An incident id: an `Id<'incident'>`, so a change id or a plain string is not one. */
export type IncidentId = z.infer<typeof IncidentIdSchema>;

/**
 * Turns a string from outside (a URL, a queue message, your own column) into an `IncidentId`;
 * a malformed one is a `validation` error naming `field` (default `id`). Ids that come from the
 * library (`report`'s result, `list`) are already branded.
 *
 * @example
 * const id = parseIncidentId(req.params.id);
 * if (!id.ok) return badRequest(id.error);
 * const incident = await ops.incidents.get(id.value);
 */
export const parseIncidentId = idParser(IncidentIdSchema);
