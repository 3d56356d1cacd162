import { DateTime, Duration } from 'luxon';
import type { Clock } from '../../app/ports.js';

/** Real time shifted by an offset the person controls with `/clock`. */
export class SimulatedClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly realNow: () => Date = () => new Date()) {}

  now(): Date {
    return new Date(this.realNow().getTime() + this.offsetMs);
  }

  set(at: Date): void {
    this.offsetMs = at.getTime() - this.realNow().getTime();
  }
}

/**
 * Where `/clock` may go: every course date fits, and so does every date Postgres, Luxon and JavaScript
 * can store and show (year 0 or 10000 breaks the scheduler's queries).
 */
export const CLOCK_RANGE = { from: new Date('1970-01-01T00:00:00Z'), until: new Date('2200-01-01T00:00:00Z') } as const;

export type ClockTarget = { ok: true; at: Date } | { ok: false; reason: 'unreadable' | 'out-of-range' };

const STEP = /^([+-])(\d+)([dhm])$/;
const UNIT = { d: 'days', h: 'hours', m: 'minutes' } as const;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
// A step longer than the whole range lands outside it from anywhere; checked before Luxon sees the number.
const LONGEST_STEP_MS = CLOCK_RANGE.until.getTime() - CLOCK_RANGE.from.getTime() + UNIT_MS.d;

const inRange = (at: Date): ClockTarget =>
  at.getTime() >= CLOCK_RANGE.from.getTime() && at.getTime() < CLOCK_RANGE.until.getTime() ? { ok: true, at } : { ok: false, reason: 'out-of-range' };

/**
 * Where `/clock <arg>` moves the clock: `+1d`, `+3h`, `-30m`, or a wall time such as `2026-03-29T08:00`
 * read in `zone`. 'unreadable' when the argument is neither, 'out-of-range' when it lands outside CLOCK_RANGE.
 */
export function clockTarget(arg: string, now: Date, zone: string): ClockTarget {
  const step = STEP.exec(arg);
  if (step) {
    const unit = step[3] as keyof typeof UNIT;
    const amount = Number(step[2]) * (step[1] === '-' ? -1 : 1);
    if (!Number.isSafeInteger(amount) || Math.abs(amount) * UNIT_MS[unit] > LONGEST_STEP_MS) return { ok: false, reason: 'out-of-range' };
    return inRange(DateTime.fromJSDate(now, { zone }).plus(Duration.fromObject({ [UNIT[unit]]: amount })).toJSDate());
  }
  const at = DateTime.fromISO(arg, { zone, setZone: true });
  if (!at.isValid || !/^\d{4}-\d{2}-\d{2}/.test(arg)) return { ok: false, reason: 'unreadable' };
  return inRange(at.toJSDate());
}
