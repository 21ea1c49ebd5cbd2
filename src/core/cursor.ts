import { fieldError, type ValidationError } from './errors.js';
import { err, ok, type Result } from './result.js';
import { text } from './text.js';

/** Where a page ended: the sort key of its last item. */
export interface CursorPosition {
  readonly createdAt: string;
  readonly id: string;
}

/**
 * Encodes the position after which the next page starts. Opaque to callers; adapters share it.
 *
 * @example
 * encodeCursor({ createdAt: '2026-01-01T00:00:00.000Z', id: 'INC-000001' });
 */
export function encodeCursor(position: CursorPosition): string {
  return encodeURIComponent(JSON.stringify([position.createdAt, position.id]));
}

/**
 * Decodes a cursor, or says which field is wrong.
 *
 * @example
 * decodeCursor(page.nextCursor);
 */
export function decodeCursor(cursor: string): Result<CursorPosition, ValidationError> {
  try {
    const value: unknown = JSON.parse(decodeURIComponent(cursor));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return ok({ createdAt: value[0], id: value[1] });
    }
  } catch {
    // Malformed text falls through to the validation error below.
  }
  return err(fieldError('cursor', 'invalid_cursor', text('游标无效', 'Invalid cursor')));
}

/**
 * Orders entities as every list does: by creation time, then id, both by code point.
 *
 * @example
 * items.sort(compareByCreation);
 */
export function compareByCreation(a: CursorPosition, b: CursorPosition): number {
  if (a.createdAt !== b.createdAt) return compareCodePoints(a.createdAt, b.createdAt);
  return compareCodePoints(a.id, b.id);
}

/**
 * Orders strings by Unicode code point, which is how PostgreSQL's "C" collation orders UTF-8
 * text. JavaScript's `<` compares UTF-16 units, and a character above U+FFFF (a surrogate
 * pair, 0xD800–0xDFFF) then sorts before U+E000–U+FFFF; every store must list in one order.
 *
 * @example
 * compareCodePoints('\uFF5E', '\u{1F600}'); // -1, where '\uFF5E' < '\u{1F600}' is false
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length < b.length ? -1 : 1;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  // Only a surrogate against U+E000–U+FFFF differs between the two orders; surrogate pairs
  // among themselves already compare in code point order.
  const xSurrogate = x >= 0xd800 && x <= 0xdfff;
  const ySurrogate = y >= 0xd800 && y <= 0xdfff;
  if (xSurrogate !== ySurrogate && x >= 0xd800 && y >= 0xd800) return xSurrogate ? 1 : -1;
  return x < y ? -1 : 1;
}
