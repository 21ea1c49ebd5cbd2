import { compareCodePoints } from './code-point-order.js';
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
