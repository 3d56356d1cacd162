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

const STEP = /^([+-])(\d{1,4})([dhm])$/;
const UNIT = { d: 'days', h: 'hours', m: 'minutes' } as const;

/**
 * Where `/clock <arg>` moves the clock: `+1d`, `+3h`, `-30m`, or a wall time such as `2026-03-29T08:00`
 * read in `zone`. Null when the argument is neither.
 */
export function clockTarget(arg: string, now: Date, zone: string): Date | null {
  const step = STEP.exec(arg);
  if (step) {
    const amount = Number(step[2]) * (step[1] === '-' ? -1 : 1);
    return DateTime.fromJSDate(now, { zone }).plus(Duration.fromObject({ [UNIT[step[3] as keyof typeof UNIT]]: amount })).toJSDate();
  }
  const at = DateTime.fromISO(arg, { zone, setZone: true });
  return at.isValid && /^\d{4}-\d{2}-\d{2}/.test(arg) ? at.toJSDate() : null;
}
