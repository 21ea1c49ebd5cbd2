import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import { TimeZoneSchema } from '../core/schemas.js';
import type { Labels } from './alert-rule.js';
import { type CompiledMatcher, matchesLabels } from './alert-rule.js';

/** A recurring window: on these weekdays (0 = Sunday), from `start` to `end` (HH:mm) in a zone. */
export const RecurrenceSchema = z.object({
  days: z.array(z.number().int().min(0).max(6)).min(1),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  end: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/),
  timeZone: TimeZoneSchema.default('Asia/Shanghai'),
});

/** A silence as a caller writes it: matchers, and a one-off span or a recurrence. */
export const SilenceInputSchema = z
  .object({
    matchers: z
      .array(
        z.object({
          label: z.string().min(1),
          op: z.enum(['=', '!=', '=~', '!~']),
          value: z.string(),
        }),
      )
      .min(1),
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date(),
    comment: z.string().trim().min(1),
    recurrence: RecurrenceSchema.optional(),
  })
  .refine((s) => s.endsAt.getTime() > s.startsAt.getTime(), {
    path: ['endsAt'],
    message: 'endsAt must be after startsAt',
    params: { zh: '结束时间须晚于开始时间' },
  })
  .superRefine((s, ctx) => {
    s.matchers.forEach((m, i) => {
      if (m.op === '=~' || m.op === '!~') {
        try {
          new RegExp(m.value);
        } catch {
          ctx.addIssue({
            code: 'custom',
            path: ['matchers', i, 'value'],
            message: `Invalid regex '${m.value}'`,
            params: { zh: `正则无效:${m.value}` },
          });
        }
      }
    });
  });

/** A silence input. */
export type SilenceInput = z.input<typeof SilenceInputSchema>;

/** A stored silence. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly CompiledMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly comment: string;
  readonly createdBy: string;
  readonly recurrence?: z.infer<typeof RecurrenceSchema> | undefined;
}

/** An approved change's implementation window over a CI (from the change module). */
export interface ChangeWindow {
  readonly ci: string;
  readonly start: Date | number;
  readonly end: Date | number;
  readonly changeId: string;
}

/** Port: where approved change windows come from (the change module implements it). */
export interface MaintenanceWindowSource {
  windows(at: Date): readonly ChangeWindow[] | Promise<readonly ChangeWindow[]>;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * Tells whether a recurrence is active at an instant, in its own time zone. A window whose end
 * is before its start runs past midnight into the next day.
 *
 * @example
 * recurrenceActive({ days: [6], start: '22:00', end: '02:00', timeZone: 'Asia/Shanghai' }, at);
 */
export function recurrenceActive(
  r: { days: readonly number[]; start: string; end: string; timeZone: string },
  at: number,
): boolean {
  const d = new TZDate(at, r.timeZone);
  const day = d.getDay();
  const m = d.getHours() * 60 + d.getMinutes();
  const s = minutes(r.start);
  const e = minutes(r.end);
  if (s < e) return r.days.includes(day) && m >= s && m < e;
  return (r.days.includes(day) && m >= s) || (r.days.includes((day + 6) % 7) && m < e);
}

/**
 * Tells whether a silence mutes an alert with these labels at `at`.
 *
 * @example
 * silenceMutes(silence, { alertname: 'cpu_high', host: 'db1' }, Date.now());
 */
export function silenceMutes(silence: Silence, labels: Labels, at: number): boolean {
  if (at < silence.startsAt || at >= silence.endsAt) return false;
  if (silence.recurrence && !recurrenceActive(silence.recurrence, at)) return false;
  return matchesLabels(silence.matchers, labels);
}

/**
 * Tells whether a maintenance window covers an alert's CI at `at` (start inclusive, end exclusive).
 *
 * @example
 * windowCovers({ ci: 'CI-1', start, end, changeId: 'CHG-1' }, 'CI-1', at);
 */
export function windowCovers(w: ChangeWindow, ci: string | undefined, at: number): boolean {
  if (ci === undefined || w.ci !== ci) return false;
  return at >= new Date(w.start).getTime() && at < new Date(w.end).getTime();
}
