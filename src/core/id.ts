/** A string id branded with the kind of entity it names, so ids of two kinds don't mix. */
export type Id<Kind extends string> = string & { readonly __brand: Kind };

/** Makes new ids. Services take one; tests use `sequentialIds` for readable, stable ids. */
export interface IdGenerator {
  /** A new id with the given prefix, such as `INC`. */
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
