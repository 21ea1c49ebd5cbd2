import type { z } from 'zod';
import { idParser, idSchema } from '../core/id.js';

/** The id of a security waiver (`WVR-…`): the source of `WaiverId`. */
export const WaiverIdSchema = idSchema<'security_waiver'>();

/** The id of a security waiver. */
export type WaiverId = z.infer<typeof WaiverIdSchema>;

/** The id of a stored audit report (`AUD-…`): the source of `StoredReportId`. */
export const StoredReportIdSchema = idSchema<'security_report'>();

/** The id of a stored audit report. */
export type StoredReportId = z.infer<typeof StoredReportIdSchema>;

/**
 * Turns a string from outside into a `WaiverId`; a malformed one is a `validation` error naming
 * `field` (default `id`). Ids that come from the library (`requestWaiver`'s result) are branded.
 *
 * @example
 * const id = parseWaiverId(req.params.id);
 * if (id.ok) await ops.security.approveWaiver(officer, id.value);
 */
export const parseWaiverId = idParser(WaiverIdSchema);

/**
 * Turns a string from outside into a `StoredReportId`; a malformed one is a `validation` error
 * naming `field` (default `id`).
 *
 * @example
 * const id = parseStoredReportId(req.params.id);
 * if (id.ok) await ops.security.acknowledge(officer, id.value);
 */
export const parseStoredReportId = idParser(StoredReportIdSchema);
