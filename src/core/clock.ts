/**
 * Where the library gets the time. Nothing reads the global clock: services take a `Clock`,
 * and pure functions take the instant as a parameter.
 */
export interface Clock {
  now(): Date;
}

/** A clock that can be moved by hand: for tests, demos and replays. */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to an instant. */
  set(at: Date | string): void;
}

/**
 * The real clock.
 *
 * @example
 * const ops = createOps({ store, clock: systemClock });
 */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that always returns the same instant.
 *
 * @example
 * fixedClock('2026-03-31T09:00:00+08:00').now().toISOString(); // '2026-03-31T01:00:00.000Z'
 */
export function fixedClock(at: Date | string): Clock {
  const ms = new Date(at).getTime();
  return { now: () => new Date(ms) };
}

/**
 * A clock that stands still until moved.
 *
 * @example
 * const clock = manualClock('2026-03-31T09:00:00+08:00');
 * clock.advance(15 * 60_000);
 */
export function manualClock(start: Date | string): ManualClock {
  let ms = new Date(start).getTime();
  return {
    now: () => new Date(ms),
    advance: (delta) => {
      ms += delta;
    },
    set: (at) => {
      ms = new Date(at).getTime();
    },
  };
}
