import type { ChangeRequest } from './model.js';

const cache = new WeakMap<object, string>();

/**
 * The fingerprint of what an approval approves: the plan (steps, window, implementer) and the
 * scope. An approval carries the fingerprint it saw; once the content moves, it no longer counts.
 *
 * @example
 * approval.fingerprint === contentFingerprint(change); // still valid
 */
export function contentFingerprint(change: Pick<ChangeRequest, 'plan' | 'scope'>): string {
  const hit = cache.get(change);
  if (hit !== undefined) return hit;
  const value = fnv1a(stableJson({ plan: change.plan, scope: change.scope }));
  cache.set(change, value);
  return value;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv1a(input: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}`;
}
