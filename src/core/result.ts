/** A successful outcome. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** An expected failure, carried as a value. */
export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

/**
 * The outcome of anything that can fail in an expected way. Defects (a broken repository,
 * a bad policy at start-up) throw instead; they are not part of this type.
 */
export type Result<T, E> = Ok<T> | Err<E>;

/**
 * Wraps a value as a success.
 *
 * @example
 * const r = ok(42); // { ok: true, value: 42 }
 */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/**
 * Wraps an error as a failure.
 *
 * @example
 * const r = err({ code: 'not_found' }); // { ok: false, error: { code: 'not_found' } }
 */
export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/**
 * Returns the value of a success or throws the error of a failure. For tests, scripts and
 * examples where a failure is a bug; library code matches on `ok` instead.
 *
 * @example
 * const incident = unwrap(await ops.incidents.report(reporter, input));
 */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  const error = result.error as { message?: { en?: string }; code?: string } | undefined;
  throw new Error(
    `unwrap: ${error?.code ?? 'error'}: ${error?.message?.en ?? JSON.stringify(error)}`,
  );
}
