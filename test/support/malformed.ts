import fc from 'fast-check';
import type { Actor, OpsError } from 'opscharter';

/** A malformed argument and the field a `validation` error must name for it. */
export interface Malformed {
  readonly value: unknown;
  readonly field: string;
}

const statuses: readonly unknown[] = ['active', 'left', 'disabled'];
const notString = fc.anything().filter((v) => typeof v !== 'string');

/**
 * Actors a caller could pass by mistake, each with the field to name: anything at all (named
 * `actor` or one of its fields), `null`, and near misses of a valid actor with one field
 * broken (id a number, roles not an array or holding a non-string, an unknown status) or
 * missing.
 */
export function malformedActor(valid: Actor): fc.Arbitrary<Malformed> {
  const broken = (field: keyof Actor, value: fc.Arbitrary<unknown>) =>
    value.map((v) => ({ value: { ...valid, [field]: v }, field: `actor.${field}` }));
  const missing = (field: keyof Actor) => {
    const { [field]: _, ...rest } = valid;
    return fc.constant({ value: rest, field: `actor.${field}` });
  };
  return fc.oneof(
    fc.anything().map((value) => ({ value, field: 'actor' })),
    fc.constantFrom<Malformed>(
      { value: null, field: 'actor' },
      { value: undefined, field: 'actor' },
      { value: {}, field: 'actor' },
      { value: 'u-ops-1', field: 'actor' },
      { value: { ...valid, id: 42 }, field: 'actor.id' },
      { value: { ...valid, roles: 'ops_manager' }, field: 'actor.roles' },
      { value: { ...valid, roles: [null] }, field: 'actor.roles' },
    ),
    broken('id', notString),
    broken('name', notString),
    broken(
      'roles',
      fc.oneof(
        fc.anything().filter((v) => !Array.isArray(v)),
        fc
          .array(fc.anything(), { minLength: 1 })
          .filter((a) => a.some((r) => typeof r !== 'string')),
      ),
    ),
    broken(
      'status',
      fc.anything().filter((v) => v !== undefined && !statuses.includes(v)),
    ),
    missing('id'),
    missing('name'),
    missing('roles'),
  );
}

/** Values that are not a valid `Date`: an invalid `Date`, and anything that is not a `Date`. */
export function malformedDate(options: { undefinedIsValid: boolean }): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(new Date(Number.NaN)),
    fc.constant(new Date('x')),
    fc.constantFrom<unknown>('2026-03-30T09:00:00Z', 1_774_832_400_000, null, {}),
    fc
      .anything()
      .filter((v) => !(v instanceof Date) && (!options.undefinedIsValid || v !== undefined)),
  );
}

/** Tells whether a failed result is a `validation` error naming the field (or one inside it). */
export function namesField(
  r: { readonly ok: true } | { readonly ok: false; readonly error: OpsError },
  field: string,
): boolean {
  if (r.ok || r.error.code !== 'validation') return false;
  return r.error.issues.some(
    (i) =>
      (i.path === field || i.path.startsWith(`${field}.`)) &&
      i.message.zh.length > 0 &&
      i.message.en.length > 0,
  );
}
