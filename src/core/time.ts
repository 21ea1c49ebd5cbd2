let lastTime = Number.NaN;
let lastIso = '';

/**
 * The ISO-8601 text of an instant, as entities store it. Cached for the last instant asked:
 * a batch of decisions usually shares one, and `toISOString` costs more than the rest of a
 * small decision.
 *
 * @example
 * isoInstant(new Date(Date.UTC(2026, 2, 31, 1))); // '2026-03-31T01:00:00.000Z'
 */
export function isoInstant(at: Date): string {
  const t = at.getTime();
  if (t !== lastTime) {
    lastTime = t;
    lastIso = at.toISOString();
  }
  return lastIso;
}
