import { z } from 'zod';
import { fromZodError, issuesUnder, type ValidationError, validationError } from './errors.js';
import { err, ok, type Result } from './result.js';

/**
 * A string id branded with the kind of entity it names, so ids of two kinds don't mix: an
 * `Id<'change'>` where an `Id<'incident'>` is expected does not compile. It is zod's brand, so a
 * schema made by `idSchema` produces it and entity types inferred from their schemas carry it.
 */
export type Id<Kind extends string> = string & z.$brand<Kind>;

// No whitespace or control character anywhere: an id travels in URLs, logs and cursors, and a
// pasted `INC-1 ` or a stray newline should be refused at the boundary rather than not found.
const idPattern = /^[^\s\p{Cc}]+$/u;

/**
 * What every id is, whatever its kind: 1 to 256 characters, none of them whitespace or control
 * characters. Otherwise opaque: the id generator, or the consumer's own, decides the rest.
 */
export const IdSchema = opaqueId();

function opaqueId() {
  // One check, so a bad id gets one message whatever is wrong with it.
  return z.string().refine((s) => s.length <= 256 && idPattern.test(s), {
    message: 'An id is 1 to 256 characters, none of them whitespace or control characters',
    params: { zh: 'ID 应为 1 到 256 个字符,不含空白或控制字符' },
  });
}

/**
 * The schema of one kind of id: `IdSchema`'s rule, with an output branded `Id<Kind>`. Entity
 * schemas use it for their `id` field (see `workflowEntityShape`), so the inferred entity type
 * carries the brand.
 *
 * @example
 * export const IncidentIdSchema = idSchema<'incident'>();
 * export type IncidentId = z.infer<typeof IncidentIdSchema>; // Id<'incident'>
 */
export function idSchema<const Kind extends string>() {
  return opaqueId().brand<Kind>();
}

/**
 * Makes the parser of one kind of id, for strings from outside (a URL, a queue message, a column
 * of your own): it checks the string against the schema and brands it; a malformed one is a
 * `validation` error naming `field` (default `id`).
 *
 * @example
 * export const parseIncidentId = idParser(IncidentIdSchema);
 * const id = parseIncidentId(req.params.id);
 * if (!id.ok) return badRequest(id.error);
 */
export function idParser<S extends z.ZodType<string, string>>(
  schema: S,
): (value: unknown, field?: string) => Result<z.output<S>, ValidationError> {
  return (value, field = 'id') => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return ok(parsed.data);
    // An id is a string: every issue is the value's own (path ''), named `field` here.
    return err(validationError(issuesUnder(fromZodError(parsed.error).issues, field)));
  };
}

/** Makes new ids. Services take one; tests use `sequentialIds` for readable, stable ids. */
export interface IdGenerator {
  /**
   * A new id with the given prefix, such as `INC`. It must fit `IdSchema` (no whitespace or
   * control characters, at most 256 characters): a store refuses an entity whose id does not.
   */
  next(prefix: string): string;
}

/**
 * Random UUID (version 4) ids, from the Web Crypto API present in browsers and Node 20.
 *
 * @example
 * randomIds.next('INC'); // 'INC-0b7c…'
 */
export const randomIds: IdGenerator = {
  next: (prefix) => `${prefix}-${randomUuid()}`,
};

/**
 * `crypto.randomUUID` exists only in secure contexts (HTTPS or localhost): an intranet portal
 * served over plain HTTP lacks it. `crypto.getRandomValues` exists everywhere, and a version 4
 * UUID is 122 of its random bits with the version and variant set.
 */
function randomUuid(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Ids numbered per prefix: `INC-000001`, `INC-000002`, `CHG-000001`.
 *
 * @example
 * const ids = sequentialIds();
 * ids.next('INC'); // 'INC-000001'
 */
export function sequentialIds(): IdGenerator {
  const counters = new Map<string, number>();
  return {
    next(prefix) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}-${String(n).padStart(6, '0')}`;
    },
  };
}
