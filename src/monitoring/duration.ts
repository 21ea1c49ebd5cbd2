import { z } from 'zod';

const units: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/**
 * Parses a Prometheus-style duration (`90s`, `5m`, `1h30m`, `1d`) to milliseconds; a number is
 * taken as milliseconds. Returns `undefined` for anything else.
 *
 * @example
 * parseDuration('1h30m'); // 5_400_000
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const parts = value.trim().match(/\d+(?:\.\d+)?(?:ms|s|m|h|d|w)/g);
  if (!parts || parts.join('') !== value.trim()) return undefined;
  let total = 0;
  for (const part of parts) {
    const m = durationPattern.exec(part);
    if (!m) return undefined;
    total += Number(m[1]) * (units[m[2] as string] as number);
  }
  return total;
}

/** A duration: milliseconds, or a string such as `30s`, `5m`, `4h`, `1d`. */
export const DurationSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `Invalid duration '${String(value)}': use milliseconds or 30s, 5m, 4h, 1d`,
      params: { zh: `时长无效:'${String(value)}',应为毫秒数或 30s、5m、4h、1d` },
    });
    return z.NEVER;
  }
  return ms;
});

/**
 * Formats milliseconds as a short duration.
 *
 * @example
 * formatDuration(90_000); // '1m30s'
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
