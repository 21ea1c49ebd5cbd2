/** A string id branded with the kind of entity it names, so ids of two kinds don't mix. */
export type Id<Kind extends string> = string & { readonly __brand: Kind };

/** Makes new ids. Services take one; tests use `sequentialIds` for readable, stable ids. */
export interface IdGenerator {
  /** A new id with the given prefix, such as `INC`. */
  next(prefix: string): string;
}

/**
 * Random UUID ids, from the Web Crypto API present in browsers and Node 20.
 *
 * @example
 * randomIds.next('INC'); // 'INC-0b7c…'
 */
export const randomIds: IdGenerator = {
  next: (prefix) => `${prefix}-${globalThis.crypto.randomUUID()}`,
};

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
